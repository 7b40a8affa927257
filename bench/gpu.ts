/**
 * GPU-offloaded columns (issue 15), all numbers from the same run:
 *  (1D) exp(x) + 3·sin(x) over GPU_N f32 values (default 10^7): ddf.gpu.map on the GPU (end to
 *       end, warm: the shader compiled, the device open), split into upload / kernel / readback
 *       (each phase awaited: no overlap); Dusk's fused JS kernel on one CPU core (this thread);
 *       the same on all CPU workers (compute({ device: 'cpu' }), warm pool).
 *  (sum) a fused filter-free sum of the same expression over the same column (reduce kernel:
 *       only per-workgroup partials come back) as GB/s of f32 input, against the host→device
 *       bandwidth (queue.writeBuffer of the column, awaited).
 *  (1C) gpu.matmul at GPU_MATMUL sizes (default 256,512,1024) in GFLOP/s, against the blocked
 *       JS matmul on all workers.
 * On this machine the adapter is Mesa's lavapipe (Vulkan on the CPU's 2 cores): it measures the
 * machinery, not a GPU. On a real GPU: GPU_N=500000000 GPU_MATMUL=4096,10000.
 *
 *   npm run build && VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.json npx tsx bench/gpu.ts
 */
import * as ddf from '../src/index.js';
import { openGpu, writeBuffer } from '../src/gpu/device.js';
import { mapArraysOnGpu, matmulOnGpu, type MatmulTimings } from '../src/gpu/arrays.js';
import { type GpuTimings, runKernel } from '../src/gpu/kernel-runner.js';
import { planGpuPipeline } from '../src/gpu/pipeline-wgsl.js';
import { arrayMapOp } from '../src/ops/gpu-arrays.js';
import { newTaskContext } from '../src/ops/registry.js';

const N = Number(process.env.GPU_N ?? 10_000_000);
const SIZES = (process.env.GPU_MATMUL ?? '256,512,1024').split(',').map(Number);
const REPEAT = Number(process.env.GPU_REPEAT ?? 3);
const { col } = ddf;
const expr = col('x').exp().add(col('x').sin().mul(3));

const ms = (t0: number) => performance.now() - t0;
async function best(times: number, f: () => Promise<unknown> | unknown): Promise<number> {
  let fastest = Infinity;
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    await f();
    fastest = Math.min(fastest, ms(t0));
  }
  return fastest;
}

const probe = await openGpu();
if (!probe.ok) {
  console.log(`no GPU adapter (${probe.reason}): nothing to measure`);
  process.exit(0);
}
const gpu = probe.handle;
const workers = ddf.config.get().numWorkers;
console.log(`adapter: ${gpu.adapterName}; max storage binding ${(gpu.maxBindingBytes / 2 ** 20).toFixed(0)} MiB; ${workers} CPU workers`);

const x = new Float32Array(N);
for (let i = 0; i < N; i++) x[i] = Math.sin(i * 0.001) * 3;
const bytes = N * 4;

// (1D) end to end, then phase by phase.
await ddf.gpu.map(expr, { x }); // compiles the shader, opens the device
const gpuMs = await best(REPEAT, () => ddf.gpu.map(expr, { x }));
const phases: GpuTimings = { uploadMs: 0, kernelMs: 0, readbackMs: 0, chunks: 0 };
await mapArraysOnGpu(gpu, expr.node, ['x'], [x], { timings: phases });
const cpuOneMs = await best(REPEAT, () => arrayMapOp.run({ expr: expr.node, names: ['x'], arrays: [x] }, [], newTaskContext({ add: () => {} } as never)));
await ddf.gpu.map(expr, { x }).compute({ device: 'cpu', inlineBelowBytes: 0 }); // starts the pool
const cpuAllMs = await best(REPEAT, () => ddf.gpu.map(expr, { x }).compute({ device: 'cpu', inlineBelowBytes: 0 }));

