import type { CsvSource } from '../sources/csv/csv-source.js';
import type { ReduceOp } from '../kernels/column-stats.js';
import type { ArgRef } from '../kernels/call-task.js';
import type { FunctionRef } from '../kernels/function-ref.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import type { ScanSink } from '../kernels/scan-partition.js';

/** Reads the source's partitions; `columns` null means every column (before projection pushdown). */
export interface ScanNode {
  kind: 'scan';
  source: CsvSource;
  columns: string[] | null;
}

export interface ProjectNode {
  kind: 'project';
  input: PlanNode;
  columns: string[];
}

/** A reduction of one column to a number. */
export interface ReduceNode {
  kind: 'reduce';
  input: PlanNode;
  column: string;
  op: ReduceOp;
}

/** The first n rows as an Arrow table. */
export interface HeadNode {
  kind: 'head';
  input: PlanNode;
  n: number;
}

/** All rows as an Arrow table. */
export interface CollectNode {
  kind: 'collect';
  input: PlanNode;
}

/** One pass over a source feeding several sinks (made by the scan-fusion rule). */
export interface FusedScanNode {
  kind: 'fused-scan';
  source: CsvSource;
  columns: string[];
  sinks: ScanSink[];
}

/** A result taken from one sink of a fused scan. */
export interface OutputNode {
  kind: 'output';
  input: FusedScanNode;
  sink: number;
  finish: { kind: 'reduce'; op: ReduceOp; column: string } | { kind: 'table'; columns: string[] };
}

/**
 * A call of a user function (delayed, submit, map). `args` holds the arguments as plain data and
 * `refs` where the results of `inputs` (and shared data, tables) go; `nonce` keeps impure calls
 * (random draws) from merging.
 */
export interface CallNode {
  kind: 'call';
  name: string;
  fn: FunctionRef;
  args: unknown[];
  refs: ArgRef[];
  inputs: PlanNode[];
  nonce: string | null;
  /** Values every worker must hold first (explicit globals, scattered data), by key. */
  shared: [string, SharedPayload][];
}

export type PlanNode = ScanNode | ProjectNode | ReduceNode | HeadNode | CollectNode | FusedScanNode | OutputNode | CallNode;
