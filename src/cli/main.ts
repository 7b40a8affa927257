#!/usr/bin/env node
/**
 * The `dusk` command:
 *   dusk agg 'data/*.csv.bz2' DepDelay:min DepDelay:max DepDelay:median DepDelay:quantile=0.9 [--encoding latin1] [--json]
 *   dusk schema 'data/*.csv.bz2' [--encoding latin1]
 *   dusk worker --redis redis://host:6379 --concurrency 4 [--tasks module.js…] [--allow-source]
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, compute, lastComputeReport, readCsv, type DataFrame, type DType, type ReadCsvOptions } from '../index.js';
import { aggregateNames } from '../aggregates/index.js';
import { SCHEDULERS, type ComputeOptions, type SchedulerName } from '../config.js';
import { DuskError } from '../core/errors.js';
import { suggestOption } from '../core/options.js';
import { AGGREGATES, type AggNode } from '../expr/index.js';
import { Scalar } from '../frame/scalar.js';
import { Aggregate, Value } from '../plan/logical/index.js';

/** The aggregates of the registry a COLUMN:OP[=VALUE] can name: those of a column with at most one parameter. */
function cliAggregates(): { name: string; param: string | null }[] {
  return aggregateNames().flatMap((name) => {
    const spec = AGGREGATES.get(name);
    const params = spec?.paramOrder ?? [];
    return spec !== undefined && params.length <= 1 ? [{ name, param: params[0] ?? null }] : [];
  });
}

const OPS = cliAggregates();
const OP_LIST = OPS.map((o) => (o.param === null ? o.name : `${o.name}=${o.param}`)).join(', ');

const PARSE_OPTIONS = {
  encoding: { type: 'string' },
  dtype: { type: 'string', multiple: true },
  delimiter: { type: 'string' },
  blocksize: { type: 'string' },
  scheduler: { type: 'string' },
  workers: { type: 'string' },
  'inline-below': { type: 'string' },
  progress: { type: 'boolean' },
  json: { type: 'boolean', default: false },
  redis: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  tasks: { type: 'string', multiple: true },
  'allow-source': { type: 'boolean', default: false },
  'lock-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const USAGE = `Usage:
  dusk agg FILES... COLUMN:OP... [options]   one pass over FILES computing every COLUMN:OP
  dusk schema FILES... [options]             columns and inferred dtypes
  dusk worker --redis URL [worker options]   a worker of the distributed scheduler


OP is one of ${OP_LIST}
(e.g. DepDelay:quantile=0.9; var and std take ddof, default 1). FILES are paths or quoted
globs ('data/*.csv.bz2').
Options:
  --encoding utf8|latin1     text encoding (default utf8)
  --dtype COLUMN=TYPE        override an inferred dtype (repeatable)
  --delimiter C              field delimiter (default ,)
  --blocksize SIZE           split plain and bz2 files into partitions of about SIZE of CSV (default 32MB plain, 64MB bz2)
  --scheduler NAME           where tasks run: ${SCHEDULERS.join(', ')} (default threads)
  --workers N                worker count (default: DUSK_NUM_WORKERS or all cores)
  --inline-below BYTES       read less than BYTES on the calling thread, starting no worker
                             (default 4194304; 0 = always on workers)
  --progress / --no-progress progress bar on stderr (default: on a terminal)
  --redis URL                run on the workers of a cluster (scheduler distributed; with --queue)
  --json                     machine-readable output
Worker options:
  --redis URL                redis://[:password@]host:port or rediss:// (TLS); default DUSK_REDIS_URL
  --queue NAME               the queue clients send to (Client.connect's queue; default dusk)
  --concurrency N            tasks at once, each in a worker thread (default: all cores)
  --tasks MODULE|DIR...      modules (or folders of them) whose ddf.task functions may run;
                             Dusk's own tasks always may
  --allow-source             also run functions shipped as source text (refused by default)
  --lock-ms MS               a job whose worker is silent this long is failed as stalled
                             (default 30000); SIGTERM finishes running tasks, then exits
`;

function fail(message: string): never {
  process.stderr.write(`dusk: ${message}\n`);
  process.exit(2);
}

/** parseArgs, with an unknown flag named with the closest known one instead of a stack trace. */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, allowNegative: true, options: PARSE_OPTIONS });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec((err as Error).message)?.[1] : undefined;
    if (unknown !== undefined) {
      const flags = Object.keys(PARSE_OPTIONS);
      const suggestion = suggestOption(unknown.replace(/^-+/, '').replace(/^no-/, ''), flags);
      fail(`unknown option '${unknown}'.${suggestion ? ` Did you mean '--${suggestion}'?` : ''} Options: ${flags.map((f) => `--${f}`).join(', ')}`);
    }
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) fail((err as Error).message);
    throw err;
  }
}

/** COLUMN:OP or COLUMN:OP=VALUE (the column may itself hold ':'; the op is a word). */
const SPEC = /^(.+):([A-Za-z_]\w*)(?:=([^:=]*))?$/;

/** The lazy result of one COLUMN:OP[=VALUE]: the reduction a Series method would plan, for any CLI aggregate. */
function aggregateOf(df: DataFrame, spec: string): Scalar {
  const [, column, op, value] = SPEC.exec(spec)!;
  const found = OPS.find((o) => o.name === op);
  if (found === undefined) {
    const suggestion = suggestOption(op!, OPS.map((o) => o.name));
    fail(`'${spec}': unsupported aggregate '${op}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Supported: ${OP_LIST}`);
  }
  if (found.param === null && value !== undefined) fail(`'${spec}': ${op} takes no value (write ${column}:${op})`);
  if (found.param === 'q' && value === undefined) fail(`'${spec}': quantile needs q, a number from 0 to 1 (e.g. ${column}:quantile=0.9)`);
  const params = found.param !== null && value !== undefined ? { [found.param]: parseNumber(spec, found.param, value) } : undefined;
  const node: AggNode = { kind: 'agg', fn: op!, arg: { kind: 'col', name: df.col(column!).name }, ...(params ? { params } : {}) };
  return new Scalar(new Value(new Aggregate(df.plan, [], [{ name: column!, expr: node }])));
}

