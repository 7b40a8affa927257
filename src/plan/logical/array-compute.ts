import type { ExprNode } from '../../expr/ir.js';
import { formatExpr } from '../../expr/index.js';
import { LogicalPlan } from './plan.js';

/** ddf.gpu.map's and ddf.gpu.matmul's work: plain arrays in, one array out (not a table). */
export type ArrayWork =
  | { kind: 'map'; expr: ExprNode; names: string[]; arrays: (Float32Array | Int32Array)[] }
  | { kind: 'matmul'; a: Float32Array; b: Float32Array; m: number; k: number; n: number };

export class ArrayCompute extends LogicalPlan {
  readonly schema = { columns: [], dtypes: {} };

  constructor(readonly work: ArrayWork) {
    super();
  }

  children(): LogicalPlan[] {
    return [];
  }
  withChildren(): LogicalPlan {
    return this;
  }
  describe(): string {
    const w = this.work;
    return w.kind === 'map' ? `ArrayMap ${formatExpr(w.expr)} over ${w.arrays[0]?.length ?? 0} values` : `Matmul ${w.m}×${w.k} · ${w.k}×${w.n}`;
  }
}
