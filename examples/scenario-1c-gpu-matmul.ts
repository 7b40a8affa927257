/**
 * Course unit, scenario 1C: a large matrix product (PyTorch on a GPU vs on the CPU).
 * ddf.gpu.matmul(a, b, { m, k, n }) is a lazy value: one tiled WGSL kernel (64×64 tiles of C,
 * A's and B's slices in workgroup shared memory) when this machine has a WebGPU adapter, else
 * a blocked matmul on the CPU workers (row blocks, one per worker). Runs on any machine; the
 * unit's 10,000² needs a real GPU, the default here (1024²) suits a CPU.
 *
 *   npm run build && npx tsx examples/scenario-1c-gpu-matmul.ts [--size 1024]
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';

export interface MatmulRun {
  adapter: string | null;
  size: number;
  gpuSeconds: number;
  cpuSeconds: number;
  gflops: { device: number; cpu: number };
  /** Largest |device − CPU| over C (f32 sums in different orders). */
  maxDifference: number;
  /** C[0][0], C[size-1][size-1] checked against a direct dot product in float64. */
  corners: { device: number; exact: number }[];
}

function matrix(size: number, seed: number): Float32Array {
  const out = new Float32Array(size * size);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

export async function runMatmul(size: number): Promise<MatmulRun> {
  const a = matrix(size, 1);
  const b = matrix(size, 2);
  const dims = { m: size, k: size, n: size };
  const info = await ddf.gpu.info();
  let t = performance.now();
  const c = await ddf.gpu.matmul(a, b, dims);
  const gpuSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const cpu = await ddf.gpu.matmul(a, b, dims).compute({ device: 'cpu' });
  const cpuSeconds = (performance.now() - t) / 1000;
  let maxDifference = 0;
  for (let i = 0; i < c.length; i++) maxDifference = Math.max(maxDifference, Math.abs(c[i]! - cpu[i]!));
  const dot = (i: number, j: number) => {
    let s = 0;
    for (let q = 0; q < size; q++) s += a[i * size + q]! * b[q * size + j]!;
    return s;
  };
  const corners = [
    [0, 0],
    [size - 1, size - 1],
  ].map(([i, j]) => ({ device: c[i! * size + j!]!, exact: dot(i!, j!) }));
  const flops = 2 * size ** 3;
  return { adapter: info?.adapter ?? null, size, gpuSeconds, cpuSeconds, gflops: { device: flops / gpuSeconds / 1e9, cpu: flops / cpuSeconds / 1e9 }, maxDifference, corners };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const size = option('--size', 1024);
  const run = await runMatmul(size);
  console.log(`${size}×${size} · ${size}×${size} (f32); GPU: ${run.adapter ?? 'none (the CPU workers ran both)'}`);
  console.log(`  gpu.matmul: ${run.gpuSeconds.toFixed(3)} s (${run.gflops.device.toFixed(1)} GFLOP/s)   CPU workers: ${run.cpuSeconds.toFixed(3)} s (${run.gflops.cpu.toFixed(1)} GFLOP/s)`);
  console.log(`  max |GPU − CPU| = ${run.maxDifference.toExponential(1)}; C[0][0] = ${run.corners[0]!.device.toFixed(5)} (float64 dot: ${run.corners[0]!.exact.toFixed(5)})`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
