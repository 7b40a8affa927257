/**
 * Balanced partitions (issue 11): `compute(max, min, mean)` of DepDelay over
 *  - one: one .bz2 file of ~83 MB of CSV (~13 MB), with 1 worker and with 2 (threads scheduler),
 *    for each bz2 decoder (auto = lbzip2 beside each worker when installed; wasm = in the worker
 *    thread, one worker = one core). Target: 2 workers ≤ 0.55× 1 worker.
 *  - shards: one large and three small .bz2 shards (the large 5× a small, as one year of the real
 *    airline data is 5× another), Dusk with 2 workers against Dask threads with 2 workers on the
 *    same files (Dask reads a compressed file as one partition; Dusk cuts the large one).
 *    Target: Dusk ≤ 0.6× Dask.
 * Ratios come from the same run: the engines (or worker counts) alternate, round after round,
 * and each round's ratio is taken; the table gives the median of rounds. The machine's cores are
 * shared with other work, so each run also records the CPU it used (all threads and reaped
 * lbzip2 children) and the CPU other processes used meanwhile (from /proc/stat): a round whose
 * neighbours took a core says so.
 *
 *   npx tsx bench/balance.ts            (BENCH_REPEAT rounds, default 5; BENCH_BALANCE_DECODERS=auto,wasm;
 *                                        BENCH_BALANCE_PARTS=one,shards)
 * Data: bench/data/balance (generated with scripts/gen_airline.py when absent).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ddf from 'dusk';
import { DATA, PYTHON, ROOT, cpuSecondsWithChildren, fmt, machineLine, markdownTable, pythonHas } from './common.js';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const DECODERS = (process.env.BENCH_BALANCE_DECODERS ?? 'auto,wasm').split(',');
const PARTS = (process.env.BENCH_BALANCE_PARTS ?? 'one,shards').split(',');
const DIR = join(DATA, 'balance');
const WORKERS = 2;

interface Answer {
  /** CSV bytes (not part of the generator's DepDelay answer: added from its total). */
  csvBytes: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Generates `shards` × `rows` rows as .csv.bz2 into dir (once), and returns their DepDelay answer. */
function ensureShards(dir: string, shards: number, rows: number, seed: number, startYear: number): Answer {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    console.error(`generating ${shards} × ${rows} rows (bz2) in ${dir} …`);
    execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', dir, '--shards', String(shards), '--rows-per-shard', String(rows), '--compression', 'bz2', '--seed', String(seed), '--start-year', String(startYear), '--jobs', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { total: { bytes_uncompressed: number; DepDelay: Answer } };
  return { ...m.total.DepDelay, csvBytes: m.total.bytes_uncompressed };
}

const bz2Files = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.csv.bz2')).sort().map((f) => join(dir, f));

function combine(answers: Answer[]): Answer {
  return { csvBytes: answers.reduce((a, b) => a + b.csvBytes, 0), count: answers.reduce((a, b) => a + b.count, 0), sum: answers.reduce((a, b) => a + b.sum, 0), min: Math.min(...answers.map((a) => a.min)), max: Math.max(...answers.map((a) => a.max)) };
}

function check(engine: string, got: { max: number; min: number; mean: number }, want: Answer): void {
  const mean = want.sum / want.count;
  if (got.max !== want.max || got.min !== want.min || Math.abs(got.mean - mean) > 1e-9 * Math.abs(mean)) {
    throw new Error(`${engine} gave a wrong answer: ${JSON.stringify(got)}, want max ${want.max} min ${want.min} mean ${mean}`);
  }
}

function data(): { one: { files: string[]; answer: Answer }; shards: { files: string[]; answer: Answer } } {
  const one = ensureShards(join(DIR, 'one'), 1, 810_000, 7, 2001);
  const large = ensureShards(join(DIR, 'large'), 1, 750_000, 11, 2001);
  const small = ensureShards(join(DIR, 'small'), 3, 150_000, 12, 2002);
  return {
    one: { files: bz2Files(join(DIR, 'one')), answer: one },
    shards: { files: [...bz2Files(join(DIR, 'large')), ...bz2Files(join(DIR, 'small'))], answer: combine([large, small]) },
  };
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds every process on the machine has used (the first line of /proc/stat, less idle and iowait). */
function machineCpuSeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / CLK_TCK;
  } catch {
    return NaN;
  }
}

interface Run {
  wall: number;
  /** CPU seconds of this process (all threads) and its reaped children. */
  cpu: number;
  /** CPU seconds every other process used meanwhile. */
  others: number;
  /**
   * CPU seconds of this process's busiest thread (a worker thread): with the decoder in the
   * worker, the read's critical path in CPU time, which other processes' load does not stretch.
   */
  busiest: number;
  /** CPU seconds of the second busiest thread (with 2 workers: the other worker). */
  second: number;
}

