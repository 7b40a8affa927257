/**
 * The distributed scheduler's costs, in one run, against the threads scheduler on the same cores
 * (issue 16): a local Redis and 2 `dusk worker` processes (1 thread each) vs a threads client
 * with 2 workers.
 *  - per-task overhead: N tiny tasks (x => x + 1) with chunksize 1 (one job per task) and
 *    batched (chunksize 'auto': about 4 batches per worker);
 *  - the 8-shard airline reduce (DepDelay max, min, mean over bz2 shards): the network path's cost
 *    (jobs, results and events through Redis) on top of the same work.
 *
 *   npm run build && npx tsx bench/distributed.ts
 *   env: BENCH_TINY (10000), BENCH_DIST_ROWS rows per shard (100000), BENCH_REPEAT (2)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ddf from 'dusk';
import { startLocalCluster } from '../examples/local-cluster.js';
import { best, DATA, fmt, machineLine, markdownTable, ROOT } from './common.js';

const TINY = Number(process.env.BENCH_TINY ?? 10_000);
const ROWS = Number(process.env.BENCH_DIST_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const SHARDS = 8;
const WORKERS = 2;

function airlineData(): { glob: string; answer: { max: number; min: number; mean: number } } {
  const dir = join(DATA, `distributed-${ROWS}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`generating ${SHARDS} × ${ROWS} rows (bz2) in ${dir} …`);
    execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', dir, '--shards', String(SHARDS), '--rows-per-shard', String(ROWS), '--compression', 'bz2', '--seed', '42', '--jobs', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { total: { DepDelay: { max: number; min: number; mean: number } } };
  return { glob: join(dir, '*.csv.bz2'), answer: manifest.total.DepDelay };
}

const inc = (x: number) => x + 1;

async function tiny(client: ddf.Client, chunksize: number | 'auto'): Promise<number> {
  const items = Array.from({ length: TINY }, (_, i) => i);
  const run = async () => {
    const out = await client.gather(client.map(inc, items, { chunksize }));
    if (out[TINY - 1] !== TINY) throw new Error('wrong result');
  };
  await client.gather(client.map(inc, items.slice(0, 100), { chunksize })); // warm: workers and their threads up
  return best(run, REPEAT);
}

async function reduce(client: ddf.Client, glob: string, answer: { max: number; min: number; mean: number }): Promise<number> {
  const run = async () => {
    const s = ddf.readCsv(glob, { encoding: 'latin1' }).col('DepDelay');
    const [max, min, mean] = await client.compute(s.max(), s.min(), s.mean(), { inlineBelowBytes: 0 });
    if (max !== answer.max || min !== answer.min || Math.abs(Number(mean) - answer.mean) > 1e-9) throw new Error(`wrong answer: ${max} ${min} ${mean}`);
  };
  await run(); // warm
  return best(run, REPEAT);
}

const { glob, answer } = airlineData();
const cluster = await startLocalCluster({ workers: WORKERS, concurrency: 1, allowSource: true });
const threads = await ddf.Client.local({ nWorkers: WORKERS, progress: false });
const distributed = await ddf.Client.connect(cluster.url, { waitForWorkers: WORKERS, setAsDefault: false, progress: false });
try {
  const rows: string[][] = [];
  const t1 = await tiny(threads, 1);
  const d1 = await tiny(distributed, 1);
  const tb = await tiny(threads, 'auto');
  const db = await tiny(distributed, 'auto');
  rows.push([`${TINY} tiny tasks, chunksize 1`, fmt(t1), fmt(d1), fmt(d1 / t1, 1), `${fmt((t1 / TINY) * 1e6, 0)} / ${fmt((d1 / TINY) * 1e6, 0)}`]);
  rows.push([`${TINY} tiny tasks, batched ('auto')`, fmt(tb), fmt(db), fmt(db / tb, 1), `${fmt((tb / TINY) * 1e6, 0)} / ${fmt((db / TINY) * 1e6, 0)}`]);
  const tr = await reduce(threads, glob, answer);
  const dr = await reduce(distributed, glob, answer);
  rows.push([`8-shard airline reduce (${ROWS} rows/shard, bz2)`, fmt(tr), fmt(dr), fmt(dr / tr, 2), '']);
  console.log(`${machineLine()}; best of ${REPEAT}; ${WORKERS} threads vs ${WORKERS} dusk worker processes × 1 thread, Redis on 127.0.0.1\n`);
  console.log(markdownTable(['run', 'threads (s)', 'distributed (s)', 'distributed / threads', 'µs per task (threads / distributed)'], rows));
} finally {
  await distributed.close();
  await threads.close();
  await cluster.stop();
}
