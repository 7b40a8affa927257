import type { RunOptions } from './kernel-runner.js';

/**
 * A cap on the bytes one storage binding may span, below the device's own limit (internal:
 * tests use it to chunk small columns; null = the device's maxStorageBufferBindingSize).
 */
let bindingCap: number | null = null;

export function setGpuBindingCap(bytes: number | null): void {
  bindingCap = bytes;
}

export function gpuRunOptions(): RunOptions {
  return bindingCap === null ? {} : { maxBindingBytes: bindingCap };
}
