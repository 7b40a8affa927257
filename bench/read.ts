/**
 * `npm run bench`: the benchmarks of issue 5, each target printed with its measured ratio
 * against peers measured in the same run on the same files. Parts (bench/README.md):
 *   read     compute(max, min, mean) of DepDelay over 8 shards in plain, gzip and bz2 vs the
 *            decompression floor, Dask, nodejs-polars and DuckDB          (bench/reduce.ts)
 *   arrow    every column of the plain shards to Arrow, MB/s per core, vs pandas (bench/arrow.ts)
 *   scaling  1 worker vs N on plain and bz2                                (bench/scaling.ts)
 *   memory   peak RSS per worker on a 2 GB plain and a ~330 MB bz2 file    (bench/memory.ts;
 *            only with BENCH_MEMORY=1, which also generates those files)
 *   groupby  three grouped aggregations (plain, gzip) vs nodejs-polars, DuckDB, Dask (bench/groupby.ts;
 *            only when BENCH_PARTS names it: ~10 min on 2 cores, Dask dominating)
 * Each part writes bench/results-<part>.md; bench/README.md gets them all between its markers.
 *   BENCH_PARTS=read,arrow,scaling BENCH_MEMORY=1 BENCH_REPEAT=2 BENCH_FORMATS=none,gz,bz2
 *   BENCH_PEERS=dask,polars,duckdb BENCH_POLARS=<path to another nodejs-polars> npm run bench
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ddf from 'dusk';
import { runArrow } from './arrow.js';
import { runGroupby } from './groupby.js';
import { type PartResult, ROOT, type Target, WORKERS, targetsTable, fmt } from './common.js';
import { runMemory } from './memory.js';
import { runRead } from './reduce.js';
import { runScaling } from './scaling.js';

const ALL_PARTS = ['read', 'scaling', 'arrow', 'memory', 'groupby'] as const;
type Part = (typeof ALL_PARTS)[number];
const requested = (process.env.BENCH_PARTS ?? 'read,scaling,arrow').split(',').map((p) => p.trim()).filter(Boolean);
for (const p of requested) if (!(ALL_PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_PARTS: unknown part '${p}' (${ALL_PARTS.join(', ')})`);
const parts = ALL_PARTS.filter((p) => requested.includes(p) || (p === 'memory' && process.env.BENCH_MEMORY === '1'));

const BENCH = join(ROOT, 'bench');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const runners: Record<Part, () => Promise<PartResult | { skipped: string }>> = {
  read: runRead,
  arrow: runArrow,
  scaling: runScaling,
  memory: runMemory,
  groupby: runGroupby,
};

/** Every target of issue 5, so that a part not run this time still shows up as such. */
const NOT_RUN: Record<Part, string[]> = {
  read: ['bz2: Dusk wall / Dask threads wall ≤ 0.50', "bz2: Dusk MB/s / fastest decoder's MB/s ≥ 0.85", 'plain and gzip: Dusk wall / nodejs-polars wall ≤ 1.00', 'plain and gzip: Dusk wall / DuckDB wall ≤ 0.50'],
  arrow: ['all columns to Arrow ≥ 150 MB/s per core'],
  scaling: ['N workers ≥ 0.85·N × one worker (plain, bz2)'],
  memory: ['peak RSS per worker < 256 MB (2 GB plain, ~300 MB bz2)'],
  groupby: ['q1–q3 plain and gzip: Dusk wall / nodejs-polars wall ≤ 1.00', 'q1–q3 plain and gzip: Dusk wall / DuckDB wall ≤ 0.50', 'q1–q3 plain and gzip: Dusk wall / Dask wall ≤ 0.20'],
};

const t0 = performance.now();
console.log(`Dusk bench — parts: ${parts.join(', ')}; ${WORKERS} workers (threads) unless said otherwise`);
const targets: Target[] = [];
const skipped: string[] = [];
for (const part of ALL_PARTS) {
  if (!parts.includes(part)) {
    const why = part === 'memory' ? 'set BENCH_MEMORY=1 (generates a 2 GB file)' : `not in BENCH_PARTS`;
    for (const t of NOT_RUN[part]) targets.push({ part, target: t, measured: NaN, goal: '', met: null, note: `not run: ${why}` });
    continue;
  }
  console.log(`\n== ${part}`);
  const result = await runners[part]();
  if ('skipped' in result) {
    console.log(`  skipped: ${result.skipped}`);
    skipped.push(`${part}: ${result.skipped}`);
    for (const t of NOT_RUN[part]) targets.push({ part, target: t, measured: NaN, goal: '', met: null, note: result.skipped });
    continue;
  }
  targets.push(...result.targets);
  const file = join(BENCH, `results-${part}.md`);
  writeFileSync(file, `${result.markdown}\n\n${targetsTable(result.targets)}\n`);
  console.log(`\n${result.markdown}`);
}
await ddf.shutdown();

const summary = targetsTable(targets);
console.log(`\n== targets (issue 5)\n\n${summary}\n\n${targets.filter((t) => t.met === true).length} met, ${targets.filter((t) => t.met === false).length} not met, ${targets.filter((t) => t.met === null).length} not measured; ${fmt((performance.now() - t0) / 1000, 0)} s`);

// bench/README.md: the latest results of every part between the markers (parts not run keep their last results).
const readmePath = join(BENCH, 'README.md');
const sections = ALL_PARTS.filter((p) => existsSync(join(BENCH, `results-${p}.md`))).map((p) => readFileSync(join(BENCH, `results-${p}.md`), 'utf8').trim());
const generated = `${START}\n<!-- written by npm run bench (bench/read.ts) from bench/results-*.md; edit outside the markers -->\n\n${sections.join('\n\n')}\n\n${END}`;
const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : `# Dusk benchmarks\n\n## Results\n\n${START}\n${END}\n`;
const at = readme.indexOf(START);
const end = readme.indexOf(END);
writeFileSync(readmePath, at >= 0 && end > at ? `${readme.slice(0, at)}${generated}${readme.slice(end + END.length)}` : `${readme.trimEnd()}\n\n## Results\n\n${generated}\n`);
console.log(`\nwrote bench/results-{${parts.join(',')}}.md and bench/README.md`);
