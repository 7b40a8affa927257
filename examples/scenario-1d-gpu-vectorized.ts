/**
 * Course unit, scenario 1D: a vectorized expression, exp(x) + 3·sin(x), over many f32 values
 * (JAX on a GPU vs on the CPU). ddf.gpu.map runs the same Dusk expression as one WGSL kernel
 * when this machine has a WebGPU adapter (a real GPU, or Mesa's lavapipe on the CPU), and on
 * the CPU workers otherwise; the same expression over a DataFrame column goes to the GPU with
 * compute({ device: 'gpu', gpuFloat32: true }). Runs on any machine.
 *
 *   npm run build && npx tsx examples/scenario-1d-gpu-vectorized.ts [--n 10000000]
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';

const { col } = ddf;

/** The unit's expression, as a Dusk expression over a column named x. */
export const expression = col('x').exp().add(col('x').sin().mul(3));

export interface VectorizedRun {
  adapter: string | null;
  n: number;
  gpuSeconds: number;
  cpuSeconds: number;
  /** Largest |GPU − CPU| relative to 1 + |CPU| (f32 on the GPU, float64 then f32 on the CPU). */
  maxRelativeDifference: number;
  /** The same expression as a DataFrame column, summed: on the GPU (where there is one) and on the CPU. */
  columnSum: { device: number; cpu: number; gpuTasks: number };
  first: number[];
}

export async function runVectorized(n: number): Promise<VectorizedRun> {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.001) * 3;
  const info = await ddf.gpu.info();
  let t = performance.now();
  const onDevice = (await ddf.gpu.map(expression, { x })) as Float32Array; // an f32 expression gives f32
  const gpuSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const onCpu = (await ddf.gpu.map(expression, { x }).compute({ device: 'cpu' })) as Float32Array;
  const cpuSeconds = (performance.now() - t) / 1000;
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(onDevice[i]! - onCpu[i]!) / (1 + Math.abs(onCpu[i]!)));

  const df = ddf.fromColumns({ x });
  const sum = df.withColumns({ y: expression }).col('y').sum();
  const device = await sum.compute({ device: 'gpu', gpuFloat32: true });
  const gpuTasks = ddf.lastComputeReport()!.gpuTasks;
  const cpu = await sum.compute({ device: 'cpu' });
  return { adapter: info?.adapter ?? null, n, gpuSeconds, cpuSeconds, maxRelativeDifference: worst, columnSum: { device, cpu, gpuTasks }, first: Array.from(onDevice.slice(0, 3)) };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const n = option('--n', 10_000_000);
  const run = await runVectorized(n);
  console.log(`exp(x) + 3·sin(x) over ${n.toLocaleString('en')} f32 values; GPU: ${run.adapter ?? 'none (the CPU workers ran both)'}`);
  console.log(`  gpu.map: ${run.gpuSeconds.toFixed(3)} s   CPU workers: ${run.cpuSeconds.toFixed(3)} s   max relative difference ${run.maxRelativeDifference.toExponential(1)}`);
  console.log(`  as a DataFrame column, summed: ${run.columnSum.device.toFixed(2)} (device 'gpu', ${run.columnSum.gpuTasks} GPU tasks) vs ${run.columnSum.cpu.toFixed(2)} (CPU)`);
  console.log(`  first values: ${run.first.map((v) => v.toFixed(4)).join(', ')}`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
