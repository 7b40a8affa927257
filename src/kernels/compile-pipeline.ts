import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Schema } from '../core/schema.js';
import { canonicalJson, type ExprNode, formatExpr, type JsValue, simplify, type TypedExpr, typeExpr } from '../expr/index.js';
import { columnDType } from '../expr/types.js';
import { CategoryOutput, StringOutput } from './column-output.js';
import { allocateStored, planLoop, planStores } from './cse.js';
import { compileExpr, enterLoop } from './expr-codegen.js';
import { gatherColumn } from './gather.js';
import { KernelWriter } from './kernel-writer.js';

/** One partition pipeline: keep the rows where `filter` is true, then compute `outputs` on them. */
export interface PipelineSpec {
  input: Schema;
  filter: ExprNode | null;
  outputs: { name: string; expr: ExprNode }[];
}

export type Pipeline = (batch: ColumnBatch) => ColumnBatch;

export interface CompileOptions {
  /**
   * Common sub-expressions computed once per row and, where the filter already computed
   * them, read from its scratch arrays by the output loop (see cse.ts). Default true; false
   * writes every occurrence out (for comparisons).
   */
  cse?: boolean;
}

/**
 * Compiles a pipeline into one generated JS function over the batch's typed arrays and
 * validity bitmaps: a loop that evaluates the filter and records the kept rows, and a loop
 * that computes every output for those rows only. Outputs that are plain column references
 * pass through (shared when no row is dropped, gathered otherwise). A sub-expression used
 * more than once is computed once per row, and one the filter computed for a kept row is
 * read back by the output loop (cse.ts; `{ cse: false }` turns this off). Compiled kernels are
 * cached per process by the spec's key (expressions and the dtypes of the columns they use).
 * Type errors are thrown here, before any data is read.
 */
export function compilePipeline(spec: PipelineSpec, options: CompileOptions = {}): Pipeline {
  const key = `${options.cse === false ? 'plain' : 'cse'}:${pipelineKey(spec)}`;
  let pipeline = cache.get(key);
  if (pipeline) {
    cache.delete(key); // most recently used goes last
  } else {
    pipeline = buildPipeline(spec, options);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, pipeline);
  return pipeline;
}

