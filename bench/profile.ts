/**
 * Where the time goes: one workload of the bench on the 'sync' scheduler (every task on this
 * thread, so one V8 CPU profile sees all of it), profiled with node:inspector; prints the
 * functions with the most self time and writes the .cpuprofile (open it in Chrome DevTools).
 *   npx tsx bench/profile.ts [read-plain|read-gz|read-bz2|arrow|arrow-threads|groupby-q1|groupby-q2|groupby-q3] [out.cpuprofile]
 * 'arrow-threads' runs toArrow() on the threads scheduler with one worker and profiles only the
 * main thread: what receiving the worker's batches and assembling the Table costs there.
 * Run `npm run bench` (or `npm run build`) first: it profiles dist/ and uses bench/data.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import * as ddf from 'dusk';
import { ROOT, ensureData, fmt, glob } from './common.js';
import { QUERIES, duskQuery } from './groupby.js';

const workload = process.argv[2] ?? 'read-plain';
const out = process.argv[3] ?? join(ROOT, 'bench', 'data', `${workload}.cpuprofile`);
const format = workload === 'read-gz' ? 'gz' : workload === 'read-bz2' ? 'bz2' : 'none';
const manifest = ensureData(format);

const run = async (): Promise<void> => {
  const query = QUERIES.find((q) => workload === `groupby-${q.id}`);
  if (query) {
    await duskQuery(ddf.readCsv(glob('none'), { encoding: 'latin1', blocksize: null }), query).toArrow().compute({ scheduler: 'sync' });
  } else if (workload === 'arrow' || workload === 'arrow-threads') {
    const threads = workload === 'arrow-threads';
    await ddf.readCsv(glob('none'), { encoding: 'latin1' }).toArrow().compute(threads ? { scheduler: 'threads', numWorkers: 1 } : { scheduler: 'sync' });
  } else {
    const d = ddf.readCsv(glob(format), { encoding: 'latin1', blocksize: null }).col('DepDelay');
    await ddf.compute(d.max(), d.min(), d.mean(), { scheduler: 'sync' });
  }
};

await run(); // warm up: JIT, page cache
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t = performance.now();
await run();
const seconds = (performance.now() - t) / 1000;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
writeFileSync(out, JSON.stringify(profile));

// Self time per function (samples × interval), the top 15.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map<number, number>();
for (const id of profile.samples ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
const total = profile.samples?.length ?? 1;
const self = new Map<string, number>();
for (const [id, n] of counts) {
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'}  ${f.url ? `${f.url.replace(/^file:\/\/.*\/(src|dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : ''}`;
  self.set(key, (self.get(key) ?? 0) + n);
}
console.log(`${workload}: ${fmt(seconds)} s ${workload === 'arrow-threads' ? 'with one worker thread (main thread profiled)' : 'on one thread (sync)'}, ${fmt(manifest.total.bytes_uncompressed / 1e6 / seconds, 0)} MB/s; profile → ${out}\n`);
for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${fmt((100 * n) / total, 1).padStart(5)} %  ${key}`);
await ddf.shutdown();
