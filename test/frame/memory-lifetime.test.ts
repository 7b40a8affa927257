/**
 * In-memory data leaves the workers when nobody can reach it: a fromColumns frame computed on a
 * pool, then dropped and collected, is no longer held by the pool (which would otherwise give
 * it to every replacement worker, forever). Runs in a node process of its own, with --expose-gc.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const temp = tempDir('dusk-memory-lifetime-');
afterAll(() => temp.remove());
const dist = (path: string) => pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', path)).href;

describe('in-memory frames', () => {
  it('leave the pool once collected; a frame still referenced stays', () => {
    const script = join(temp.dir, 'gc.mjs');
    writeFileSync(
      script,
      `
import ${JSON.stringify(dist('frame/compute.js'))}; // wires lazy values' compute()
import { fromColumns } from ${JSON.stringify(dist('frame/from-memory.js'))};
import { executorFor, shutdown } from ${JSON.stringify(dist('scheduler/executors.js'))};
import { resolveOptions } from ${JSON.stringify(dist('config.js'))};
const opts = { scheduler: 'threads', numWorkers: 1, inlineBelowBytes: 0 };
const kept = fromColumns({ y: new Float64Array(100).fill(2) });
let dropped = fromColumns({ x: new Float64Array(1000).fill(1) });
const sums = [await dropped.col('x').sum().compute(opts), await kept.col('y').sum().compute(opts)];
const pool = executorFor(resolveOptions(opts));
const held = () => pool.shared.size; // internal: what the pool gives each (replacement) worker
const before = held();
dropped = null;
for (let i = 0; i < 50 && held() === before; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20));
}
const after = held();
const again = await kept.col('y').sum().compute(opts);
await shutdown();
console.log(JSON.stringify({ sums, before, after, again }));
`,
    );
    const out = execFileSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8', timeout: 60_000 });
    const { sums, before, after, again } = JSON.parse(out.trim().split('\n').pop()!) as { sums: number[]; before: number; after: number; again: number };
    expect(sums).toEqual([1000, 200]);
    expect(before).toBe(2);
    expect(after).toBe(1);
    expect(again).toBe(200);
  });
});
