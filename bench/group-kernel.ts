/**
 * Grouped aggregation speed: group ids + count/mean/max of DepDelay over 4M airline-like rows
 * held in memory as 64K-row batches (as the CSV reader hands them over), grouped by
 * UniqueCarrier (~20 string keys) and by Origin×Dest (~5000 pairs). Dusk runs one thread here
 * (partitions would run on several workers); nodejs-polars runs on the same data with one
 * thread (POLARS_MAX_THREADS=1, set before polars loads) and with its default pool.
 * Run: npx tsx bench/group-kernel.ts           (BENCH_ROWS to change the row count)
 */
import { execFileSync } from 'node:child_process';
import type { ColumnBatch, ColumnData } from '../src/core/column-data.js';
import { accumulateBatch, finalizeGrouped, mergeGrouped, newGroupedAccumulator, partialOf } from '../src/aggregates/grouped.js';
import { rng } from '../test/helpers.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 4_000_000);
const BATCH = 65_536;
const REPEAT = 5;


const CARRIERS = ['AA', 'UA', 'DL', 'WN', 'US', 'NW', 'CO', 'HP', 'TW', 'AS', 'B6', 'MQ', 'OO', 'XE', 'EV', 'FL', 'OH', 'YV', '9E', 'F9'];

function airports(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String.fromCharCode(65 + (i % 26), 65 + (Math.floor(i / 26) % 26), 65 + ((i * 7) % 26)));
  return out;
}

export interface Data {
  carrier: string[];
  origin: string[];
  dest: string[];
  delay: (number | null)[];
}

export function generate(rows: number): Data {
  const r = rng(42);
  const ports = airports(300);
  const data: Data = { carrier: [], origin: [], dest: [], delay: [] };
  for (let i = 0; i < rows; i++) {
    data.carrier.push(CARRIERS[Math.floor(r() * r() * CARRIERS.length)]!);
    const o = Math.floor(r() * ports.length);
    data.origin.push(ports[o]!);
    data.dest.push(ports[(o + 1 + Math.floor(r() * 17) * 13) % ports.length]!);
    data.delay.push(r() < 0.02 ? null : Math.round(-10 + 60 * r() * r() * r() * 10));
  }
  return data;
}

const encoder = new TextEncoder();

function stringColumn(values: string[]): ColumnData {
  const offsets = new Int32Array(values.length + 1);
  const parts = values.map((v) => encoder.encode(v));
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return { dtype: 'string', length: values.length, nullCount: 0, validity: null, offsets, data };
}

function floatColumn(values: (number | null)[]): ColumnData {
  const validity = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  const out = new Float64Array(values.length);
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      out[i] = v;
      validity[i >> 3]! |= 1 << (i & 7);
    }
  });
  return { dtype: 'float64', length: values.length, nullCount, validity, values: out };
}

function batches(data: Data): ColumnBatch[] {
  const out: ColumnBatch[] = [];
  for (let s = 0; s < data.carrier.length; s += BATCH) {
    const e = Math.min(data.carrier.length, s + BATCH);
    out.push({
      length: e - s,
      names: ['UniqueCarrier', 'Origin', 'Dest', 'DepDelay'],
      columns: [stringColumn(data.carrier.slice(s, e)), stringColumn(data.origin.slice(s, e)), stringColumn(data.dest.slice(s, e)), floatColumn(data.delay.slice(s, e))],
    });
  }
  return out;
}

function duskSeconds(parts: ColumnBatch[], keys: string[]): { seconds: number; cpu: number; groups: number } {
  const schema = { columns: ['UniqueCarrier', 'Origin', 'Dest', 'DepDelay'], dtypes: { UniqueCarrier: 'string', Origin: 'string', Dest: 'string', DepDelay: 'float64' } } as const;
  const specs = [
    { name: 'n', aggregate: 'count', column: 'DepDelay' },
    { name: 'mean', aggregate: 'mean', column: 'DepDelay' },
    { name: 'max', aggregate: 'max', column: 'DepDelay' },
  ];
  let best = Infinity;
  let bestCpu = Infinity;
  let groups = 0;
  for (let k = 0; k < REPEAT; k++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const acc = newGroupedAccumulator(keys, specs, schema);
    for (const batch of parts) accumulateBatch(acc, batch);
    const out = finalizeGrouped(mergeGrouped([partialOf(acc)]));
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (performance.now() - t) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    groups = out.length;
  }
  return { seconds: best, cpu: bestCpu, groups };
}

/** nodejs-polars in a child process (so POLARS_MAX_THREADS applies), best of REPEAT. */
function polarsSeconds(keys: string[], threads: number | null): { seconds: number; cpu: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--polars', keys.join(','), String(ROWS)], {
    encoding: 'utf8',
    env: { ...process.env, ...(threads === null ? {} : { POLARS_MAX_THREADS: String(threads) }) },
  });
  const [seconds, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: seconds!, cpu: cpu! };
}

async function polarsChild(keys: string[], rows: number): Promise<void> {
  const pl = (await import('nodejs-polars')).default;
  const data = generate(rows);
  const df = pl.DataFrame({ UniqueCarrier: data.carrier, Origin: data.origin, Dest: data.dest, DepDelay: pl.Series('DepDelay', data.delay, pl.Float64) });
  let best = Infinity;
  let bestCpu = Infinity;
  for (let k = 0; k < REPEAT; k++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const out = df.groupBy(keys).agg(pl.col('DepDelay').count().alias('n'), pl.col('DepDelay').mean().alias('mean'), pl.col('DepDelay').max().alias('max')).sort(keys);
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (performance.now() - t) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    if (out.height === 0) throw new Error('no groups');
  }
  console.log(`${best} ${bestCpu}`);
}

if (process.argv[2] === '--polars') {
  await polarsChild(process.argv[3]!.split(','), Number(process.argv[4]));
} else {
  const parts = batches(generate(ROWS));
  console.log(`${ROWS.toLocaleString()} rows in ${parts.length} batches; count/mean/max of DepDelay; best of ${REPEAT}`);
  console.log('wall (CPU) seconds; the machines are shared, so CPU time is the steadier number');
  console.log('| keys | groups | Dusk (1 thread) | polars 1 thread | polars default pool | Dusk / polars 1 thread (CPU) |');
  console.log('|---|---|---|---|---|---|');
  for (const keys of [['UniqueCarrier'], ['Origin', 'Dest']]) {
    const dusk = duskSeconds(parts, keys);
    const one = polarsSeconds(keys, 1);
    const all = polarsSeconds(keys, null);
    const cell = (r: { seconds: number; cpu: number }) => `${r.seconds.toFixed(3)} (${r.cpu.toFixed(3)})`;
    console.log(`| ${keys.join(' × ')} | ${dusk.groups} | ${cell(dusk)} | ${cell(one)} | ${cell(all)} | ${(dusk.cpu / one.cpu).toFixed(2)}× |`);
  }
}
