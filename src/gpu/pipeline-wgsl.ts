import type { DType } from '../core/dtypes.js';
import type { Schema } from '../core/schema.js';
import { type ExprNode, formatExpr, simplify, type TypedExpr, typeExpr } from '../expr/index.js';
import { columnDType } from '../expr/types.js';
import { PARTIAL_WORDS, WORKGROUP } from './kernel-runner.js';
import { compileWgsl, type GpuColumn, gpuTypeOf, type GpuType, Unsupported, WgslWriter } from './wgsl-expr.js';

/**
 * One row pipeline (filter → outputs, or filter → one value reduced) as one WGSL compute
 * kernel: a grid-stride loop over the chunk's rows. Map kernels write each computed output
 * (f32/i32 bits, bools as 0/1) and set bits for the rows kept and the valid outputs; reduce
 * kernels keep per-thread sum (compensated), Σx², min, max and count, combine them in
 * workgroup memory and write one partial per workgroup, so only partials come back.
 */

export interface GpuPipelinePlan {
  source: string;
  mode: 'map' | 'reduce';
  columns: GpuColumn[];
  /** Map mode: per pipeline output, a computed slot or an input column passed through. */
  outputs: ({ name: string; kind: 'kernel'; slot: number; dtype: DType; type: GpuType } | { name: string; kind: 'column'; column: string })[];
  computed: number;
  hasFilter: boolean;
}

export interface GpuPipelineSpec {
  input: Schema;
  filter: ExprNode | null;
  outputs: { name: string; expr: ExprNode }[];
}

/**
 * Why the pipeline cannot run on the GPU (null: it can). float64 columns are read as f32 only
 * when `float32` (gpuFloat32) allows it.
 */
export function gpuRefusal(spec: GpuPipelineSpec, mode: 'map' | 'reduce', float32: boolean): string | null {
  try {
    planGpuPipeline(spec, mode, float32);
    return null;
  } catch (err) {
    if (err instanceof Unsupported) return err.message;
    throw err;
  }
}

function passThrough(t: TypedExpr): string | null {
  if (t.kind === 'col') return t.node.name;
  if (t.kind === 'alias') return passThrough(t.arg);
  return null;
}

const cache = new Map<string, GpuPipelinePlan>();

export function planGpuPipeline(spec: GpuPipelineSpec, mode: 'map' | 'reduce', float32: boolean): GpuPipelinePlan {
  const key = JSON.stringify([spec.input, spec.filter, spec.outputs, mode, float32]);
  const hit = cache.get(key);
  if (hit) return hit;
  const plan = buildPlan(spec, mode, float32);
  if (cache.size > 256) cache.clear();
  cache.set(key, plan);
  return plan;
}

