/**
 * Start-up (issue 11, "Fast from the first call"): what a new user's first call costs, each
 * case a fresh `node` process timed from outside, as a user would start it.
 *
 *   npm run build && npx tsx bench/startup.ts        (BENCH_STARTUP_RUNS=7 by default)
 *
 * Cases, run in rounds (every case once per round, so a burst of load on this shared machine
 * hits all of them alike); each figure is the median over the rounds:
 *   bare    `node -e 0`
 *   import  `await import('dusk')`
 *   tiny    import dusk, compute the max of one column of a 20-row CSV
 *   plain   import dusk, compute(max, min, mean) of DepDelay over 4 × 250k-row plain shards (100 MB)
 *   polars  import nodejs-polars, the same query (scanCSV().select(min, max, mean))
 *   cli     `node dist/cli/main.js agg <20-row CSV> DepDelay:max` (what `npx dusk agg` runs, without npx's own start)
 * Every answer is checked (the generator's exact aggregates for the 100 MB query). Wall times
 * and CPU times (user + system of the child and its threads) are printed.
 *
 * BENCH_STARTUP_COMPARE=<folder of another built checkout of Dusk> adds its import, tiny,
 * plain and cli cases to the same rounds (named "… @compare"): before/after in one run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSecondsWithChildren, fmt, markdownTable, machineLine, ROOT, WORKERS } from './common.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
const DIR = join(ROOT, 'bench', 'data', 'startup');
// Inside the package, so that `import 'dusk'` resolves by self-reference to the built dist/.
const SCRIPTS = join(ROOT, 'bench', 'data', 'startup-scripts');

interface Manifest {
  total: { DepDelay: { min: number; max: number; mean: number } };
}

function ensureData(): Manifest {
  const manifest = join(DIR, 'manifest.json');
  if (!existsSync(manifest)) {
    console.error('generating 4 × 250000 rows (plain) in bench/data/startup …');
    const gen = spawnSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', DIR, '--shards', '4', '--rows-per-shard', '250000', '--seed', '42'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (gen.status !== 0) throw new Error('gen_airline.py failed');
  }
  const tiny = join(SCRIPTS, 'tiny.csv');
  mkdirSync(SCRIPTS, { recursive: true });
  const lines = readFileSync(join(DIR, '2001.csv'), 'latin1').split('\n').slice(0, 21);
  writeFileSync(tiny, lines.join('\n') + '\n', 'latin1');
  return JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
}

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Throws if the output is not the right answer. */
  check(stdout: string): void;
}

function script(name: string, body: string): string {
  const path = join(SCRIPTS, `${name}.mjs`);
  writeFileSync(path, body);
  return path;
}

/** The Dusk cases again, for the built checkout in `root` (imported by path). */
function compareCases(own: Case[], root: string): Case[] {
  const dist = join(root, 'dist', 'index.js');
  return own
    .filter((c) => ['import', 'tiny', 'plain', 'cli'].includes(c.name))
    .map((c) => {
      const name = `${c.name} @compare`;
      if (c.name === 'cli') return { ...c, name, args: [join(root, 'dist', 'cli', 'main.js'), ...c.args.slice(1)] };
      const body = readFileSync(c.args[0]!, 'utf8').replaceAll("'dusk'", JSON.stringify(dist));
      return { ...c, name, args: [script(`${c.name}-compare`, body)] };
    });
}

function cases(manifest: Manifest): Case[] {
  const want = manifest.total.DepDelay;
  const tiny = join(SCRIPTS, 'tiny.csv');
  const tinyMax = Math.max(...readFileSync(tiny, 'latin1').trim().split('\n').slice(1).map((l) => Number(l.split(',')[15])).filter(Number.isFinite));
  const glob = join(DIR, '*.csv');
  const expectNumber = (got: string, n: number) => {
    if (Number(got.trim()) !== n) throw new Error(`wrong answer: ${got.trim()} (want ${n})`);
  };
  const expectTriple = (got: string) => {
    const [max, min, mean] = JSON.parse(got) as number[];
    if (max !== want.max || min !== want.min || Math.abs(mean! - want.mean) > 1e-9 * Math.abs(want.mean)) throw new Error(`wrong answer: ${got.trim()}`);
  };
  return [
    { name: 'bare', args: ['-e', '0'], check: () => {} },
    { name: 'import', args: [script('import', "await import('dusk');\n")], check: () => {} },
    {
      name: 'tiny',
      args: [script('tiny', `import * as ddf from 'dusk';\nconst t = ddf.readCsv(${JSON.stringify(tiny)}, { encoding: 'latin1' });\nconsole.log(await t.col('DepDelay').max());\n`)],
      check: (out) => expectNumber(out, tinyMax),
    },
    {
      name: 'plain',
      args: [script('plain', `import * as ddf from 'dusk';\nconst c = ddf.readCsv(${JSON.stringify(glob)}, { encoding: 'latin1' }).col('DepDelay');\nconsole.log(JSON.stringify(await ddf.compute(c.max(), c.min(), c.mean())));\n`)],
      check: expectTriple,
    },
    {
      name: 'polars',
      args: [
        script(
          'polars',
          `import pl from 'nodejs-polars';\nconst df = await pl.scanCSV(${JSON.stringify(glob)}, { nullValues: ['NA'], encoding: 'utf8-lossy' })\n  .select(pl.col('DepDelay').max().alias('max'), pl.col('DepDelay').min().alias('min'), pl.col('DepDelay').mean().alias('mean')).collect();\nconst [r] = df.toRecords();\nconsole.log(JSON.stringify([Number(r.max), Number(r.min), Number(r.mean)]));\n`,
        ),
      ],
      env: { POLARS_MAX_THREADS: String(WORKERS) },
      check: expectTriple,
    },
    { name: 'cli', args: [join(ROOT, 'dist', 'cli', 'main.js'), 'agg', tiny, 'DepDelay:max', '--encoding', 'latin1', '--json'], check: (out) => expectNumber(String((JSON.parse(out) as { results: Record<string, number> }).results['DepDelay:max']), tinyMax) },
  ];
}

