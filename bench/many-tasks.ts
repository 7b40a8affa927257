/**
 * Per-task overhead of each scheduler on many small tasks:
 *  (a) N tiny CSV files (5 rows each): compute(sum, max) — one scan task per file;
 *  (b) N tiny delayed calls (x => x + 1) in one ddf.compute.
 * Schedulers run interleaved, round after round, so a busy machine slows them alike; the
 * median of the rounds is reported. `--dist` runs another build of Dusk (e.g. an older commit's
 * dist/index.js) for a before/after comparison on the same files.
 *
 *   npm run build && npx tsx bench/many-tasks.ts [--files 3000] [--calls 10000] [--workers 2] [--rounds 3] [--dist path/to/dist/index.js]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const nFiles = Number(option('--files', '3000'));
const nCalls = Number(option('--calls', '10000'));
const workers = Number(option('--workers', '2'));
const rounds = Number(option('--rounds', '3'));
const dist = option('--dist', '');

type Dusk = typeof import('dusk');
const ddf = (dist ? await import(pathToFileURL(resolve(dist)).href) : await import('dusk')) as Dusk;

const dir = mkdtempSync(join(tmpdir(), 'dusk-many-tasks-'));
for (let i = 0; i < nFiles; i++) writeFileSync(join(dir, `f${String(i).padStart(6, '0')}.csv`), `a,b\n${Array.from({ length: 5 }, (_, j) => `${i + j},${j / 2}`).join('\n')}\n`);

const schedulers = ['sync', 'threads', 'processes'] as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

try {
  const df = ddf.readCsv(join(dir, '*.csv'));
  const inc = ddf.delayed((x: number) => x + 1);
  const items = Array.from({ length: nCalls }, (_, i) => i);
  const files: Record<string, number[]> = {};
  const calls: Record<string, number[]> = {};
  let expected: unknown = null;
  for (const s of schedulers) {
    // Warm-up: workers started, schema sampled, code compiled.
    const got = await ddf.compute(df.col('a').sum(), df.col('b').max(), { scheduler: s, numWorkers: workers, progress: false });
    expected ??= got;
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${s}: wrong result ${JSON.stringify(got)}`);
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of schedulers) {
      (files[s] ??= []).push(await timed(() => ddf.compute(df.col('a').sum(), df.col('b').max(), { scheduler: s, numWorkers: workers, progress: false })));
      (calls[s] ??= []).push(
        await timed(async () => {
          const [out] = await ddf.compute(items.map((i) => inc(i)), { scheduler: s, numWorkers: workers, progress: false });
          if (out.length !== nCalls || out[nCalls - 1] !== nCalls) throw new Error(`${s}: wrong results`);
        }),
      );
    }
  }
  console.log(`bench/many-tasks.ts — ${dist || 'dusk'}, node ${process.version}, ${workers} workers, median of ${rounds} rounds`);
  for (const s of schedulers) {
    const f = median(files[s]!);
    const c = median(calls[s]!);
    console.log(
      `  ${s.padEnd(9)} (a) ${nFiles} tiny files: ${(f / 1000).toFixed(2).padStart(6)} s (${((f * 1000) / nFiles).toFixed(0).padStart(5)} µs/file, ${(f / median(files.sync!)).toFixed(2)}× sync)` +
        `   (b) ${nCalls} tiny calls: ${(c / 1000).toFixed(2).padStart(6)} s (${((c * 1000) / nCalls).toFixed(1).padStart(6)} µs/call)`,
    );
  }
} finally {
  await ddf.shutdown();
  rmSync(dir, { recursive: true, force: true });
}
