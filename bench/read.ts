/**
 * `npm run bench`: compute(max, min, mean) of DepDelay over sharded airline CSVs (plain, gzip,
 * bz2) with Dusk, against baselines measured in the same run on the same files:
 *   - the floor: decompressing the files to /dev/null with the same number of cores
 *     (lbzip2/bzip2 for bz2, gzip for gzip, cat for plain) — no engine can beat it;
 *   - Dask's dask.compute(max, min) with the threads scheduler, when Debian's python3-dask is installed.
 * Prints wall seconds, MB/s of CSV, and each ratio. Data: bench/data/ (generated if absent).
 *   BENCH_SHARDS=8 BENCH_ROWS=500000 BENCH_FORMATS=none,gz,bz2 BENCH_REPEAT=2 npm run bench
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ddf from 'dusk';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'bench', 'data');
const SHARDS = Number(process.env.BENCH_SHARDS ?? 8);
const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const FORMATS = (process.env.BENCH_FORMATS ?? 'none,gz,bz2').split(',') as ('none' | 'gz' | 'bz2')[];
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const WORKERS = ddf.config.get().numWorkers;
const EXT = { none: '.csv', gz: '.csv.gz', bz2: '.csv.bz2' } as const;

interface Manifest {
  shards: number;
  rows_per_shard: number;
  total: { bytes_uncompressed: number; DepDelay: { min: number; max: number; mean: number } };
}

function ensureData(format: 'none' | 'gz' | 'bz2'): Manifest {
  const dir = join(DATA, format);
  const manifestPath = join(dir, 'manifest.json');
  const fits = (m: Manifest) => m.shards === SHARDS && m.rows_per_shard === ROWS;
  if (!existsSync(manifestPath) || !fits(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)) {
    console.error(`generating ${SHARDS} × ${ROWS} rows (${format}) in bench/data/${format} …`);
    execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', dir, '--shards', String(SHARDS), '--rows-per-shard', String(ROWS), '--compression', format, '--seed', '42', '--jobs', String(WORKERS)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
}

function files(format: keyof typeof EXT): string[] {
  const dir = join(DATA, format);
  return readdirSync(dir).filter((f) => f.endsWith(EXT[format])).sort().map((f) => join(dir, f));
}

/** Best of REPEAT runs, in seconds. */
async function best(run: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await run();
    min = Math.min(min, (performance.now() - t) / 1000);
  }
  return min;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** The decompression floor: every file decoded to /dev/null, WORKERS at a time. */
function floorCommand(format: keyof typeof EXT): { name: string; run: () => void } {
  const tool = format === 'bz2' ? (has('lbzip2') ? 'lbzip2 -n 1 -dc' : 'bzip2 -dc') : format === 'gz' ? 'gzip -dc' : 'cat';
  const list = files(format).join('\n');
  return {
    name: `${tool.split(' ')[0]} ×${WORKERS} → /dev/null`,
    run: () => execFileSync('sh', ['-c', `xargs -P ${WORKERS} -I{} sh -c '${tool} "{}" > /dev/null'`], { input: list }),
  };
}

function daskAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import dask.dataframe'], { stdio: 'ignore' }).status === 0;
}

function daskSeconds(format: keyof typeof EXT): number {
  const script = `
import time, dask, dask.dataframe as dd
dask.config.set(scheduler='threads', num_workers=${WORKERS})
air = dd.read_csv(${JSON.stringify(join(DATA, format, `*${EXT[format]}`))}, compression=${format === 'none' ? 'None' : format === 'gz' ? "'gzip'" : "'bz2'"}, blocksize=None, encoding='latin1',
                  dtype={'DepDelay': 'float64', 'Distance': 'float64', 'CRSElapsedTime': 'float64', 'TailNum': 'object', 'CancellationCode': 'object'})
best = 1e9
for _ in range(${REPEAT}):
    t = time.time(); dask.compute(air.DepDelay.max(), air.DepDelay.min()); best = min(best, time.time() - t)
print(best)`;
  return Number(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim());
}

const rows: string[][] = [];
const withDask = daskAvailable();
console.log(`Dusk ${WORKERS} workers (threads); ${SHARDS} shards × ${ROWS.toLocaleString()} rows; best of ${REPEAT}; bz2 decoder: ${process.env.DUSK_BZ2_DECODER ?? 'auto'}`);
if (!withDask) console.log('Dask not installed (apt-get install python3-dask): its column is skipped.');
for (const format of FORMATS) {
  const manifest = ensureData(format);
  const mb = manifest.total.bytes_uncompressed / 1e6;
  const air = ddf.readCsv(join(DATA, format, `*${EXT[format]}`), { encoding: 'latin1', blocksize: null });
  const delay = air.col('DepDelay');
  let answer: number[] = [];
  const dusk = await best(async () => {
    answer = await ddf.compute(delay.max(), delay.min(), delay.mean());
  });
  if (answer[0] !== manifest.total.DepDelay.max || answer[1] !== manifest.total.DepDelay.min) throw new Error(`wrong answer on ${format}: ${answer}`);
  const floor = floorCommand(format);
  const floorSeconds = await best(floor.run);
  const dask = withDask ? daskSeconds(format) : NaN;
  rows.push([
    format,
    dusk.toFixed(2),
    (mb / dusk).toFixed(0),
    `${floorSeconds.toFixed(2)} (${floor.name})`,
    (floorSeconds / dusk).toFixed(2),
    withDask ? dask.toFixed(2) : '–',
    withDask ? (dusk / dask).toFixed(2) : '–',
  ]);
}
await ddf.shutdown();

const header = ['format', 'Dusk s', 'MB/s', 'floor s', 'floor/Dusk', 'Dask s', 'Dusk/Dask'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
console.log(`\n${table}\n\nfloor/Dusk: share of the decompression floor's speed reached (1 = as fast as decoding alone).\nDusk/Dask: Dusk's time as a fraction of Dask's (lower is better).`);
writeFileSync(join(ROOT, 'bench', 'results-read.md'), `# bench/read.ts — ${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores, ${SHARDS} shards × ${ROWS} rows\n\n${table}\n`);
