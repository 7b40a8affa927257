/// <reference types="@webgpu/types" />
import { computePipeline, type GpuHandle, writeBuffer } from './device.js';
import type { GpuType } from './wgsl-expr.js';

/**
 * Runs one fused WGSL kernel over columns of any length: the rows are cut into chunks whose
 * packed input fits one storage binding (maxBindingBytes), and chunks stream through two sets of
 * buffers, so the upload of chunk i+1 is queued while the GPU computes chunk i and the readback
 * of chunk i is awaited only after chunk i+1 was submitted. Chunks start on multiples of 32
 * rows, so bitmaps (validity, bools, the filter's kept rows) are cut on word boundaries.
 */

/** One input column as the kernel reads it (values already in the GPU's representation or convertible). */
export interface GpuInput {
  type: GpuType;
  /** f32: Float32Array or Float64Array (narrowed while packing); i32: Int32Array; bool: an LSB-first bitmap. */
  values: Float32Array | Float64Array | Int32Array | Uint8Array;
  validity: Uint8Array | null;
}

export interface KernelShape {
  /** WGSL source (see pipelineWgsl): 'map' writes outputs + bits, 'reduce' writes per-workgroup partials. */
  source: string;
  mode: 'map' | 'reduce';
  /** Computed outputs (map mode). */
  outputs: number;
}

export const WORKGROUP = 256;
/** Reduce partial: sum, Σx², min, max, count (as u32 bits). */
export const PARTIAL_WORDS = 5;
const REDUCE_WORKGROUPS = 256;
const MAX_WORKGROUPS = 65535;

/** Chunks run in this process (tests check that columns past the binding limit were cut). */
export const gpuCounters = { chunks: 0, kernels: 0 };

export interface MapResult {
  /** Per output, n words (f32 or i32 bits, or 0/1 for bools). */
  values: Uint32Array[];
  /** Rows the filter kept (bitmap over n rows), per output its validity bitmap. */
  kept: Uint8Array;
  validity: Uint8Array[];
}

/** Where time went (sequential mode only: each phase waited for, so the split is exact). */
export interface GpuTimings {
  uploadMs: number;
  kernelMs: number;
  readbackMs: number;
  chunks: number;
}

export interface RunOptions {
  /** Cap on one binding's bytes below the device's (tests: chunking on small columns). */
  maxBindingBytes?: number;
  /** Wait for each phase (upload, kernel, readback) to time it; no overlap. */
  timings?: GpuTimings;
}

function inputWordsPerRow(inputs: GpuInput[]): number {
  let bits = 0;
  for (const c of inputs) bits += (c.type === 'bool' ? 1 : 32) + (c.validity ? 1 : 0);
  return bits / 32;
}

/** Rows per chunk: a multiple of 32 whose input, outputs and bits each fit one binding. */
export function chunkRows(n: number, inputs: GpuInput[], outputs: number, maxBindingBytes: number): number {
  const perRowBytes = Math.max(inputWordsPerRow(inputs) * 4, outputs * 4, ((outputs + 1) * 4) / 32, 1e-9);
  // Word padding of each bitmap region: up to 4 bytes per column.
  const budget = maxBindingBytes - 8 * (inputs.length + 1);
  const rows = Math.floor(budget / perRowBytes / 32) * 32;
  if (rows < 32) throw new Error(`dusk gpu: a storage binding of ${maxBindingBytes} bytes cannot hold 32 rows of this kernel's columns`);
  return Math.min(rows, Math.ceil(n / 32) * 32);
}

