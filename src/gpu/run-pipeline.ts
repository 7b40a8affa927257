import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { DuskSchemaError } from '../core/errors.js';
import { addExactTotal, reserve, SQ_BIAS, SUM_BIAS } from '../kernels/exact-sum.js';
import { type ColumnStats, emptyStats } from '../kernels/column-stats.js';
import { gatherColumn } from '../kernels/gather.js';
import type { GpuHandle } from './device.js';
import { type GpuInput, PARTIAL_WORDS, type RunOptions, runKernel } from './kernel-runner.js';
import type { GpuPipelinePlan } from './pipeline-wgsl.js';

/** The kernel's inputs out of a batch, in the order the kernel numbered its columns. */
export function batchInputs(plan: GpuPipelinePlan, batch: ColumnBatch): GpuInput[] {
  return plan.columns.map((c) => {
    const index = batch.names.indexOf(c.name);
    if (index < 0) throw new DuskSchemaError(`gpu pipeline: the batch has no column '${c.name}' (it has ${batch.names.join(', ')})`);
    const col = batch.columns[index]!;
    if (col.dtype !== c.dtype) throw new DuskSchemaError(`gpu pipeline: column '${c.name}' is ${col.dtype} in the batch but ${c.dtype} in the kernel`);
    if (col.dtype === 'float64' || col.dtype === 'int32' || col.dtype === 'bool') return { type: c.type, values: col.values, validity: col.nullCount > 0 ? col.validity : null };
    throw new DuskSchemaError(`gpu pipeline: column '${c.name}' is ${col.dtype}`);
  });
}

function popcount(bitmap: Uint8Array, n: number): number {
  let count = 0;
  const full = n >> 3;
  for (let b = 0; b < full; b++) {
    let x = bitmap[b]!;
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    count += (x + (x >> 4)) & 0x0f;
  }
  for (let i = full << 3; i < n; i++) count += (bitmap[i >> 3]! >> (i & 7)) & 1;
  return count;
}

/** A computed output as a column: f32 widened to float64 (what the CPU path gives), i32, bools packed. */
function outputColumn(type: 'f32' | 'i32' | 'bool', words: Uint32Array, validityBits: Uint8Array, n: number): ColumnData {
  const valid = popcount(validityBits, n);
  const nullCount = n - valid;
  const validity = nullCount === 0 ? null : validityBits.slice(0, (n + 7) >> 3);
  if (type === 'f32') return { dtype: 'float64', length: n, nullCount, validity, values: Float64Array.from(new Float32Array(words.buffer, words.byteOffset, n)) };
  if (type === 'i32') return { dtype: 'int32', length: n, nullCount, validity, values: new Int32Array(words.buffer, words.byteOffset, n) };
  const packed = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (words[i] === 1) packed[i >> 3]! |= 1 << (i & 7);
  return { dtype: 'bool', length: n, nullCount, validity, values: packed };
}

/** Runs a map pipeline on one batch: the kept rows, every output column (computed on the GPU or passed through). */
export async function runMapBatch(gpu: GpuHandle, plan: GpuPipelinePlan, batch: ColumnBatch, options: RunOptions = {}): Promise<ColumnBatch> {
  const n = batch.length;
  const { map } = await runKernel(gpu, { source: plan.source, mode: 'map', outputs: plan.computed }, batchInputs(plan, batch), n, options);
  const full = plan.outputs.map((o): ColumnData => {
    if (o.kind === 'column') return batch.columns[batch.names.indexOf(o.column)]!;
    return outputColumn(o.type, map!.values[o.slot]!, map!.validity[o.slot]!, n);
  });
  const names = plan.outputs.map((o) => o.name);
  if (!plan.hasFilter) return { length: n, names, columns: full };
  const sel = new Int32Array(n);
  let m = 0;
  const kept = map!.kept;
  for (let i = 0; i < n; i++) if ((kept[i >> 3]! >> (i & 7)) & 1) sel[m++] = i;
  if (m === n) return { length: n, names, columns: full };
  return { length: m, names, columns: full.map((c) => gatherColumn(c, sel, m)) };
}

/** Folds a reduce kernel's per-workgroup partials into the CPU's statistics state (sums added exactly from there on). */
export function partialsToStats(partials: Float32Array, squares: boolean, into: ColumnStats = emptyStats(squares)): ColumnStats {
  const words = new Uint32Array(partials.buffer, partials.byteOffset, partials.length);
  for (let p = 0; p < partials.length; p += PARTIAL_WORDS) {
    const count = words[p + 4]!;
    if (count === 0) continue;
    const sum = partials[p]!;
    const sq = partials[p + 1]!;
    into.count += count;
    const mn = partials[p + 2]!;
    const mx = partials[p + 3]!;
    if (!(into.min <= mn)) into.min = Number.isNaN(into.min) ? mn : Math.min(into.min, mn);
    if (!(into.max >= mx)) into.max = Number.isNaN(into.max) ? mx : Math.max(into.max, mx);
    const exact = into.exact;
    reserve(exact, 1);
    exact.pending++;
    if (!Number.isFinite(sum)) {
      if (Number.isNaN(sum)) exact.nan++;
      else if (sum > 0) exact.posInf++;
      else exact.negInf++;
      continue;
    }
    addExactTotal(exact.limbs, sum, SUM_BIAS);
    if (exact.sqLimbs !== null && Number.isFinite(sq)) addExactTotal(exact.sqLimbs, sq, SQ_BIAS);
  }
  return into;
}

/** Runs a reduce pipeline on batches: one statistics state (count, sum, Σx², min, max of the one output). */
export async function runReduceBatches(gpu: GpuHandle, plan: GpuPipelinePlan, batches: ColumnBatch[], squares: boolean, options: RunOptions = {}): Promise<ColumnStats> {
  const stats = emptyStats(squares);
  for (const batch of batches) {
    const { partials } = await runKernel(gpu, { source: plan.source, mode: 'reduce', outputs: 1 }, batchInputs(plan, batch), batch.length, options);
    partialsToStats(partials!, squares, stats);
  }
  return stats;
}