// (sum) fused reduce vs host→device bandwidth.
const reducePlan = planGpuPipeline({ input: { columns: ['x'], dtypes: { x: 'float64' } }, filter: null, outputs: [{ name: 'y', expr: expr.node }] }, 'reduce', true);
const reduceOnce = () => runKernel(gpu, { source: reducePlan.source, mode: 'reduce', outputs: 1 }, [{ type: 'f32', values: x, validity: null }], N);
await reduceOnce();
const reduceMs = await best(REPEAT, reduceOnce);
const buffer = gpu.device.createBuffer({ size: Math.min(bytes, gpu.maxBindingBytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
const uploadMs = await best(REPEAT, async () => {
  for (let at = 0; at < N; at += buffer.size / 4) writeBuffer(gpu.device, buffer, 0, x.subarray(at, Math.min(N, at + buffer.size / 4)));
  await gpu.device.queue.onSubmittedWorkDone();
});
buffer.destroy();
const gbps = (b: number, t: number) => b / (t / 1000) / 1e9;

console.log(`\n(1D) exp(x) + 3·sin(x) over ${N.toLocaleString('en')} f32 values (best of ${REPEAT})`);
console.log(`| path | ms | vs one core |\n|---|---:|---:|`);
console.log(`| gpu.map, end to end (warm) | ${gpuMs.toFixed(0)} | ${(cpuOneMs / gpuMs).toFixed(2)}× |`);
console.log(`|  upload / kernel / readback (each awaited) | ${phases.uploadMs.toFixed(0)} / ${phases.kernelMs.toFixed(0)} / ${phases.readbackMs.toFixed(0)} (${phases.chunks} chunk${phases.chunks > 1 ? 's' : ''}) | |`);
console.log(`| fused JS kernel, one CPU core | ${cpuOneMs.toFixed(0)} | 1.00× |`);
console.log(`| fused JS kernel, ${workers} CPU workers | ${cpuAllMs.toFixed(0)} | ${(cpuOneMs / cpuAllMs).toFixed(2)}× |`);
console.log(`\n(sum) fused sum of the expression over the column: ${reduceMs.toFixed(0)} ms = ${gbps(bytes, reduceMs).toFixed(2)} GB/s of f32 input; host→device writeBuffer ${uploadMs.toFixed(0)} ms = ${gbps(bytes, uploadMs).toFixed(2)} GB/s; ratio ${(uploadMs / reduceMs).toFixed(2)}`);

// (1C) matmul.
console.log(`\n(1C) matmul, f32 (best of ${REPEAT} on the GPU, 1 on the CPU)`);
console.log(`| size | GPU ms | GPU GFLOP/s | kernel share | CPU (${workers} workers) ms | CPU GFLOP/s | GPU / CPU |\n|---|---:|---:|---:|---:|---:|---:|`);
for (const size of SIZES) {
  const a = Float32Array.from({ length: size * size }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = Float32Array.from({ length: size * size }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const dims = { m: size, k: size, n: size };
  await ddf.gpu.matmul(a, b, dims);
  const g = await best(REPEAT, () => ddf.gpu.matmul(a, b, dims));
  const split: MatmulTimings = { uploadMs: 0, kernelMs: 0, readbackMs: 0 };
  await matmulOnGpu(gpu, a, b, size, size, size, { matmulTimings: split });
  const c = await best(1, () => ddf.gpu.matmul(a, b, dims).compute({ device: 'cpu', inlineBelowBytes: 0 }));
  const flops = 2 * size ** 3;
  const total = split.uploadMs + split.kernelMs + split.readbackMs;
  console.log(`| ${size}² | ${g.toFixed(0)} | ${(flops / g / 1e6).toFixed(2)} | ${((100 * split.kernelMs) / total).toFixed(0)}% | ${c.toFixed(0)} | ${(flops / c / 1e6).toFixed(2)} | ${(c / g).toFixed(2)}× |`);
}
await ddf.shutdown();