/** The generated source of a pipeline's kernel, for explain output and tests. */
export function pipelineSource(spec: PipelineSpec, options: CompileOptions = {}): string {
  return plan(spec, options).source;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, Pipeline>();

export function pipelineKey(spec: PipelineSpec): string {
  return canonicalJson({
    dtypes: Object.entries(spec.input.dtypes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    filter: spec.filter,
    outputs: spec.outputs.map((o) => [o.name, o.expr]),
  });
}

type Output = { name: string; source: 'column'; column: string } | { name: string; source: 'kernel'; dtype: DType; slot: number };

interface Plan {
  source: string;
  constants: unknown[];
  columns: { name: string; dtype: DType }[];
  outputs: Output[];
  hasFilter: boolean;
}

/** The kernel returns the kept rows (`sel`, `m`) and, per computed output, its buffers. */
interface KernelResult {
  m: number;
  sel: Int32Array | null;
  outputs: (ColumnData | [Float64Array | Int32Array | BigInt64Array | Uint8Array, Uint8Array | null, number])[];
}

type Kernel = (columns: ColumnData[], n: number) => KernelResult;

function plan(spec: PipelineSpec, options: CompileOptions): Plan {
  const w = new KernelWriter();
  const schema = spec.input;
  // Type the expressions as given first: that validates IR from elsewhere, and errors show the user's expression.
  if (spec.filter !== null) typeExpr(spec.filter, schema);
  for (const { expr } of spec.outputs) typeExpr(expr, schema);
  const filter = spec.filter === null ? null : simplify(spec.filter, schema);
  const typedFilter = filter === null || isLiteralTrue(filter) ? null : typeExpr(filter, schema);
  if (typedFilter && typedFilter.type !== 'bool' && typedFilter.type !== 'null') {
    throw new DuskSchemaError(`filter ${formatExpr(typedFilter.node)} must be a bool expression; it gives ${typedFilter.type}`);
  }

  const outputs: Output[] = [];
  const computed: { typed: TypedExpr; dtype: DType; slot: number }[] = [];
  for (const { name, expr } of spec.outputs) {
    const simplified = simplify(expr, schema);
    const typed = typeExpr(simplified, schema);
    const column = passThrough(typed);
    if (column !== null) outputs.push({ name, source: 'column', column });
    else {
      const dtype = columnDType(typed.type);
      outputs.push({ name, source: 'kernel', dtype, slot: computed.length });
      computed.push({ typed, dtype, slot: computed.length });
    }
  }

  const cse = options.cse !== false;
  const stored = cse && typedFilter && computed.length > 0 ? planStores(typedFilter, computed.map((out) => out.typed)) : [];
  const body: string[] = [];
  if (typedFilter) {
    const loop = w.loop(cse ? planLoop([typedFilter], stored, 'filter') : null, () => {
      enterLoop(w);
      const p = compileExpr(w, typedFilter);
      w.emit(`if (!${p.n} && ${p.v}) sel[m++] = i;`);
    });
    body.push('sel = new Int32Array(n); m = 0;', ...stored.map(allocateStored), `for (let i = 0; i < n; i++) {\n${loop}\n}`);
  }
  if (computed.length > 0) {
    const loop = w.loop(cse ? planLoop(computed.map((out) => out.typed), stored, 'output') : null, () => {
      enterLoop(w);
      for (const out of computed) writeOutput(w, out.slot, out.dtype, compileExpr(w, out.typed));
    });
    body.push(...computed.map((out) => allocateOutput(w, out.slot, out.dtype)));
    body.push(`for (let k = 0; k < m; k++) {\nconst i = ${typedFilter ? 'sel[k]' : 'k'};\n${loop}\n}`);
  }
  const results = computed.map((out) => (out.dtype === 'string' || out.dtype === 'category' ? `o${out.slot}.finish()` : `[o${out.slot}, o${out.slot}m, o${out.slot}n]`));

  const source = [
    '"use strict";',
    ...w.constants.map((_, k) => `const K${k} = K[${k}];`),
    'return function kernel(cols, n) {',
    ...w.columns.map((c, j) => bindColumn(j, c.dtype)),
    ...w.batchSetup,
    w.tempDeclarations(),
    'let sel = null, m = n;',
    ...body,
    `return { m, sel, outputs: [${results.join(', ')}] };`,
    '};',
  ].join('\n');
  return { source, constants: w.constants, columns: w.columns, outputs, hasFilter: typedFilter !== null };
}

function buildPipeline(spec: PipelineSpec, options: CompileOptions): Pipeline {
  const { source, constants, columns, outputs } = plan(spec, options);
  // The source is made only of identifiers generated by KernelWriter, escaped literals and the
  // registry's code templates; values from the expression travel in K, not in the text.
  const kernel = new Function('K', source)(constants) as Kernel;
  const names = outputs.map((o) => o.name);

  return (batch) => {
    const inputs = columns.map((c) => inputColumn(batch, c.name, c.dtype));
    const result = kernel(inputs, batch.length);
    const { m, sel } = result;
    const columnsOut = outputs.map((out): ColumnData => {
      if (out.source === 'kernel') return outputColumn(out.dtype, m, result.outputs[out.slot]!);
      const col = inputColumn(batch, out.column, null);
      return sel === null || m === batch.length ? col : gatherColumn(col, sel, m);
    });
    return { length: m, names, columns: columnsOut };
  };
}

function inputColumn(batch: ColumnBatch, name: string, dtype: DType | null): ColumnData {
  const index = batch.names.indexOf(name);
  if (index < 0) throw new DuskSchemaError(`pipeline: the batch has no column '${name}' (it has ${batch.names.join(', ')})`);
  const col = batch.columns[index]!;
  if (dtype !== null && col.dtype !== dtype) throw new DuskSchemaError(`pipeline: column '${name}' is ${col.dtype} in the batch but ${dtype} in the schema the kernel was compiled for`);
  return col;
}

/** The input column an output copies unchanged (a column reference, maybe aliased), or null. */
function passThrough(t: TypedExpr): string | null {
  if (t.kind === 'col') return t.node.name;
  if (t.kind === 'alias') return passThrough(t.arg);
  return null;
}

function isLiteralTrue(node: ExprNode): boolean {
  return node.kind === 'lit' && node.dtype === 'bool' && node.value === true;
}

function bindColumn(j: number, dtype: DType): string {
  const c = `cols[${j}]`;
  const validity = `const c${j}m = ${c}.validity;`;
  switch (dtype) {
    case 'string':
      return `const c${j}d = ${c}.data, c${j}o = ${c}.offsets; ${validity}`;
    case 'category':
      return `const c${j}i = ${c}.indices, c${j}k = ${c}.dictionary; ${validity}`;
    default:
      return `const c${j}v = ${c}.values; ${validity}`;
  }
}

const ARRAY_OF: Partial<Record<DType, string>> = { float64: 'Float64Array', int32: 'Int32Array', int64: 'BigInt64Array' };

function allocateOutput(w: KernelWriter, slot: number, dtype: DType): string {
  const o = `o${slot}`;
  if (dtype === 'string' || dtype === 'category') return `const ${o} = new ${w.constant(dtype === 'string' ? StringOutput : CategoryOutput)}(m); const ${o}m = null, ${o}n = 0;`;
  const values = dtype === 'bool' ? 'new Uint8Array((m + 7) >> 3)' : `new ${ARRAY_OF[dtype]}(m)`;
  return `const ${o} = ${values}, ${o}m = new Uint8Array((m + 7) >> 3); let ${o}n = 0;`;
}

/** Writes row k of a computed output: the value and its validity bit, or counts a null. */
function writeOutput(w: KernelWriter, slot: number, dtype: DType, value: JsValue): void {
  const o = `o${slot}`;
  const bit = `${o}m[k >> 3] |= 1 << (k & 7);`;
  let store: string;
  if (dtype === 'string' || dtype === 'category') {
    w.emit(`if (${value.n}) ${o}.pushNull(); else ${o}.push(${value.v});`);
    return;
  }
  if (dtype === 'bool') store = `if (${value.v}) ${o}[k >> 3] |= 1 << (k & 7);`;
  else store = `${o}[k] = ${value.v};`;
  w.emit(`if (${value.n}) ${o}n++; else { ${store} ${bit} }`);
}

function outputColumn(dtype: DType, m: number, out: KernelResult['outputs'][number]): ColumnData {
  if (!Array.isArray(out)) return out;
  const [values, bits, nullCount] = out;
  const common = { length: m, nullCount, validity: nullCount === 0 ? null : bits };
  switch (dtype) {
    case 'float64':
      return { ...common, dtype, values: values as Float64Array };
    case 'int32':
      return { ...common, dtype, values: values as Int32Array };
    case 'int64':
      return { ...common, dtype, values: values as BigInt64Array };
    default:
      return { ...common, dtype: 'bool', values: values as Uint8Array };
  }
}
