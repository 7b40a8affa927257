/**
 * examples/scenario-1c-gpu-matmul.ts and examples/scenario-1d-gpu-vectorized.ts run on any
 * machine: through the WebGPU adapter when there is one (lavapipe on CI), on the CPU workers
 * when there is none (DUSK_GPU=0 stands in for such a machine). No timings are asserted.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from 'dusk';
import { runMatmul } from '../../examples/scenario-1c-gpu-matmul.js';
import { runVectorized } from '../../examples/scenario-1d-gpu-vectorized.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const info = await ddf.gpu.info();

afterAll(() => ddf.shutdown());

function runExample(file: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['--import', tsx, join(ROOT, 'examples', file), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
}

describe('examples/scenario-1d-gpu-vectorized.ts', () => {
  it('gpu.map and the DataFrame column agree with the CPU path', async () => {
    const run = await runVectorized(50_000);
    expect(run.adapter).toBe(info?.adapter ?? null);
    expect(run.maxRelativeDifference).toBeLessThanOrEqual(1e-5);
    expect(run.columnSum.gpuTasks).toBe(info === null ? 0 : 1);
    expect(Math.abs(run.columnSum.device - run.columnSum.cpu)).toBeLessThanOrEqual(1e-5 * Math.abs(run.columnSum.cpu));
    expect(run.first[0]).toBe(1); // exp(0) + 3 sin(0)
  });

  it('runs as a user runs it, with and without a GPU', () => {
    for (const env of [{}, { DUSK_GPU: '0' }]) {
      const out = runExample('scenario-1d-gpu-vectorized.ts', ['--n', '20000'], env);
      expect(out).toContain('exp(x) + 3·sin(x) over 20,000 f32 values; GPU: ');
      expect(out).toContain(env.DUSK_GPU === '0' || info === null ? 'GPU: none (the CPU workers ran both)' : `GPU: ${info.adapter}`);
      expect(out).toMatch(/first values: 1\.0000, /);
    }
  });
});

describe('examples/scenario-1c-gpu-matmul.ts', () => {
  it('the device product equals the CPU workers\' product and a float64 dot product', async () => {
    const run = await runMatmul(96);
    expect(run.adapter).toBe(info?.adapter ?? null);
    expect(run.maxDifference).toBeLessThanOrEqual(96 * 2 ** -20);
    for (const c of run.corners) expect(Math.abs(c.device - c.exact)).toBeLessThanOrEqual(96 * 2 ** -20);
  });

  it('runs as a user runs it, with and without a GPU', () => {
    for (const env of [{}, { DUSK_GPU: '0' }]) {
      const out = runExample('scenario-1c-gpu-matmul.ts', ['--size', '80'], env);
      expect(out).toContain('80×80 · 80×80 (f32); GPU: ');
      expect(out).toMatch(/max \|GPU − CPU\| = \d/);
    }
  });
});
