/// <reference types="@webgpu/types" />
/**
 * The one WebGPU device of this process, opened on first use. The `webgpu` package (Dawn, a
 * Node-API binary) is imported only when a GPU is asked for: importing Dusk, and every worker
 * thread, never loads it. GPU tasks run on the calling process (the GPU lane of run-graph),
 * one at a time per device (withDevice), while CPU tasks keep running on the workers.
 */

export interface GpuHandle {
  device: GPUDevice;
  adapterName: string;
  /** Bytes one storage binding may span (the device's maxStorageBufferBindingSize). */
  maxBindingBytes: number;
}

type Probe = { ok: true; handle: GpuHandle } | { ok: false; reason: string };

let probe: Promise<Probe> | null = null;
/** The dawn.node instance: it must stay referenced while its device is used (else a crash on GC). */
let instance: unknown = null;
let settled: Probe | null = null;

/**
 * Opens the device once (later calls get the same one); null with a reason when this machine
 * has no WebGPU adapter (no driver, no `webgpu` binary for the platform).
 */
export function openGpu(): Promise<Probe> {
  probe ??= openDevice().then((p) => (settled = p));
  return probe;
}

/** The probe's outcome when it has already run (explain is synchronous), else null. */
export function gpuProbed(): Probe | null {
  return settled;
}

async function openDevice(): Promise<Probe> {
  if (process.env.DUSK_GPU === '0') return { ok: false, reason: 'DUSK_GPU=0 in the environment' };
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (err) {
    return { ok: false, reason: `the webgpu package could not be loaded (${(err as Error).message.split('\n')[0]})` };
  }
  try {
    Object.assign(globalThis, mod.globals);
    const gpu = mod.create([]);
    instance = gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, reason: 'no WebGPU adapter (no Vulkan/Metal/D3D12 driver; on Linux without a GPU install Mesa lavapipe ≥ 24 and set VK_DRIVER_FILES)' };
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      },
    });
    const info = adapter.info;
    const adapterName = [info.description || info.device || info.vendor || 'unknown adapter', info.architecture].filter(Boolean).join(' ').trim();
    // Dawn's device keeps the event loop alive only while work is pending; destroying it at
    // exit lets the process end without waiting on the driver's threads.
    process.once('exit', () => device.destroy());
    return { ok: true, handle: { device, adapterName, maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) } };
  } catch (err) {
    return { ok: false, reason: `opening the WebGPU device failed: ${(err as Error).message}` };
  }
}

/** The adapter's name, or null without one (ddf.gpu.info()). */
export async function gpuInfo(): Promise<{ adapter: string; maxBindingBytes: number } | null> {
  const p = await openGpu();
  return p.ok ? { adapter: p.handle.adapterName, maxBindingBytes: p.handle.maxBindingBytes } : null;
}

let lock: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` holding the device: GPU tasks take turns (their buffers and queue submissions
 * never interleave), CPU tasks are not affected.
 */
export function withDevice<T>(work: (gpu: GpuHandle) => Promise<T>): Promise<T> {
  const run = lock.then(async () => {
    const p = await openGpu();
    if (!p.ok) throw new Error(`dusk: no GPU: ${p.reason}`);
    return work(p.handle);
  });
  lock = run.catch(() => {});
  return run;
}

/** A storage buffer filled from `data` (copied first: Dawn crashes writing from SharedArrayBuffer views). */
export function uploadBuffer(device: GPUDevice, data: ArrayBufferView, usage = 0): GPUBuffer {
  const bytes = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
  const buffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | usage });
  writeBuffer(device, buffer, 0, data);
  return buffer;
}

/** queue.writeBuffer from a plain ArrayBuffer (a view over a SharedArrayBuffer is copied first). */
export function writeBuffer(device: GPUDevice, buffer: GPUBuffer, offset: number, data: ArrayBufferView): void {
  let view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!(data.buffer instanceof ArrayBuffer) || view.byteLength % 4 !== 0) {
    const copy = new Uint8Array(Math.ceil(view.byteLength / 4) * 4);
    copy.set(view);
    view = copy;
  }
  if (view.byteLength > 0) device.queue.writeBuffer(buffer, offset, view.buffer, view.byteOffset, view.byteLength);
}

/** Copies `bytes` of `source` back to the CPU. */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, 0, staging, 0, Math.max(4, bytes));
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return out;
}

/** A compute pipeline for WGSL source, cached by source text; a shader the device refuses is an error naming the line. */
const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
export async function computePipeline(device: GPUDevice, source: string): Promise<GPUComputePipeline> {
  let byDevice = pipelines.get(device);
  if (!byDevice) pipelines.set(device, (byDevice = new Map()));
  let pipeline = byDevice.get(source);
  if (!pipeline) {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: source });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const error = await device.popErrorScope();
    if (error) throw new Error(`dusk gpu: the device refused a generated kernel (a bug in Dusk: please report it): ${error.message}\n${source}`);
    byDevice.set(source, pipeline);
  }
  return pipeline;
}
