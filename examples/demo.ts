/**
 * `npm run demo`: makes sample airline shards (if absent), then computes several aggregates
 * of DepDelay in one pass with a progress bar, checks them against the generator's exact
 * answers, and runs the course unit's one-call-versus-two comparison.
 *
 *   npm run demo -- --dashboard    also opens the live dashboard (its URL is printed; port 8787,
 *                                  or a free one) and keeps it open at the end until Enter
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ddf from 'dusk';
import { airline } from './airline.js';

const DATA = join(import.meta.dirname, '..', 'data', 'demo');
const SHARDS = 4;
const ROWS = 250_000;

function ensureData(): void {
  if (existsSync(join(DATA, 'manifest.json'))) return;
  console.log(`Generating ${SHARDS} airline shards × ${ROWS.toLocaleString()} rows (bz2) in data/demo …`);
  const gen = join(import.meta.dirname, '..', 'scripts', 'gen_airline.py');
  const args = [gen, '--out', DATA, '--shards', String(SHARDS), '--rows-per-shard', String(ROWS), '--compression', 'bz2', '--seed', '42', '--jobs', '2'];
  const run = spawnSync('python3', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.error || run.status !== 0) {
    console.error('Could not generate the demo data: python3 is needed (standard library only; numpy makes it faster).');
    process.exit(1);
  }
}

ensureData();
const withDashboard = process.argv.includes('--dashboard');
let dash: ddf.Dashboard | null = null;
if (withDashboard) {
  dash = await ddf.dashboard({ port: 8787 }).catch(() => ddf.dashboard({ port: 0 }));
  console.log(`Dashboard: ${dash.url}  (open it in a browser; the demo starts in 3 s)`);
  await new Promise((r) => setTimeout(r, Number(process.env.DUSK_DEMO_WAIT_MS ?? 3000)));
}
const manifest = (JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as { total: { DepDelay: { count: number; min: number; max: number; mean: number } } }).total;
const air = ddf.readCsv(join(DATA, '*.csv.bz2'), { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });
const delay = air.col('DepDelay');

console.log(`\nOne compute call, five results (scheduler threads, ${ddf.config.get().numWorkers} workers):`);
const t0 = performance.now();
const [count, min, max, mean, std] = await ddf.compute(delay.count(), delay.min(), delay.max(), delay.mean(), delay.std(), { progress: true });
const seconds = (performance.now() - t0) / 1000;
const report = ddf.lastComputeReport()!;
console.log(`  count ${count}  min ${min}  max ${max}  mean ${mean.toFixed(6)}  std ${std.toFixed(6)}`);
const exact = count === manifest.DepDelay.count && min === manifest.DepDelay.min && max === manifest.DepDelay.max && Math.abs(mean - manifest.DepDelay.mean) < 1e-9;
console.log(`  ${exact ? 'equal to' : 'DIFFERENT FROM'} the generator's exact answers`);
const opens = Object.values(report.opens);
console.log(`  ${opens.length} files, each opened ${Math.max(...opens)} time(s) = ${Math.max(...opens)} read pass; ${(report.bytesRead / 1e6).toFixed(1)} MB bz2 → ${(report.bytesDecoded / 1e6).toFixed(1)} MB CSV in ${seconds.toFixed(2)} s (${(report.bytesDecoded / 1e6 / seconds).toFixed(1)} MB/s)`);

console.log('\nThe course unit’s example, separate calls vs one call:');
await airline(join(DATA, '*.csv.bz2'));
if (dash) {
  if (process.stdin.isTTY) {
    console.log(`\nThe dashboard stays open at ${dash.url}: press Enter to end.`);
    await new Promise((r) => process.stdin.once('data', r));
    process.stdin.pause();
  }
  await dash.close();
}
if (!exact) process.exit(1);
