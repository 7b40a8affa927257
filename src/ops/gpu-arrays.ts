import type { ExprNode } from '../expr/ir.js';
import { compilePipeline } from '../kernels/compile-pipeline.js';
import { arraySchema, mapArraysOnGpu, type MapResultArray, matmulOnGpu, matmulRowsCpu, type NumericArray } from '../gpu/arrays.js';
import { withDevice } from '../gpu/device.js';
import { gpuRunOptions } from '../gpu/limits.js';
import { registerOp } from './registry.js';

/** ddf.gpu.map / ddf.gpu.matmul as tasks: on the GPU lane (local, holding the device), or in slices on the CPU workers. */

export interface ArrayMapArgs {
  expr: ExprNode;
  names: string[];
  arrays: NumericArray[];
}

export interface MatmulArgs {
  a: Float32Array;
  b: Float32Array;
  m: number;
  k: number;
  n: number;
}

export const gpuMapOp = registerOp<ArrayMapArgs, MapResultArray>({
  name: 'gpu-map',
  local: true,
  run: (args) => withDevice((gpu) => mapArraysOnGpu(gpu, args.expr, args.names, args.arrays, gpuRunOptions())),
});

export const gpuMatmulOp = registerOp<MatmulArgs, Float32Array>({
  name: 'gpu-matmul',
  local: true,
  run: (args) => withDevice((gpu) => matmulOnGpu(gpu, args.a, args.b, args.m, args.k, args.n, gpuRunOptions())),
});

/**
 * The CPU path of gpu.map over one slice of the arrays: the same expression through the fused
 * JS kernel (float64 arithmetic), rounded to the array type the GPU gives.
 */
export const arrayMapOp = registerOp<ArrayMapArgs, MapResultArray>({
  name: 'array-map',
  local: false,
  movable: (result) => result,
  run(args) {
    const schema = arraySchema(args.names, args.arrays);
    const n = args.arrays[0]?.length ?? 0;
    const pipeline = compilePipeline({ input: schema, filter: null, outputs: [{ name: 'out', expr: { kind: 'call', fn: 'onDevice', args: [args.expr], params: { device: 'cpu' } } }] });
    const columns = args.arrays.map((values) => (values instanceof Int32Array ? { dtype: 'int32' as const, length: n, nullCount: 0, validity: null, values } : { dtype: 'float64' as const, length: n, nullCount: 0, validity: null, values: Float64Array.from(values) }));
    const out = pipeline({ length: n, names: args.names, columns }).columns[0]!;
    if (out.dtype === 'float64') return Float32Array.from(out.values);
    if (out.dtype === 'int32' || out.dtype === 'int64') return out.values;
    if (out.dtype === 'bool') {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (out.values[i >> 3]! >> (i & 7)) & 1;
      return bytes;
    }
    throw new Error(`gpu.map: the expression gives ${out.dtype}; it must give numbers or bools`);
  },
});

export const matmulRowsOp = registerOp<MatmulArgs, Float32Array>({
  name: 'matmul-rows',
  local: false,
  movable: (result) => result,
  run: (args) => matmulRowsCpu(args.a, args.b, args.m, args.k, args.n),
});

/** The slices' results end to end (a map's values, a matmul's rows). */
export const arrayConcatOp = registerOp<Record<string, never>, MapResultArray>({
  name: 'array-concat',
  local: true,
  run(_args, deps) {
    const parts = deps as MapResultArray[];
    if (parts.length === 1) return parts[0]!;
    const total = parts.reduce((s, p) => s + p.length, 0);
    const out = new (parts[0]!.constructor as new (n: number) => MapResultArray)(total);
    let at = 0;
    for (const p of parts) {
      out.set(p as never, at);
      at += p.length;
    }
    return out;
  },
});
