/// <reference types="@webgpu/types" />
import type { Schema } from '../core/schema.js';
import type { ExprNode } from '../expr/ir.js';
import { computePipeline, type GpuHandle, writeBuffer } from './device.js';
import { type GpuInput, gpuCounters, type RunOptions, runKernel } from './kernel-runner.js';
import { planGpuPipeline } from './pipeline-wgsl.js';

/** Plain arrays for ddf.gpu.map / ddf.gpu.matmul: row-major Float32Array (Int32Array inputs read as int32). */
export type NumericArray = Float32Array | Int32Array;
/** f32 → Float32Array, int32 → Int32Array, bool → Uint8Array of 0/1; int64 (CPU path only) → BigInt64Array. */
export type MapResultArray = Float32Array | Int32Array | Uint8Array | BigInt64Array;

export function arraySchema(names: string[], arrays: NumericArray[]): Schema {
  return { columns: names, dtypes: Object.fromEntries(names.map((name, i) => [name, arrays[i] instanceof Int32Array ? 'int32' : 'float64'])) };
}

/**
 * ddf.gpu.map on the GPU: the expression as one map kernel over the arrays (f32 in, f32 out, no
 * widening), chunked past the binding limit like a column.
 */
export async function mapArraysOnGpu(gpu: GpuHandle, expr: ExprNode, names: string[], arrays: NumericArray[], options: RunOptions = {}): Promise<MapResultArray> {
  const n = arrays[0]?.length ?? 0;
  const schema = arraySchema(names, arrays);
  // Wrapped in onDevice so that a bare column reference is computed (copied) rather than passed through.
  const plan = planGpuPipeline({ input: schema, filter: null, outputs: [{ name: 'out', expr: { kind: 'call', fn: 'onDevice', args: [expr], params: { device: 'gpu' } } }] }, 'map', true);
  const inputs: GpuInput[] = plan.columns.map((c) => ({ type: c.type, values: arrays[names.indexOf(c.name)]!, validity: null }));
  const out = plan.outputs[0]!;
  if (out.kind !== 'kernel') throw new Error('internal: gpu.map output not computed');
  const { map } = await runKernel(gpu, { source: plan.source, mode: 'map', outputs: 1 }, inputs, n, options);
  const words = map!.values[0]!;
  if (out.type === 'f32') return new Float32Array(words.buffer, 0, n);
  if (out.type === 'i32') return new Int32Array(words.buffer, 0, n);
  return Uint8Array.from(words);
}

export const MATMUL_TILE = 64;
const TILE_K = 16;

/**
 * C = A·B: 64×64 tiles of C per workgroup of 16×16 threads, each thread 4×4 outputs in
 * registers; A's and B's 64×16 slices staged in workgroup (shared) memory per step of k.
 */
export const MATMUL_WGSL = `
struct Dims { m: u32, k: u32, n: u32, pad: u32 }
@group(0) @binding(0) var<uniform> D: Dims;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<array<f32, ${MATMUL_TILE}>, ${TILE_K}>;
var<workgroup> Bs: array<array<f32, ${MATMUL_TILE}>, ${TILE_K}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * ${MATMUL_TILE}u;
  let col0 = wid.x * ${MATMUL_TILE}u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<f32, 4>, 4>;
  for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = 0.0f; } }
  for (var k0 = 0u; k0 < D.k; k0 += ${TILE_K}u) {
    for (var e = 0u; e < 4u; e++) {
      let idx = tid + e * 256u;
      let r = idx / ${TILE_K}u; let kk = idx % ${TILE_K}u;
      let gr = row0 + r; let gk = k0 + kk;
      var a = 0.0f;
      if (gr < D.m && gk < D.k) { a = A[gr * D.k + gk]; }
      As[kk][r] = a;
      let kb = idx / ${MATMUL_TILE}u; let c = idx % ${MATMUL_TILE}u;
      let gkb = k0 + kb; let gc = col0 + c;
      var b = 0.0f;
      if (gkb < D.k && gc < D.n) { b = B[gkb * D.n + gc]; }
      Bs[kb][c] = b;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      var a: array<f32, 4>; var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[kk][lid.y * 4u + i]; b[i] = Bs[kk][lid.x * 4u + i]; }
      for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = fma(a[i], b[j], acc[i][j]); } }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    if (r >= D.m) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (c < D.n) { C[r * D.n + c] = acc[i][j]; }
    }
  }
}`;

export interface MatmulTimings {
  uploadMs: number;
  kernelMs: number;
  readbackMs: number;
}

/**
 * A (m×k) · B (k×n), row-major f32, on the GPU. B must fit one binding; A and C go in blocks of
 * rows that do (streamed: block i+1's upload is queued behind block i's kernel).
 */
