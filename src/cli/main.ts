#!/usr/bin/env node
/**
 * The `dusk` command:
 *   dusk agg 'data/*.csv.bz2' DepDelay:min DepDelay:max DepDelay:mean [--encoding latin1] [--json]
 *   dusk schema 'data/*.csv.bz2' [--encoding latin1]
 */
import { parseArgs } from 'node:util';
import { compute, lastComputeReport, readCsv, type DType, type ReadCsvOptions, type SchedulerName } from '../index.js';
import { REDUCE_OPS, type ReduceOp } from '../kernels/column-stats.js';
import { DuskError } from '../core/errors.js';

const USAGE = `Usage:
  dusk agg FILES... COLUMN:OP... [options]   one pass over FILES computing every COLUMN:OP
  dusk schema FILES... [options]             columns and inferred dtypes

OP is one of ${REDUCE_OPS.join(', ')}. FILES are paths or quoted globs ('data/*.csv.bz2').
Options:
  --encoding utf8|latin1     text encoding (default utf8)
  --dtype COLUMN=TYPE        override an inferred dtype (repeatable)
  --delimiter C              field delimiter (default ,)
  --blocksize SIZE           split plain and bz2 files into partitions of about SIZE of CSV (default 32MB plain, 64MB bz2)
  --scheduler sync|threads   where tasks run (default threads)
  --workers N                worker count (default: DUSK_NUM_WORKERS or all cores)
  --progress / --no-progress progress bar on stderr (default: on a terminal)
  --json                     machine-readable output
`;

function fail(message: string): never {
  process.stderr.write(`dusk: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      encoding: { type: 'string' },
      dtype: { type: 'string', multiple: true },
      delimiter: { type: 'string' },
      blocksize: { type: 'string' },
      scheduler: { type: 'string' },
      workers: { type: 'string' },
      progress: { type: 'boolean' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return;
  }
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
    const specs = rest.filter((a) => /^[^:*?]+:[a-z]+$/.test(a) && REDUCE_OPS.includes(a.split(':')[1] as ReduceOp));
    const files = rest.filter((a) => !specs.includes(a));
    if (files.length === 0) fail('agg needs FILES');
    if (specs.length === 0) fail(`agg needs at least one COLUMN:OP (OP one of ${REDUCE_OPS.join(', ')})`);
    const df = readCsv(files, options);
    const lazies = specs.map((spec) => {
      const [column, op] = spec.split(':') as [string, ReduceOp];
      return df.col(column)[op]();
    });
    const computeOptions = {
      ...(values.scheduler !== undefined ? { scheduler: values.scheduler as SchedulerName } : {}),
      ...(values.workers !== undefined ? { numWorkers: Number(values.workers) } : {}),
      ...(values.progress !== undefined ? { progress: values.progress } : {}),
    };
    const results = await compute(...lazies, computeOptions);
    const report = lastComputeReport()!;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ results: Object.fromEntries(specs.map((s, i) => [s, results[i]])), report })}\n`);
      return;
    }
    const width = Math.max(...specs.map((s) => s.length));
    specs.forEach((spec, i) => process.stdout.write(`${spec.padEnd(width)}  ${results[i]}\n`));
    const opens = Object.values(report.opens);
    process.stdout.write(
      `-- ${opens.length} file(s), opened ${opens.reduce((a, b) => a + b, 0)} time(s); ${(report.bytesRead / 1e6).toFixed(1)} MB read, ${(report.bytesDecoded / 1e6).toFixed(1)} MB decoded in ${(report.wallMs / 1000).toFixed(2)} s on ${report.scheduler} (${report.workers} worker(s))\n`,
    );
    return;
  }
  fail(`unknown command '${command}'\n${USAGE}`);
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