/** Packs rows [start, start + rows) of every input into one word array; `at` gets each column's offsets. */
function packChunk(inputs: GpuInput[], start: number, rows: number): { words: Uint32Array; at: Uint32Array } {
  const bitmapWords = Math.ceil(rows / 32);
  let size = 0;
  const at = new Uint32Array(Math.max(4, Math.ceil((inputs.length * 3) / 4) * 4));
  inputs.forEach((c, j) => {
    at[3 * j] = size;
    size += c.type === 'bool' ? bitmapWords : rows;
    at[3 * j + 1] = size;
    at[3 * j + 2] = c.validity ? 1 : 0;
    if (c.validity) size += bitmapWords;
  });
  const words = new Uint32Array(Math.max(1, size));
  const bytes = new Uint8Array(words.buffer);
  inputs.forEach((c, j) => {
    const off = at[3 * j]!;
    const end = start + rows;
    if (c.type === 'bool') copyBits(bytes, off * 4, c.values as Uint8Array, start, rows);
    else if (c.type === 'f32') new Float32Array(words.buffer, off * 4, rows).set((c.values as Float32Array | Float64Array).subarray(start, Math.min(end, c.values.length)));
    else new Int32Array(words.buffer, off * 4, rows).set((c.values as Int32Array).subarray(start, Math.min(end, c.values.length)));
    if (c.validity) copyBits(bytes, at[3 * j + 1]! * 4, c.validity, start, rows);
  });
  return { words, at };
}

/** Copies the bitmap bytes of rows [start, start + rows) (start a multiple of 8). */
function copyBits(into: Uint8Array, at: number, bitmap: Uint8Array, start: number, rows: number): void {
  const from = start >> 3;
  into.set(bitmap.subarray(from, Math.min(bitmap.length, from + Math.ceil(rows / 8))), at);
}

interface BufferSet {
  params: GPUBuffer;
  input: GPUBuffer;
  out: GPUBuffer;
  bits: GPUBuffer | null;
  staging: GPUBuffer;
  stagingBits: GPUBuffer | null;
}

/**
 * Runs the kernel over n rows. Map mode: every output's words and the bitmaps; reduce mode: the
 * partials of every workgroup of every chunk (PARTIAL_WORDS floats each).
 */