export async function matmulOnGpu(gpu: GpuHandle, a: Float32Array, b: Float32Array, m: number, k: number, n: number, options: RunOptions & { matmulTimings?: MatmulTimings } = {}): Promise<Float32Array> {
  const { device } = gpu;
  const maxBinding = Math.min(gpu.maxBindingBytes, options.maxBindingBytes ?? Infinity);
  if (k * n * 4 > maxBinding) throw new Error(`dusk gpu.matmul: B (${k}×${n} f32, ${k * n * 4} bytes) exceeds one storage binding (${maxBinding} bytes); use the CPU path (compute({ device: 'cpu' }))`);
  const rowsPerBlock = Math.max(1, Math.min(m, Math.floor(maxBinding / (4 * Math.max(k, n)))));
  const timings = options.matmulTimings;
  const now = () => performance.now();
  let t = now();
  const usage = GPUBufferUsage;
  const bBuf = device.createBuffer({ size: Math.max(16, k * n * 4), usage: usage.STORAGE | usage.COPY_DST });
  writeBuffer(device, bBuf, 0, b);
  const pipeline = await computePipeline(device, MATMUL_WGSL);
  const c = new Float32Array(m * n);
  const blocks = Math.ceil(m / rowsPerBlock);
  const sets = Array.from({ length: Math.min(2, blocks) }, () => ({
    dims: device.createBuffer({ size: 16, usage: usage.UNIFORM | usage.COPY_DST }),
    a: device.createBuffer({ size: Math.max(16, rowsPerBlock * k * 4), usage: usage.STORAGE | usage.COPY_DST }),
    c: device.createBuffer({ size: Math.max(16, rowsPerBlock * n * 4), usage: usage.STORAGE | usage.COPY_SRC }),
    staging: device.createBuffer({ size: Math.max(16, rowsPerBlock * n * 4), usage: usage.MAP_READ | usage.COPY_DST }),
  }));
  const submit = async (blk: number) => {
    const set = sets[blk % sets.length]!;
    const r0 = blk * rowsPerBlock;
    const rows = Math.min(rowsPerBlock, m - r0);
    writeBuffer(device, set.dims, 0, new Uint32Array([rows, k, n, 0]));
    writeBuffer(device, set.a, 0, a.subarray(r0 * k, (r0 + rows) * k));
    if (timings) {
      await device.queue.onSubmittedWorkDone();
      timings.uploadMs += now() - t;
      t = now();
    }
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: set.dims } },
        { binding: 1, resource: { buffer: set.a } },
        { binding: 2, resource: { buffer: bBuf } },
        { binding: 3, resource: { buffer: set.c } },
      ],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(Math.ceil(n / MATMUL_TILE), Math.ceil(rows / MATMUL_TILE));
    pass.end();
    if (timings) {
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      timings.kernelMs += now() - t;
      t = now();
      const copy = device.createCommandEncoder();
      copy.copyBufferToBuffer(set.c, 0, set.staging, 0, rows * n * 4);
      device.queue.submit([copy.finish()]);
    } else {
      encoder.copyBufferToBuffer(set.c, 0, set.staging, 0, rows * n * 4);
      device.queue.submit([encoder.finish()]);
    }
    return { set, r0, rows };
  };
  const collect = async ({ set, r0, rows }: Awaited<ReturnType<typeof submit>>) => {
    await set.staging.mapAsync(GPUMapMode.READ, 0, Math.max(16, rows * n * 4));
    c.set(new Float32Array(set.staging.getMappedRange(0, Math.max(16, rows * n * 4)), 0, rows * n), r0 * n);
    set.staging.unmap();
    if (timings) {
      timings.readbackMs += now() - t;
      t = now();
    }
  };
  try {
    let pending = await submit(0);
    for (let blk = 1; blk < blocks; blk++) {
      const next = await submit(blk);
      await collect(pending);
      pending = next;
    }
    await collect(pending);
    gpuCounters.chunks += blocks;
  } finally {
    bBuf.destroy();
    for (const s of sets) for (const buf of [s.dims, s.a, s.c, s.staging]) buf.destroy();
  }
  return c;
}

/**
 * `rows` rows of A·B on the CPU (A holds just those rows): four rows of C at a time, each row
 * of B read once per four rows and added into four float64 accumulator rows (k in order, so
 * every element sums in the same order as a plain dot product), then rounded to f32.
 */
export function matmulRowsCpu(a: Float32Array, b: Float32Array, rows: number, k: number, n: number): Float32Array {
  const c = new Float32Array(rows * n);
  const acc = new Float64Array(4 * n);
  const n2 = 2 * n;
  const n3 = 3 * n;
  for (let i0 = 0; i0 < rows; i0 += 4) {
    const r = Math.min(4, rows - i0);
    acc.fill(0);
    const a0 = i0 * k;
    for (let kk = 0; kk < k; kk++) {
      const x0 = a[a0 + kk]!;
      const x1 = r > 1 ? a[a0 + k + kk]! : 0;
      const x2 = r > 2 ? a[a0 + 2 * k + kk]! : 0;
      const x3 = r > 3 ? a[a0 + 3 * k + kk]! : 0;
      const bRow = kk * n;
      for (let j = 0; j < n; j++) {
        const y = b[bRow + j]!;
        acc[j]! += x0 * y;
        acc[n + j]! += x1 * y;
        acc[n2 + j]! += x2 * y;
        acc[n3 + j]! += x3 * y;
      }
    }
    for (let q = 0; q < r; q++) c.set(acc.subarray(q * n, (q + 1) * n), (i0 + q) * n);
  }
  return c;
}