/** CPU seconds of each thread of this process, by thread id (/proc/self/task). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
        out.set(tid, (f[11]! + f[12]!) / CLK_TCK);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

async function timed(run: () => Promise<unknown>): Promise<Run> {
  const [threads0, cpu0, all0, t0] = [threadCpu(), cpuSecondsWithChildren(), machineCpuSeconds(), performance.now()];
  await run();
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsWithChildren() - cpu0;
  const deltas = [...threadCpu()].map(([tid, seconds]) => seconds - (threads0.get(tid) ?? 0)).sort((a, b) => b - a);
  return { wall, cpu, others: Math.max(0, machineCpuSeconds() - all0 - cpu), busiest: deltas[0] ?? 0, second: deltas[1] ?? 0 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The DepDelay column, partitioned as readCsv plans it for `planWorkers` workers (1: fixed blocks only, as before balancing). */
function depDelay(files: string[], planWorkers: number): ddf.Series & { partitions: number } {
  ddf.config.set({ numWorkers: planWorkers });
  try {
    const df = ddf.readCsv(files, { encoding: 'latin1' });
    return Object.assign(df.col('DepDelay'), { partitions: df.npartitions });
  } finally {
    ddf.config.reset();
  }
}

async function reduce(delay: ddf.Series, numWorkers: number, want: Answer): Promise<void> {
  const [max, min, mean] = await ddf.compute(delay.max(), delay.min(), delay.mean(), { numWorkers });
  check('Dusk', { max: max!, min: min!, mean: mean! }, want);
}

/** Part 'one', in this process (a child whose workers start with the decoder's DUSK_BZ2_DECODER). */
async function oneFile(): Promise<{ partitions: number; rounds: { w1: Run; w2: Run }[] }> {
  const { files, answer } = data().one;
  // Planned for 2 workers: 1 worker reads the same partitions.
  const delay = depDelay(files, WORKERS);
  await reduce(delay, 1, answer);
  await reduce(delay, WORKERS, answer);
  const rounds: { w1: Run; w2: Run }[] = [];
  for (let i = 0; i < REPEAT; i++) {
    // Alternate which goes first, so a load that comes and goes hits both alike.
    const order = i % 2 === 0 ? [1, WORKERS] : [WORKERS, 1];
    const got: Record<number, Run> = {};
    for (const n of order) got[n] = await timed(() => reduce(delay, n, answer));
    rounds.push({ w1: got[1]!, w2: got[WORKERS]! });
  }
  await ddf.shutdown();
  return { partitions: delay.partitions, rounds };
}

function childOneFile(decoder: string): { partitions: number; rounds: { w1: Run; w2: Run }[] } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child-one'], {
    encoding: 'utf8',
    env: { ...process.env, DUSK_BZ2_DECODER: decoder, DUSK_NUM_WORKERS: String(WORKERS) },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`the ${decoder} child failed (${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { partitions: number; rounds: { w1: Run; w2: Run }[] };
}

/** Dask threads (2 workers) on the shards: one python process, REPEAT timed computes printed as JSON, one per line, as they finish. */
const DASK_SCRIPT = (files: string[]) => `
import json, sys, time, resource, dask, dask.dataframe as dd
dask.config.set(scheduler='threads', num_workers=${WORKERS})
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
ddf = dd.read_csv(${JSON.stringify(files)}, blocksize=None, usecols=['DepDelay'], encoding='latin1', dtype={'DepDelay': 'float64'})
s = ddf['DepDelay']
for line in sys.stdin:
    t, c = time.perf_counter(), cpu()
    mx, mn, mean = dask.compute(s.max(), s.min(), s.mean())
    print(json.dumps({'wall': time.perf_counter() - t, 'cpu': cpu() - c, 'max': float(mx), 'min': float(mn), 'mean': float(mean), 'partitions': ddf.npartitions}), flush=True)