function parseNumber(spec: string, param: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) fail(`'${spec}': ${param} must be a number, got '${text}'`);
  return n;
}

/** JSON with BigInt results (int64 counts) as numbers where exact, else as strings. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : String(v)) : v));
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'worker') return runWorker(values, rest);
  const options: ReadCsvOptions = {};
  if (values.encoding !== undefined) options.encoding = values.encoding as ReadCsvOptions['encoding'];
  if (values.delimiter !== undefined) options.delimiter = values.delimiter;
  if (values.blocksize !== undefined) options.blocksize = values.blocksize;
  if (values.dtype) {
    options.dtype = Object.fromEntries(
      values.dtype.map((d) => {
        const [name, type] = d.split('=');
        if (!name || !type) fail(`--dtype takes COLUMN=TYPE, got '${d}'`);
        return [name, type as DType];
      }),
    );
  }

  if (command === 'schema') {
    if (rest.length === 0) fail('schema needs FILES');
    const df = readCsv(rest, options);
    if (values.json) process.stdout.write(`${JSON.stringify({ columns: df.columns, dtypes: df.dtypes, npartitions: df.npartitions })}\n`);
    else {
      process.stdout.write(`${df.npartitions} partition(s)\n`);
      const width = Math.max(...df.columns.map((c) => c.length));
      for (const [name, dtype] of Object.entries(df.dtypes)) process.stdout.write(`${name.padEnd(width)}  ${dtype}\n`);
    }
    return;
  }

  if (command === 'agg') {
    // An argument that names an existing file is a file even if it looks like COLUMN:OP.
    const specs = rest.filter((a) => SPEC.test(a) && !/[*?]/.test(a) && !existsSync(a));
    const files = rest.filter((a) => !specs.includes(a));
    if (files.length === 0) fail('agg needs FILES');
    if (specs.length === 0) fail(`agg needs at least one COLUMN:OP (OP one of ${OP_LIST})`);
    const computeOptions: ComputeOptions = {};
    if (values.scheduler !== undefined) {
      if (!(SCHEDULERS as readonly string[]).includes(values.scheduler)) {
        const suggestion = suggestOption(values.scheduler, SCHEDULERS);
        fail(`--scheduler must be one of ${SCHEDULERS.join(', ')}; got '${values.scheduler}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`);
      }
      computeOptions.scheduler = values.scheduler as SchedulerName;
    }
    if (values.workers !== undefined) {
      const n = Number(values.workers);
      if (!Number.isInteger(n) || n < 1) fail(`--workers takes a positive integer, got '${values.workers}'`);
      computeOptions.numWorkers = n;
    }
    if (values['inline-below'] !== undefined) {
      const n = Number(values['inline-below']);
      if (!Number.isInteger(n) || n < 0) fail(`--inline-below takes a non-negative integer of bytes, got '${values['inline-below']}'`);
      computeOptions.inlineBelowBytes = n;
    }
    if (values.progress !== undefined) computeOptions.progress = values.progress;
    const df = readCsv(files, options);
    const lazies = specs.map((spec) => aggregateOf(df, spec));
    // --redis (or --scheduler distributed): the workers of a cluster run it (dusk worker).
    const address = values.redis ?? (computeOptions.scheduler === 'distributed' ? process.env.DUSK_REDIS_URL : undefined);
    if (computeOptions.scheduler === 'distributed' && !address) fail('--scheduler distributed needs --redis redis://host:port (or DUSK_REDIS_URL)');
    const client = address ? await Client.connect(address, { ...(values.queue ? { queue: values.queue } : {}) }) : null;
    let results: unknown[];
    try {
      results = await compute(...lazies, { ...computeOptions, ...(client ? { scheduler: 'distributed' as const } : {}) });
    } finally {
      await client?.close();
    }
    const report = lastComputeReport()!;
    if (values.json) {
      process.stdout.write(`${toJson({ results: Object.fromEntries(specs.map((s, i) => [s, results[i]])), report })}\n`);
      return;
    }
    const width = Math.max(...specs.map((s) => s.length));
    specs.forEach((spec, i) => process.stdout.write(`${spec.padEnd(width)}  ${results[i]}\n`));
    const opens = Object.values(report.opens);
    process.stdout.write(
      `-- ${opens.length} file(s), opened ${opens.reduce((a, b) => a + b, 0)} time(s); ${(report.bytesRead / 1e6).toFixed(1)} MB read, ${(report.bytesDecoded / 1e6).toFixed(1)} MB decoded in ${(report.wallMs / 1000).toFixed(2)} s on ${report.scheduler} (${report.inline ? 'inline: small input, no worker started' : `${report.workers} worker(s)`})\n`,
    );
    if (client) process.stdout.write(`-- tasks per host: ${Object.entries(report.tasksPerHost).map(([host, n]) => `${host} ${n}`).join(', ')}\n`);
    return;
  }
  fail(`unknown command '${command}'\n${USAGE}`);
}

/** `dusk worker`: serves jobs until SIGTERM or SIGINT, then finishes the running tasks and exits. */
async function runWorker(values: ReturnType<typeof parseCommandLine>['values'], positionals: string[]): Promise<void> {
  const address = values.redis ?? process.env.DUSK_REDIS_URL;
  if (!address) fail('worker needs --redis redis://host:port (or DUSK_REDIS_URL)');
  const concurrency = values.concurrency === undefined ? availableParallelism() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`--concurrency takes a positive integer, got '${values.concurrency}'`);
  const lockMs = values['lock-ms'] === undefined ? undefined : Number(values['lock-ms']);
  if (lockMs !== undefined && (!Number.isInteger(lockMs) || lockMs < 100)) fail(`--lock-ms takes milliseconds (at least 100), got '${values['lock-ms']}'`);
  // --tasks a b c: the words after it are modules too.
  const tasks = [...(values.tasks ?? []), ...positionals].flatMap((t) => t.split(',')).filter((t) => t !== '').map((t) => {
    const path = resolve(t);
    if (!existsSync(path)) fail(`--tasks ${t}: no such file or folder`);
    const url = pathToFileURL(path).href;
    return statSync(path).isDirectory() ? `${url}/` : url;
  });
  const { startWorker } = await import('../scheduler/distributed/worker.js');
  const worker = await startWorker({ address, concurrency, tasks, allowSource: values['allow-source'] ?? false, ...(values.queue ? { queue: values.queue } : {}), ...(lockMs ? { lockMs } : {}) });
  const stop = (signal: string) => {
    process.stderr.write(`dusk worker ${worker.id}: ${signal}: finishing the running tasks, taking no new ones\n`);
    worker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`dusk worker: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

// Piping into `head` closes stdout early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof DuskError) fail(`${err.name}: ${err.message}`);
  throw err;
});
