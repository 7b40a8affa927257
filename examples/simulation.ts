/**
 * Course unit, scenario 7: a simulation study with 1000 replicates — parallel random number
 * generation. Each replicate draws a data set (y = 1 + 2x + t₃ noise, n = 50) and fits two
 * estimators of the slope: least squares and the robust Theil–Sen. Every replicate draws from
 * its own stream, taskGenerator(seed, i) — numpy's Generator(PCG64(SeedSequence(seed).spawn(n)[i]))
 * — so the output is identical, to the bit, on any scheduler and any number of workers.
 *
 *   npm run build && npx tsx examples/simulation.ts                    # sync, threads×1, threads×2: checks they agree
 *   npx tsx examples/simulation.ts --scheduler threads --workers 2 [--replicates 1000]
 *
 * Results go to stdout and times to stderr, so the stdout of any two runs can be diffed.
 * runSimulation() is exported for the tests.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { Generator, MT19937, PCG64, SeedSequence, taskGenerator } from 'dusk/random';
import { BETA, replicate } from './tasks/replicate.js';

export const SEED = 2024;
const N = 50;

export interface EstimatorSummary {
  mean: number;
  bias: number;
  /** Standard deviation across replicates (n − 1). */
  sd: number;
  rmse: number;
}

export interface SimulationResult {
  replicates: number;
  ols: EstimatorSummary;
  theilSen: EstimatorSummary;
  /** Share of replicates where Theil–Sen is closer to the true slope than least squares. */
  theilSenCloser: number;
  /** SHA-1 of every estimate's bits, in replicate order: equal digests = identical results. */
  digest: string;
}

export interface SimulationOptions {
  scheduler?: 'sync' | 'threads' | 'processes' | 'distributed';
  numWorkers?: number;
  replicates?: number;
  seed?: number;
}

function summarize(values: Float64Array): EstimatorSummary {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v; // fixed order: the replicate order
  const mean = sum / n;
  let ss = 0, se = 0;
  for (const v of values) {
    ss += (v - mean) ** 2;
    se += (v - BETA) ** 2;
  }
  return { mean, bias: mean - BETA, sd: Math.sqrt(ss / (n - 1)), rmse: Math.sqrt(se / n) };
}

/** Runs the replicates as one graph of tasks on the given scheduler; summarizes in replicate order. */
export async function runSimulation({ scheduler = 'threads', numWorkers, replicates = 1000, seed = SEED }: SimulationOptions = {}): Promise<SimulationResult> {
  const rep = ddf.delayed(replicate);
  const tasks = Array.from({ length: replicates }, (_, i) => rep(seed, i, N));
  const [fits] = await ddf.compute(tasks, { scheduler, ...(numWorkers !== undefined ? { numWorkers } : {}) });
  const ols = Float64Array.from(fits, (f) => f[0]);
  const ts = Float64Array.from(fits, (f) => f[1]);
  let closer = 0;
  for (let i = 0; i < replicates; i++) if (Math.abs(ts[i]! - BETA) < Math.abs(ols[i]! - BETA)) closer++;
  const digest = createHash('sha1').update(new Uint8Array(ols.buffer)).update(new Uint8Array(ts.buffer)).digest('hex');
  return { replicates, ols: summarize(ols), theilSen: summarize(ts), theilSenCloser: closer / replicates, digest };
}

function format(r: SimulationResult): string[] {
  const row = (name: string, s: EstimatorSummary) =>
    `${name.padEnd(14)}${s.mean.toFixed(6).padStart(11)}${s.bias.toFixed(6).padStart(11)}${s.sd.toFixed(6).padStart(11)}${s.rmse.toFixed(6).padStart(11)}`;
  return [
    `${r.replicates} replicates, n = ${N}, y = 1 + ${BETA}x + t(3) noise; true slope ${BETA}`,
    `${'estimator'.padEnd(14)}${'mean'.padStart(11)}${'bias'.padStart(11)}${'sd'.padStart(11)}${'rmse'.padStart(11)}`,
    row('least squares', r.ols),
    row('Theil-Sen', r.theilSen),
    `Theil-Sen closer to the truth in ${(100 * r.theilSenCloser).toFixed(1)}% of replicates`,
    `digest of all ${2 * r.replicates} estimates: ${r.digest}`,
  ];
}

/** The unit's printed examples of PCG64 and jumped(). */
function unitTable(): void {
  const show = (label: string, values: Float64Array) => console.log(`${label.padEnd(56)} [${[...values].map((v) => v.toFixed(8)).join(', ')}]`);
  show('Generator(PCG64(1)).random(3)', new Generator(new PCG64(1)).random(3));
  show('Generator(PCG64(1).jumped(1)).normal(0, 1, 3)', new Generator(new PCG64(1).jumped(1)).normal(0, 1, 3));
  show('Generator(PCG64(1).jumped(2)).normal(0, 1, 3)', new Generator(new PCG64(1).jumped(2)).normal(0, 1, 3));
  show('Generator(PCG64(1).jumped(1).jumped(1)).normal(0, 1, 3)', new Generator(new PCG64(1).jumped(1).jumped(1)).normal(0, 1, 3));
  show('Generator(MT19937(1).jumped(1)).normal(0, 1, 3)', new Generator(new MT19937(1).jumped(1)).normal(0, 1, 3));
  const spawned = new SeedSequence(SEED).spawn(10).map((s) => new Generator(new PCG64(s)));
  const same = spawned.every((g, i) => {
    const mine = taskGenerator(SEED, i).normal(0, 1, 5);
    return g.normal(0, 1, 5).every((v, k) => v === mine[k]);
  });
  console.log(`SeedSequence(${SEED}).spawn(10)[i] streams equal taskGenerator(${SEED}, i): ${same ? 'yes' : 'NO'}\n`);
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const replicates = Number(arg('--replicates') ?? 1000);
  const scheduler = arg('--scheduler') as SimulationOptions['scheduler'] | undefined;
  unitTable();
  const runs: SimulationOptions[] = scheduler ? [{ scheduler, numWorkers: Number(arg('--workers') ?? 2) }] : [{ scheduler: 'sync' }, { scheduler: 'threads', numWorkers: 1 }, { scheduler: 'threads', numWorkers: 2 }];
  const outputs: string[] = [];
  for (const run of runs) {
    const t0 = performance.now();
    const result = await runSimulation({ ...run, replicates });
    const label = run.scheduler === 'sync' ? 'sync' : `${run.scheduler}, ${run.numWorkers} worker${run.numWorkers === 1 ? '' : 's'}`;
    console.error(`[${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s]`);
    outputs.push(format(result).join('\n'));
  }
  console.log(outputs[0]);
  if (runs.length > 1) console.log(`identical output for sync, threads × 1 and threads × 2: ${outputs.every((o) => o === outputs[0]) ? 'yes' : 'NO'}`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