interface Sample {
  wall: number;
  cpu: number;
}

function runOnce(c: Case): Sample {
  const cpu0 = cpuSecondsWithChildren();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...c.env } });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsWithChildren() - cpu0;
  if (r.status !== 0) throw new Error(`${c.name} failed (${r.status ?? r.signal}): ${r.stderr}`);
  c.check(r.stdout);
  return { wall, cpu };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const manifest = ensureData();
const own = cases(manifest);
const compare = process.env.BENCH_STARTUP_COMPARE;
const all = compare ? [...own, ...compareCases(own, compare)] : own;
const samples = new Map<string, Sample[]>(all.map((c) => [c.name, []]));
runOnce(all.find((c) => c.name === 'plain')!); // the files into the page cache
for (let round = 0; round < RUNS; round++) {
  for (const c of all) samples.get(c.name)!.push(runOnce(c));
  console.error(`round ${round + 1}/${RUNS} done`);
}
const wall = (name: string) => median(samples.get(name)!.map((s) => s.wall));
const cpu = (name: string) => median(samples.get(name)!.map((s) => s.cpu));
const bare = wall('bare');
/** Median over rounds of (case − bare node in the same round): steadier than the difference of medians when load comes in bursts. */
const paired = (name: string) => median(samples.get(name)!.map((s, i) => s.wall - samples.get('bare')![i]!.wall));
const pairedRatio = (name: string) => median(samples.get(name)!.map((s, i) => s.wall / samples.get('bare')![i]!.wall));
const ms = (s: number) => fmt(s * 1000, 0);

console.log(`# Start-up bench — ${machineLine()}, ${WORKERS} workers, median of ${RUNS} fresh processes per case\n`);
console.log(
  markdownTable(
    ['case', 'wall ms (median)', 'beyond bare node ms', 'beyond bare, paired ms', 'CPU ms (median)', 'wall ms, all runs'],
    all.map((c) => [c.name, ms(wall(c.name)), c.name === 'bare' ? '' : ms(wall(c.name) - bare), c.name === 'bare' ? '' : ms(paired(c.name)), ms(cpu(c.name)), samples.get(c.name)!.map((s) => ms(s.wall)).join(' ')]),
  ),
);
if (compare) {
  console.log(`\n@compare: ${compare}\n`);
  console.log(
    markdownTable(
      ['case', 'wall beyond bare: this / @compare', 'CPU: this / @compare'],
      ['import', 'tiny', 'plain', 'cli'].map((n) => [n, `${ms(wall(n) - bare)} / ${ms(wall(`${n} @compare`) - bare)} ms`, `${ms(cpu(n))} / ${ms(cpu(`${n} @compare`))} ms`]),
    ),
  );
}
// Each target also as paired over rounds (see `paired`) and in CPU time, which load inflates less.
const cpuBare = cpu('bare');
const targets: [string, string, boolean][] = [
  ['`import(\'dusk\')` beyond bare node', `${ms(wall('import') - bare)} ms (goal ≤ 60); paired ${ms(paired('import'))}; CPU ${ms(cpu('import') - cpuBare)}`, wall('import') - bare <= 0.06],
  ['tiny reduction beyond bare node', `${ms(wall('tiny') - bare)} ms (goal ≤ 150); paired ${ms(paired('tiny'))}; CPU ${ms(cpu('tiny') - cpuBare)}`, wall('tiny') - bare <= 0.15],
  ['100 MB plain query, fresh: Dusk / nodejs-polars', `${fmt(wall('plain') / wall('polars'))}× (goal ≤ 1.0); CPU ${fmt(cpu('plain') / cpu('polars'))}×`, wall('plain') / wall('polars') <= 1.0],
  ['`dusk agg` small file / bare node', `${fmt(wall('cli') / bare)}× (goal ≤ 1.5); paired ${fmt(pairedRatio('cli'))}×; CPU ${fmt(cpu('cli') / cpuBare)}×`, wall('cli') / bare <= 1.5],
];
console.log('\n' + markdownTable(['target', 'measured', 'met'], targets.map(([t, m, ok]) => [t, m, ok ? 'yes' : '**no**'])));
