import type { RunOptions } from './kernel-runner.js';

/**
 * A cap on the bytes one storage binding may span, below the device's own limit: internal,
 * for tests that chunk small columns (DUSK_GPU_BINDING_CAP=bytes in the environment, read at
 * each GPU task, so it reaches the copy of Dusk a test loads through the package).
 */
export function gpuRunOptions(): RunOptions {
  const cap = process.env.DUSK_GPU_BINDING_CAP;
  if (cap === undefined || cap === '') return {};
  const bytes = Number(cap);
  if (!Number.isInteger(bytes) || bytes < 128) throw new Error(`DUSK_GPU_BINDING_CAP must be a number of bytes ≥ 128; got '${cap}'`);
  return { maxBindingBytes: bytes };
}