export async function runKernel(gpu: GpuHandle, shape: KernelShape, inputs: GpuInput[], n: number, options: RunOptions = {}): Promise<{ map: MapResult | null; partials: Float32Array | null }> {
  const { device } = gpu;
  const maxBinding = Math.min(gpu.maxBindingBytes, options.maxBindingBytes ?? Infinity);
  const rowsPerChunk = n === 0 ? 32 : chunkRows(n, inputs, shape.mode === 'map' ? shape.outputs : 0, maxBinding);
  const chunks = Math.max(1, Math.ceil(n / rowsPerChunk));
  const pipeline = await computePipeline(device, shape.source);
  const words = Math.ceil(rowsPerChunk / 32);
  const outWords = shape.mode === 'map' ? Math.max(1, shape.outputs * rowsPerChunk) : REDUCE_WORKGROUPS * PARTIAL_WORDS;
  const bitsWords = (shape.outputs + 1) * words;
  const inputBytes = Math.ceil(inputWordsPerRow(inputs) * rowsPerChunk + 2 * inputs.length + 1) * 4;
  const usage = GPUBufferUsage;
  const sets: BufferSet[] = Array.from({ length: Math.min(2, chunks) }, () => ({
    params: device.createBuffer({ size: 16 + Math.max(16, Math.ceil((inputs.length * 3) / 4) * 16), usage: usage.UNIFORM | usage.COPY_DST }),
    input: device.createBuffer({ size: Math.max(16, inputBytes), usage: usage.STORAGE | usage.COPY_DST }),
    out: device.createBuffer({ size: outWords * 4, usage: usage.STORAGE | usage.COPY_SRC | usage.COPY_DST }),
    bits: shape.mode === 'map' ? device.createBuffer({ size: bitsWords * 4, usage: usage.STORAGE | usage.COPY_SRC | usage.COPY_DST }) : null,
    staging: device.createBuffer({ size: outWords * 4, usage: usage.MAP_READ | usage.COPY_DST }),
    stagingBits: shape.mode === 'map' ? device.createBuffer({ size: bitsWords * 4, usage: usage.MAP_READ | usage.COPY_DST }) : null,
  }));

  const map: MapResult | null =
    shape.mode === 'map'
      ? {
          values: Array.from({ length: shape.outputs }, () => new Uint32Array(n)),
          kept: new Uint8Array(Math.ceil(n / 32) * 4),
          validity: Array.from({ length: shape.outputs }, () => new Uint8Array(Math.ceil(n / 32) * 4)),
        }
      : null;
  const partials = shape.mode === 'reduce' ? new Float32Array(chunks * REDUCE_WORKGROUPS * PARTIAL_WORDS) : null;
  const timings = options.timings;
  const now = () => performance.now();

  const submit = async (c: number): Promise<{ c: number; set: BufferSet; rows: number; groups: number }> => {
    const set = sets[c % sets.length]!;
    const start = c * rowsPerChunk;
    const rows = Math.min(rowsPerChunk, n - start);
    let t = now();
    const packed = packChunk(inputs, start, rows);
    const params = new Uint32Array(4 + packed.at.length);
    params[0] = rows;
    params[1] = Math.ceil(rows / 32);
    params.set(packed.at, 4);
    writeBuffer(device, set.params, 0, params);
    writeBuffer(device, set.input, 0, packed.words);
    if (timings) {
      await device.queue.onSubmittedWorkDone();
      timings.uploadMs += now() - t;
      t = now();
    }
    const groups = shape.mode === 'reduce' ? REDUCE_WORKGROUPS : Math.max(1, Math.min(MAX_WORKGROUPS, Math.ceil(rows / WORKGROUP)));
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: set.params } },
      { binding: 1, resource: { buffer: set.input } },
      { binding: 2, resource: { buffer: set.out } },
    ];
    if (set.bits) entries.push({ binding: 3, resource: { buffer: set.bits } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const encoder = device.createCommandEncoder();
    if (set.bits) {
      encoder.clearBuffer(set.bits);
      encoder.clearBuffer(set.out);
    }
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups);
    pass.end();
    if (timings) {
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      timings.kernelMs += now() - t;
      const copy = device.createCommandEncoder();
      copy.copyBufferToBuffer(set.out, 0, set.staging, 0, outWords * 4);
      if (set.bits) copy.copyBufferToBuffer(set.bits, 0, set.stagingBits!, 0, bitsWords * 4);
      device.queue.submit([copy.finish()]);
    } else {
      encoder.copyBufferToBuffer(set.out, 0, set.staging, 0, outWords * 4);
      if (set.bits) encoder.copyBufferToBuffer(set.bits, 0, set.stagingBits!, 0, bitsWords * 4);
      device.queue.submit([encoder.finish()]);
    }
    return { c, set, rows, groups };
  };

  const collect = async ({ c, set, rows }: { c: number; set: BufferSet; rows: number }): Promise<void> => {
    const t = now();
    await Promise.all([set.staging.mapAsync(GPUMapMode.READ), set.stagingBits?.mapAsync(GPUMapMode.READ)]);
    const start = c * rowsPerChunk;
    const out = new Uint32Array(set.staging.getMappedRange());
    if (map) {
      const chunkWords = Math.ceil(rows / 32);
      const bits = new Uint32Array(set.stagingBits!.getMappedRange());
      const firstWord = start / 32;
      new Uint32Array(map.kept.buffer).set(bits.subarray(0, chunkWords), firstWord);
      for (let k = 0; k < shape.outputs; k++) {
        map.values[k]!.set(out.subarray(k * rows, k * rows + rows), start);
        new Uint32Array(map.validity[k]!.buffer).set(bits.subarray((k + 1) * chunkWords, (k + 2) * chunkWords), firstWord);
      }
      set.stagingBits!.unmap();
    } else {
      partials!.set(new Float32Array(out.buffer, 0, REDUCE_WORKGROUPS * PARTIAL_WORDS), c * REDUCE_WORKGROUPS * PARTIAL_WORDS);
    }
    set.staging.unmap();
    if (timings) timings.readbackMs += now() - t;
  };

  try {
    let pending = await submit(0);
    for (let c = 1; c < chunks; c++) {
      // Chunk c is packed and queued (upload, then its kernel) before chunk c-1 is read back.
      const next = await submit(c);
      await collect(pending);
      pending = next;
    }
    await collect(pending);
  } finally {
    for (const set of sets) for (const b of [set.params, set.input, set.out, set.bits, set.staging, set.stagingBits]) b?.destroy();
  }
  if (timings) timings.chunks += chunks;
  gpuCounters.chunks += chunks;
  gpuCounters.kernels++;
  return { map, partials };
}