`;

interface DaskRun extends Run {
  max: number;
  min: number;
  mean: number;
  partitions: number;
}

/** A Dask python process that computes once per line written to its stdin (so runs interleave with Dusk's). */
async function startDask(files: string[]): Promise<{ run: () => Promise<DaskRun>; close: () => void }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(PYTHON, ['-c', DASK_SCRIPT(files)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting: ((line: string) => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  return {
    run: async () => {
      const all0 = machineCpuSeconds();
      const line = await new Promise<string>((resolve) => {
        waiting.push(resolve);
        child.stdin.write('go\n');
      });
      const r = JSON.parse(line) as DaskRun;
      return { ...r, others: Math.max(0, machineCpuSeconds() - all0 - r.cpu) };
    },
    close: () => child.stdin.end(),
  };
}

async function shards(): Promise<{ partitions: number; fixedPartitions: number; daskPartitions: number; rounds: { dusk: Run; dask: Run; fixed: Run }[]; dusk1: Run[] }> {
  const { files, answer } = data().shards;
  const delay = depDelay(files, WORKERS);
  const fixed = depDelay(files, 1);
  const dask = await startDask(files);
  try {
    await reduce(delay, WORKERS, answer);
    await reduce(delay, 1, answer);
    const first = await dask.run(); // untimed: Dask's first compute imports pandas' parser paths
    check('Dask', first, answer);
    const rounds: { dusk: Run; dask: Run; fixed: Run }[] = [];
    const dusk1: Run[] = [];
    for (let i = 0; i < REPEAT; i++) {
      let duskRun: Run;
      let daskRun: DaskRun;
      if (i % 2 === 0) {
        duskRun = await timed(() => reduce(delay, WORKERS, answer));
        daskRun = await dask.run();
      } else {
        daskRun = await dask.run();
        duskRun = await timed(() => reduce(delay, WORKERS, answer));
      }
      check('Dask', daskRun, answer);
      const fixedRun = await timed(() => reduce(fixed, WORKERS, answer));
      rounds.push({ dusk: duskRun, dask: daskRun, fixed: fixedRun });
      dusk1.push(await timed(() => reduce(delay, 1, answer)));
    }
    return { partitions: delay.partitions, fixedPartitions: fixed.partitions, daskPartitions: first.partitions, rounds, dusk1 };
  } finally {
    dask.close();
    await ddf.shutdown();
  }
}

const range = (xs: number[]): string => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;

async function main(): Promise<void> {
  if (process.argv[2] === 'child-one') {
    console.log(JSON.stringify(await oneFile()));
    return;
  }
  const d = data();
  const sizes = (files: string[]) => files.map((f) => (readFileSync(f).length / 1e6).toFixed(1)).join(' + ');
  const out: string[] = [`### balance: compute(max, min, mean) of DepDelay — ${machineLine()}; ${REPEAT} rounds, medians (range)`];
  const targets: string[][] = [];
  if (PARTS.includes('one')) {
    const rows: string[][] = [];
    for (const decoder of DECODERS) {
      const r = childOneFile(decoder);
      const ratios = r.rounds.map((x) => x.w2.wall / x.w1.wall);
      // In CPU time: the busiest thread of the 2-worker read over all the CPU of the 1-worker read.
      const cpuRatios = r.rounds.map((x) => x.w2.busiest / x.w1.cpu);
      const w1 = r.rounds.map((x) => x.w1);
      const w2 = r.rounds.map((x) => x.w2);
      rows.push([
        decoder,
        String(r.partitions),
        `${fmt(median(w1.map((x) => x.wall)))} (${range(w1.map((x) => x.wall))})`,
        `${fmt(median(w2.map((x) => x.wall)))} (${range(w2.map((x) => x.wall))})`,
        `**${fmt(median(ratios))}** (${range(ratios)})`,
        fmt(median(w1.map((x) => x.cpu / x.wall))),
        fmt(median(w2.map((x) => x.cpu / x.wall))),
        fmt(median(r.rounds.map((x) => x.w2.cpu / x.w1.cpu))),
        `${fmt(median(w1.map((x) => x.others / x.wall)))} / ${fmt(median(w2.map((x) => x.others / x.wall)))}`,
        // The best 2 workers can do on 2 cores with the CPU they used: max(CPU/2, 1 worker's wall/2).
        fmt(median(r.rounds.map((x) => Math.max(x.w2.cpu / WORKERS, x.w1.wall / WORKERS) / x.w1.wall))),
        `${fmt(median(cpuRatios))} (${range(cpuRatios)})`,
        fmt(median(w2.map((x) => x.busiest / (x.busiest + x.second)))),
      ]);
      targets.push(['one .bz2 file: 2 workers / 1 worker (wall), decoder ' + decoder, fmt(median(ratios)), '≤ 0.55', median(ratios) <= 0.55 ? 'yes' : '**no**']);
      if (decoder === 'wasm') targets.push(['one .bz2 file: 2 workers / 1 worker (CPU time: busiest thread with 2 / all CPU with 1), decoder wasm', fmt(median(cpuRatios)), '≤ 0.55', median(cpuRatios) <= 0.55 ? 'yes' : '**no**']);
    }
    out.push(
      '',
      `one file: ${sizes(d.one.files)} MB of .bz2 (${(d.one.answer.csvBytes / 1e6).toFixed(1)} MB of CSV)`,
      '',
      markdownTable(['bz2 decoder', 'partitions', '1 worker s', '2 workers s', '2w / 1w', 'cores busy 1w', 'cores busy 2w', 'CPU-s 2w / 1w', 'others\' cores 1w / 2w', 'floor on 2 cores', 'CPU-time 2w / 1w', 'busiest worker\'s share (2w)'], rows),
    );
  }
  if (PARTS.includes('shards')) {
    if (!pythonHas('dask.dataframe')) {
      out.push('', 'shards: skipped (Dask is not installed: apt-get install python3-dask python3-pandas)');
    } else {
      const r = await shards();
      const ratios = r.rounds.map((x) => x.dusk.wall / x.dask.wall);
      const dusk = r.rounds.map((x) => x.dusk);
      const dask = r.rounds.map((x) => x.dask);
      out.push(
        '',
        `shards: ${sizes(d.shards.files)} MB of .bz2 (${(d.shards.answer.csvBytes / 1e6).toFixed(1)} MB of CSV); Dusk ${r.partitions} partitions, Dask ${r.daskPartitions}`,
        '',
        markdownTable(
          ['engine (2 workers)', 'wall s', 'cores busy', 'others\' cores', 'busiest thread\'s share of the 2 busiest'],
          [
            [`Dusk (${r.partitions} partitions)`, `${fmt(median(dusk.map((x) => x.wall)))} (${range(dusk.map((x) => x.wall))})`, fmt(median(dusk.map((x) => x.cpu / x.wall))), fmt(median(dusk.map((x) => x.others / x.wall))), fmt(median(dusk.map((x) => x.busiest / (x.busiest + x.second))))],
            [`Dusk, fixed-block plan as before (${r.fixedPartitions} partitions)`, `${fmt(median(r.rounds.map((x) => x.fixed.wall)))} (${range(r.rounds.map((x) => x.fixed.wall))})`, fmt(median(r.rounds.map((x) => x.fixed.cpu / x.fixed.wall))), fmt(median(r.rounds.map((x) => x.fixed.others / x.fixed.wall))), fmt(median(r.rounds.map((x) => x.fixed.busiest / (x.fixed.busiest + x.fixed.second))))],
            [`Dusk, 1 worker`, `${fmt(median(r.dusk1.map((x) => x.wall)))} (${range(r.dusk1.map((x) => x.wall))})`, fmt(median(r.dusk1.map((x) => x.cpu / x.wall))), fmt(median(r.dusk1.map((x) => x.others / x.wall))), ''],
            [`Dask threads (${r.daskPartitions} partitions)`, `${fmt(median(dask.map((x) => x.wall)))} (${range(dask.map((x) => x.wall))})`, fmt(median(dask.map((x) => x.cpu / x.wall))), fmt(median(dask.map((x) => x.others / x.wall))), ''],
            ['Dusk / Dask', `**${fmt(median(ratios))}** (${range(ratios)})`, '', '', ''],
            ['Dusk fixed-block plan / Dask', `${fmt(median(r.rounds.map((x) => x.fixed.wall / x.dask.wall)))} (${range(r.rounds.map((x) => x.fixed.wall / x.dask.wall))})`, '', '', ''],
          ],
        ),
      );
      targets.push(['shards 5:1:1:1 .bz2: Dusk 2 workers / Dask threads 2 workers (wall)', fmt(median(ratios)), '≤ 0.60', median(ratios) <= 0.6 ? 'yes' : '**no**']);
    }
  }
  out.push(
    '',
    'cores busy = CPU seconds (all threads, reaped lbzip2 children; Dask: its process) / wall. others\' cores = CPU the rest of the machine used meanwhile / wall (2 cores in all). CPU-s 2w / 1w: the CPU a read costs with 2 workers over 1 (1 = cutting costs nothing). floor on 2 cores: the lowest 2w / 1w ratio the CPU used allows, max(CPU-s of 2w / 2, wall of 1w / 2) / wall of 1w: with lbzip2, 1 worker already keeps more than one core busy. CPU-time 2w / 1w: the CPU seconds of the busiest thread of the 2-worker read (a worker: parsing its partitions, and with the wasm decoder decoding them) over all the CPU seconds of the 1-worker read: the ratio on 2 idle cores, which the load of other processes does not move (with lbzip2 the decoding is in child processes, not in the threads: that ratio then counts the parsing only). Busiest worker share: the CPU of the busiest of the 2 worker threads over both (0.50 = the partitions split the work evenly).',
    '',
    markdownTable(['target', 'measured (median)', 'goal', 'met'], targets),
  );
  console.log(out.join('\n'));
}

await main();
