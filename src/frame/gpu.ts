import { DuskSchemaError } from '../core/errors.js';
import { Expr } from '../expr/index.js';
import type { ExprNode } from '../expr/ir.js';
import { gpuInfo } from '../gpu/device.js';
import { ArrayCompute } from '../plan/logical/array-compute.js';
import { Lazy } from './lazy.js';

/** A gpu.map or gpu.matmul result: a lazy array that computes like any other lazy value. */
export class LazyArray<T extends Float32Array | Int32Array | Uint8Array | BigInt64Array> extends Lazy<T> {
  constructor(readonly plan: ArrayCompute) {
    super();
  }
  finish(raw: unknown): T {
    return raw as T;
  }
  override toString(): string {
    return `Dusk LazyArray (lazy: await it for the values): ${this.plan.describe()}`;
  }
}

function checkArray(value: unknown, what: string): asserts value is Float32Array | Int32Array {
  if (!(value instanceof Float32Array) && !(value instanceof Int32Array)) throw new DuskSchemaError(`${what} must be a Float32Array (or Int32Array); got ${Object.prototype.toString.call(value)}`);
}

function checkSize(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new DuskSchemaError(`gpu.matmul: ${name} must be a positive integer; got ${String(value)}`);
  return value as number;
}

/**
 * ddf.gpu: WebGPU for plain arrays, and what the device is. Values are lazy: they run as one
 * GPU task (holding the device) when an adapter is found, else on the CPU workers in slices;
 * compute({ device: 'cpu' }) forces the CPU path.
 */
export const gpu = {
  /** The adapter's name (null without one) and the largest storage binding in bytes. */
  async info(): Promise<{ adapter: string; maxBindingBytes: number } | null> {
    return gpuInfo();
  },

  /**
   * An expression over plain arrays, element by element (f32 on the GPU; the CPU path computes
   * in float64 and rounds to f32): gpu.map(col('x').exp().add(col('x').sin().mul(3)), { x }).
   * Arrays are read as float64 columns for typing (Int32Array: int32), all of one length. The
   * result: Float32Array, Int32Array, Uint8Array (bools as 0/1), or BigInt64Array for an int64
   * result (int32 + - *), which only the CPU path computes.
   */
  map(expr: Expr | ExprNode, arrays: Record<string, Float32Array | Int32Array>): LazyArray<Float32Array | Int32Array | Uint8Array | BigInt64Array> {
    const names = Object.keys(arrays);
    if (names.length === 0) throw new DuskSchemaError('gpu.map: give at least one array, e.g. { x: Float32Array }');
    const values = names.map((name) => {
      const a = arrays[name];
      checkArray(a, `gpu.map: array '${name}'`);
      return a;
    });
    const n = values[0]!.length;
    values.forEach((a, i) => {
      if (a.length !== n) throw new DuskSchemaError(`gpu.map: array '${names[i]}' has ${a.length} values, '${names[0]}' has ${n}; all must have the same length`);
    });
    const node = expr instanceof Expr ? expr.node : expr;
    return new LazyArray(new ArrayCompute({ kind: 'map', expr: node, names, arrays: values }));
  },

  /** C = A·B for row-major Float32Array A (m×k) and B (k×n): tiled WGSL on the GPU, a blocked loop on the CPU workers otherwise. */
  matmul(a: Float32Array, b: Float32Array, dims: { m: number; k: number; n: number }): LazyArray<Float32Array> {
    if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) throw new DuskSchemaError('gpu.matmul: a and b must be Float32Array (row-major)');
    const m = checkSize(dims?.m, 'm');
    const k = checkSize(dims?.k, 'k');
    const n = checkSize(dims?.n, 'n');
    if (a.length !== m * k) throw new DuskSchemaError(`gpu.matmul: a has ${a.length} values; m×k = ${m}×${k} = ${m * k}`);
    if (b.length !== k * n) throw new DuskSchemaError(`gpu.matmul: b has ${b.length} values; k×n = ${k}×${n} = ${k * n}`);
    return new LazyArray(new ArrayCompute({ kind: 'matmul', a, b, m, k, n }));
  },
};
