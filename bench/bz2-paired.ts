/**
 * The bz2 targets of issue 11 measured in pairs, for a machine whose load comes in bursts
 * (bench/read.ts times Dusk, then the floor, minutes apart): each round runs Dusk (a fresh
 * process: readCsv + compute(max, min, mean) of DepDelay over the bz2 shards, 2 workers) and
 * right after it the floor (every file decoded to /dev/null, WORKERS at a time), once with the
 * default decoder against `lbzip2 -n 1 -dc`, once with DUSK_BZ2_DECODER=wasm (a machine
 * without lbzip2) against `bzip2 -dc`. Prints per-round wall ratios (floor s / Dusk s: the
 * share of the floor's speed reached), their median, and CPU seconds (with child processes).
 *   npm run build && npx tsx bench/bz2-paired.ts      (BENCH_PAIRED_ROUNDS, default 3)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cpuSecondsWithChildren, ensureData, files, fmt, glob, machineLine, markdownTable, ROOT, WORKERS } from './common.js';

const ROUNDS = Number(process.env.BENCH_PAIRED_ROUNDS ?? 3);
ensureData('bz2');
const list = files('bz2').join('\n');
const script = `import * as ddf from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
const c = ddf.readCsv(${JSON.stringify(glob('bz2'))}, { encoding: 'latin1' }).col('DepDelay');
console.log(JSON.stringify(await ddf.compute(c.max(), c.min(), c.mean(), { numWorkers: ${WORKERS} })));`;

function timed(run: () => void): { wall: number; cpu: number } {
  const cpu0 = cpuSecondsWithChildren();
  const t0 = performance.now();
  run();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSecondsWithChildren() - cpu0 };
}
const dusk = (env: Record<string, string>) => timed(() => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
});
const floor = (tool: string) => timed(() => execFileSync('sh', ['-c', `xargs -P ${WORKERS} -I{} sh -c '${tool} "{}" > /dev/null'`], { input: list }));

const variants: { name: string; env: Record<string, string>; tool: string }[] = [
  { name: 'default decoder (lbzip2) vs lbzip2 -n 1 -dc', env: {}, tool: 'lbzip2 -n 1 -dc' },
  { name: 'DUSK_BZ2_DECODER=wasm vs bzip2 -dc', env: { DUSK_BZ2_DECODER: 'wasm' }, tool: 'bzip2 -dc' },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows: string[][] = [];
for (const v of variants) {
  const pairs: { d: { wall: number; cpu: number }; f: { wall: number; cpu: number } }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    pairs.push({ d: dusk(v.env), f: floor(v.tool) });
    console.error(`${v.name}: round ${i + 1}: Dusk ${fmt(pairs.at(-1)!.d.wall)} s, floor ${fmt(pairs.at(-1)!.f.wall)} s`);
  }
  rows.push([
    v.name,
    pairs.map((p) => `${fmt(p.d.wall)}/${fmt(p.f.wall)}`).join(' '),
    fmt(median(pairs.map((p) => p.f.wall / p.d.wall))),
    pairs.map((p) => `${fmt(p.d.cpu)}/${fmt(p.f.cpu)}`).join(' '),
    fmt(median(pairs.map((p) => p.f.cpu / p.d.cpu))),
  ]);
}
console.log(`# bz2, paired rounds — ${machineLine()}, ${WORKERS} workers, ${files('bz2').length} shards\n`);
console.log(markdownTable(['variant', 'wall s, Dusk/floor per round', 'floor/Dusk wall (median; goal ≥ 0.85)', 'CPU s, Dusk/floor per round', 'floor/Dusk CPU (median)'], rows));