function buildPlan(spec: GpuPipelineSpec, mode: 'map' | 'reduce', float32: boolean): GpuPipelinePlan {
  const schema = spec.input;
  const w = new WgslWriter();
  const filter = spec.filter === null ? null : typeExpr(simplify(spec.filter, schema), schema);
  const body: string[] = [];
  let keep = 'true';
  if (filter && !(filter.kind === 'lit' && filter.value === true)) {
    const f = compileWgsl(w, filter);
    keep = `(!(${f.n}) && ${f.v})`;
  }
  const filterLines = w.lines.splice(0);
  const outputs: GpuPipelinePlan['outputs'] = [];
  let computed = 0;
  const typedOutputs = spec.outputs.map((o) => ({ name: o.name, typed: typeExpr(simplify(o.expr, schema), schema) }));
  if (mode === 'reduce' && typedOutputs.length !== 1) throw new Error('internal: a GPU reduce takes one output');
  for (const { name, typed } of typedOutputs) {
    const column = mode === 'map' ? passThrough(typed) : null;
    if (column !== null) {
      outputs.push({ name, kind: 'column', column });
      continue;
    }
    const dtype = columnDType(typed.type);
    const type = gpuTypeOf(typed.type, `${name} = ${formatExpr(typed.node)}`);
    const value = compileWgsl(w, typed);
    const slot = computed++;
    outputs.push({ name, kind: 'kernel', slot, dtype, type });
    if (mode === 'map') {
      const bits = type === 'f32' ? `bitcast<u32>(${value.v})` : type === 'i32' ? `bitcast<u32>(${value.v})` : `select(0u, 1u, ${value.v})`;
      body.push(`if (!(${value.n})) { outv[${slot}u * P.n + i] = ${bits}; atomicOr(&bits[${slot + 1}u * P.words + (i >> 5u)], 1u << (i & 31u)); }`);
    } else {
      const x = type === 'f32' ? value.v : type === 'i32' ? `f32(${value.v})` : `select(0.0f, 1.0f, ${value.v})`;
      body.push(`if (!(${value.n})) { let x: f32 = ${x}; cnt = cnt + 1u; let y = x - comp; let s2 = sum + y; comp = (s2 - sum) - y; sum = s2; sq = sq + x * x; if (x < mn) { mn = x; } if (x > mx) { mx = x; } }`);
    }
  }
  const outputLines = w.lines.splice(0);
  for (const c of w.columns) {
    if (c.dtype === 'float64' && !float32) {
      throw new Unsupported(`column '${c.name}' is float64: the GPU computes in f32, pass { gpuFloat32: true } to allow it (relative error ~1e-6 per operation)`);
    }
  }
  const atWords = Math.max(1, Math.ceil((w.columns.length * 3) / 4));
  const header = [
    `struct Params { n: u32, words: u32, zero: u32, r1: u32, at: array<vec4<u32>, ${atWords}> }`,
    '@group(0) @binding(0) var<uniform> P: Params;',
    '@group(0) @binding(1) var<storage, read> inp: array<u32>;',
    mode === 'map' ? '@group(0) @binding(2) var<storage, read_write> outv: array<u32>;' : '@group(0) @binding(2) var<storage, read_write> parts: array<f32>;',
    mode === 'map' ? '@group(0) @binding(3) var<storage, read_write> bits: array<atomic<u32>>;' : '',
    'fn word(k: u32) -> u32 { return P.at[k / 4u][k % 4u]; }',
    'fn colAt(j: u32) -> u32 { return word(3u * j); }',
    'fn isNullAt(j: u32, i: u32) -> bool { return word(3u * j + 2u) != 0u && ((inp[word(3u * j + 1u) + (i >> 5u)] >> (i & 31u)) & 1u) == 0u; }',
    'fn readBool(j: u32, i: u32) -> bool { return ((inp[word(3u * j) + (i >> 5u)] >> (i & 31u)) & 1u) == 1u; }',
  ];
  const row = [...filterLines, `let keep: bool = ${keep};`, 'if (keep) {', mode === 'map' && filter ? 'atomicOr(&bits[i >> 5u], 1u << (i & 31u));' : '', ...outputLines, ...body, '}'].join('\n');
  let source: string;
  if (mode === 'map') {
    source = [
      ...header,
      `@compute @workgroup_size(${WORKGROUP})`,
      'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
      `  let stride = nwg.x * ${WORKGROUP}u;`,
      '  for (var i: u32 = gid.x; i < P.n; i = i + stride) {',
      row,
      '  }',
      '}',
    ].join('\n');
  } else {
    source = [
      ...header,
      `var<workgroup> sSum: array<f32, ${WORKGROUP}>;`,
      `var<workgroup> sSq: array<f32, ${WORKGROUP}>;`,
      `var<workgroup> sMin: array<f32, ${WORKGROUP}>;`,
      `var<workgroup> sMax: array<f32, ${WORKGROUP}>;`,
      `var<workgroup> sCnt: array<u32, ${WORKGROUP}>;`,
      `@compute @workgroup_size(${WORKGROUP})`,
      'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {',
      `  let stride = nwg.x * ${WORKGROUP}u;`,
      '  var sum: f32 = 0.0f; var comp: f32 = 0.0f; var sq: f32 = 0.0f; var cnt: u32 = 0u;',
      '  var mn: f32 = bitcast<f32>(0x7f800000u + P.zero); var mx: f32 = bitcast<f32>(0xff800000u + P.zero);',
      '  for (var i: u32 = gid.x; i < P.n; i = i + stride) {',
      row,
      '  }',
      '  sSum[li] = sum; sSq[li] = sq; sMin[li] = mn; sMax[li] = mx; sCnt[li] = cnt;',
      '  workgroupBarrier();',
      `  for (var s: u32 = ${WORKGROUP / 2}u; s > 0u; s = s >> 1u) {`,
      '    if (li < s) {',
      '      sSum[li] = sSum[li] + sSum[li + s]; sSq[li] = sSq[li] + sSq[li + s];',
      '      if (sMin[li + s] < sMin[li]) { sMin[li] = sMin[li + s]; }',
      '      if (sMax[li + s] > sMax[li]) { sMax[li] = sMax[li + s]; }',
      '      sCnt[li] = sCnt[li] + sCnt[li + s];',
      '    }',
      '    workgroupBarrier();',
      '  }',
      '  if (li == 0u) {',
      `    let o = wid.x * ${PARTIAL_WORDS}u;`,
      '    parts[o] = sSum[0]; parts[o + 1u] = sSq[0]; parts[o + 2u] = sMin[0]; parts[o + 3u] = sMax[0]; parts[o + 4u] = bitcast<f32>(sCnt[0]);',
      '  }',
      '}',
    ].join('\n');
  }
  return { source, mode, columns: w.columns, outputs, computed, hasFilter: filter !== null && keep !== 'true' };
}
