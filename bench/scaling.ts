/**
 * Part 'scaling': the signature workload's throughput with 1 worker and with N =
 * os.availableParallelism() workers (threads scheduler); the target is N workers ≥ 0.85·N ×
 * one worker's throughput. Variants (BENCH_SCALING_FORMATS): plain, bz2 (the default decoder:
 * lbzip2 in a child process beside each worker when installed) and bz2-wasm (the decoder inside
 * the worker thread: one worker = one core; run in a child process with DUSK_BZ2_DECODER=wasm,
 * since worker threads take their environment when they start).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import {
  CORES, FORMAT_NAME, type Format, type PartResult, REPEAT, type Target,
  best, checkAnswer, cpuSecondsWithChildren, ensureData, fmt, glob, machineLine, markdownTable, target,
} from './common.js';

type Variant = Format | 'bz2-wasm';
const VARIANTS = (process.env.BENCH_SCALING_FORMATS ?? 'none,bz2,bz2-wasm').split(',') as Variant[];
const NAME: Record<Variant, string> = { ...FORMAT_NAME, bz2: `bz2 (decoder ${process.env.DUSK_BZ2_DECODER ?? 'auto'})`, 'bz2-wasm': 'bz2 (decoder wasm, in the worker)' };

interface Scaling {
  seconds: Record<number, number>;
  coresBusy: Record<number, number>;
}

/**
 * Runs of a plain read take ~0.2 s, where a moment's load on a shared machine moves the result by
 * a third: they get more tries than the seconds-long bz2 runs.
 */
const repeatsFor = (format: Format): number => (format === 'none' ? Math.max(REPEAT, 6) : REPEAT);

/** 1 and N workers alternately (best of repeatsFor(format) each), each pool size first started by an untimed run. */
async function measure(format: Format, n: number): Promise<Scaling> {
  const manifest = ensureData(format);
  const delay = ddf.readCsv(glob(format), { encoding: 'latin1', blocksize: null }).col('DepDelay');
  const seconds: Record<number, number> = { 1: Infinity, [n]: Infinity };
  const coresBusy: Record<number, number> = { 1: NaN, [n]: NaN };
  const run = async (workers: number) => {
    const [max, min, mean] = await ddf.compute(delay.max(), delay.min(), delay.mean(), { numWorkers: workers });
    checkAnswer('Dusk', format, { max: max!, min: min!, mean: mean! }, manifest);
  };
  for (let i = 0; i < repeatsFor(format); i++) {
    for (const workers of [...new Set([1, n])]) {
      if (i === 0) await run(workers);
      const cpu = cpuSecondsWithChildren();
      const wall = await best(() => run(workers), 1);
      if (wall < seconds[workers]!) {
        seconds[workers] = wall;
        coresBusy[workers] = (cpuSecondsWithChildren() - cpu) / wall;
      }
    }
  }
  return { seconds, coresBusy };
}

/** The bz2-wasm variant, in a child process whose workers start with DUSK_BZ2_DECODER=wasm. */
function measureInChild(format: Format, n: number, env: Record<string, string>): Scaling {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', format, String(n)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) throw new Error(`scaling child (${JSON.stringify(env)}) failed: exit ${child.status ?? child.signal}`);
  return JSON.parse(line) as Scaling;
}

export async function runScaling(): Promise<PartResult> {
  const n = CORES;
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const variant of VARIANTS) {
    const format: Format = variant === 'bz2-wasm' ? 'bz2' : variant;
    const mb = ensureData(format).total.bytes_uncompressed / 1e6;
    const { seconds, coresBusy } = variant === 'bz2-wasm' ? measureInChild('bz2', n, { DUSK_BZ2_DECODER: 'wasm' }) : await measure(format, n);
    const speedup = seconds[1]! / seconds[n]!;
    console.log(`  scaling ${NAME[variant]}: 1 worker ${fmt(seconds[1]!)} s, ${n} workers ${fmt(seconds[n]!)} s, speedup ${fmt(speedup)}`);
    // CPU work per MB with N workers vs 1: near 1 means the code scales; a speedup below N then comes from cores (1 worker borrowing a second core for its reads or decoder).
    const efficiency = (seconds[1]! * coresBusy[1]!) / (seconds[n]! * coresBusy[n]!);
    rows.push([NAME[variant], fmt(seconds[1]!), fmt(mb / seconds[1]!, 0), fmt(coresBusy[1]!, 1), String(n), fmt(seconds[n]!), fmt(mb / seconds[n]!, 0), fmt(coresBusy[n]!, 1), fmt(speedup), fmt(0.85 * n), fmt(speedup / (0.85 * n)), fmt(efficiency)]);
    targets.push(target('scaling', `${NAME[variant]}: throughput with ${n} workers / with 1`, n > 1 ? speedup : NaN, `≥ ${fmt(0.85 * n)} (0.85·${n})`, (x) => x >= 0.85 * n, n > 1 ? (coresBusy[1]! > 1.1 ? `1 worker already keeps ${fmt(coresBusy[1]!, 1)} cores busy; CPU per MB, N vs 1: ${fmt(efficiency)}` : undefined) : 'one core: nothing to scale'));
  }
  const markdown = [
    `### scaling: compute(max, min, mean), 1 worker vs ${n} — ${machineLine()}; threads scheduler; best of ${repeatsFor('none')} (plain) or ${REPEAT}`,
    '',
    markdownTable(['format', '1 worker s', 'MB/s', 'cores busy', 'N', 'N workers s', 'MB/s', 'cores busy', 'speedup', 'target 0.85·N', 'speedup / target', 'MB per CPU-s, N vs 1'], rows),
    '',
    'cores busy = CPU seconds of the process (all threads) and its decoder child processes (lbzip2), over wall seconds: a worker whose bz2 decoder is a child process keeps more than one core busy, so on N cores N such workers cannot be N times one. MB per CPU-s, N vs 1: the CPU each MB costs with 1 worker over what it costs with N (1 = no loss from running in parallel). 1 worker and N workers alternate, each after an untimed run that starts its pool. On a machine whose cores are shared with other work, N workers get less than N cores: the speedup is a lower bound.',
  ].join('\n');
  return { part: 'scaling', markdown, targets };
}

if (process.argv[2] === 'child' && process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await measure(process.argv[3] as Format, Number(process.argv[4]));
  await ddf.shutdown();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
