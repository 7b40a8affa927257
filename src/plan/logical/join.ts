import type { DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type JoinColumnSpec, type JoinHow, keyMatchDtype, keyOutputDtype } from '../../kernels/hash-join.js';
import type { Source } from '../../sources/source.js';
import { Aggregate } from './aggregate.js';
import { Call } from './call.js';
import { Describe } from './describe.js';
import { type HashPartitioning, LogicalPlan } from './plan.js';
import { Scan } from './scan.js';
import { Value } from './value.js';

export type { JoinHow } from '../../kernels/hash-join.js';
export type JoinStrategy = 'auto' | 'broadcast' | 'shuffle';

export const JOIN_HOWS: readonly JoinHow[] = ['inner', 'left', 'right', 'outer', 'semi', 'anti'];
export const JOIN_STRATEGIES: readonly JoinStrategy[] = ['auto', 'broadcast', 'shuffle'];

/**
 * 'auto' broadcasts a side whose estimated read (Source.workBytes: bytes of plain text, or the
 * columns' bytes in memory) is below this. A broadcast side is sent whole to every task and
 * hashed once per worker (ops/hash-join.ts keeps it), so it must stay small next to a partition;
 * 32 MiB is Polars' and Spark's order of magnitude (Spark: 10 MiB, Dask: one partition), and a
 * side of that size hashes in tens of milliseconds, below the cost of a shuffle of both sides.
 */
export const BROADCAST_MAX_BYTES = 32 << 20;

export interface JoinSpec {
  how: JoinHow;
  leftKeys: readonly string[];
  rightKeys: readonly string[];
  /** Keys given with `on` (the same names both sides): each key is one output column. */
  sharedKeys: boolean;
  /** Added to a right column's name that a left column already has. */
  suffix: string;
  strategy: JoinStrategy;
}

/** How the join runs: one side sent whole to each partition of the other, or both hashed into `count` buckets. */
export type JoinExecution = { kind: 'broadcast'; side: 'left' | 'right' } | { kind: 'shuffle'; count: number };

/** Which sides a join may broadcast: the side whose unmatched rows are dropped. */
function broadcastable(how: JoinHow): { left: boolean; right: boolean } {
  return { left: how === 'inner' || how === 'right', right: how === 'inner' || how === 'left' || how === 'semi' || how === 'anti' };
}

/**
 * Estimated bytes a plan reads (each source once); 0 for an aggregate's result (small by
 * construction: a group per key), Infinity when unknown (a user function's result).
 */
export function estimatedBytes(node: LogicalPlan): number {
  const sources = new Set<Source>();
  let unknown = false;
  const walk = (n: LogicalPlan): void => {
    if (n instanceof Aggregate || n instanceof Describe) return;
    if (n instanceof Call || n instanceof Value) unknown = true;
    if (n instanceof Scan) sources.add(n.source);
    n.children().forEach(walk);
  };
  walk(node);
  if (unknown) return Infinity;
  let total = 0;
  for (const source of sources) total += source.workBytes();
  return total;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/**
 * A join of two frames on key columns (pandas' merge): inner, left, right, outer, semi, anti.
 * Null keys never match. Output: the left columns, then the right columns (for `on` joins the
 * keys once, coalesced from both sides in right and outer joins; a right column whose name a
 * left column has gets the suffix). Semi and anti joins output the left columns only.
 */
export class Join extends LogicalPlan {
  readonly schema: Schema;
  /** Each output column and where it comes from. */
  readonly outputs: readonly JoinColumnSpec[];
  /** Key pairs' compare dtypes. */
  readonly matchDtypes: readonly DType[];
  /**
   * The output name of each right column, fixed when the join was first built, so that pruning
   * an unused left column later does not take a suffix off a right column.
   */
  readonly rightNames: Readonly<Record<string, string>>;

  /** Every column the join can output; `outputs` is those of them kept. */
  private readonly allOutputs: readonly JoinColumnSpec[];

  constructor(
    readonly left: LogicalPlan,
    readonly right: LogicalPlan,
    readonly spec: JoinSpec,
    rightNames?: Readonly<Record<string, string>>,
    /**
     * The output columns kept (set by projection pushdown: those the parent uses), in output
     * order; null: all. The join gathers only these.
     */
    readonly keep: readonly string[] | null = null,
  ) {
    super();
    const { how, leftKeys, rightKeys, sharedKeys, suffix, strategy } = spec;
    if (!JOIN_HOWS.includes(how)) throw new DuskSchemaError(`join: how must be one of ${JOIN_HOWS.join(', ')}, not ${JSON.stringify(how)}`);
    if (!JOIN_STRATEGIES.includes(strategy)) throw new DuskSchemaError(`join: strategy must be one of ${JOIN_STRATEGIES.join(', ')}, not ${JSON.stringify(strategy)}`);
    if (leftKeys.length === 0 || leftKeys.length !== rightKeys.length) throw new DuskSchemaError(`join: needs as many left keys as right keys, at least one (left: [${leftKeys.join(', ')}], right: [${rightKeys.join(', ')}])`);
    const L = left.schema;
    const R = right.schema;
    for (const k of leftKeys) if (!L.columns.includes(k)) throw unknownColumnError(k, L.columns, " in join's left frame");
    for (const k of rightKeys) if (!R.columns.includes(k)) throw unknownColumnError(k, R.columns, " in join's right frame");
    if (strategy === 'broadcast' && !broadcastable(how).left && !broadcastable(how).right) throw new DuskSchemaError(`join: strategy 'broadcast' is not possible for an ${how} join (both sides' unmatched rows are kept); use 'shuffle' or 'auto'`);
    this.matchDtypes = leftKeys.map((lk, i) => {
      const rk = rightKeys[i]!;
      const dtype = keyMatchDtype(L.dtypes[lk]!, R.dtypes[rk]!);
      if (dtype === null) throw new DuskSchemaError(`join: left key '${lk}' (${L.dtypes[lk]}) cannot be compared with right key '${rk}' (${R.dtypes[rk]}); cast one of them first (col('${lk}').cast(...))`);
      return dtype;
    });

    const semi = how === 'semi' || how === 'anti';
    const coalesced = new Map<string, string>(sharedKeys ? rightKeys.map((rk, i) => [rk, leftKeys[i]!]) : []);
    if (rightNames === undefined) {
      const names: Record<string, string> = {};
      const taken = new Set(L.columns);
      for (const c of R.columns) {
        if (coalesced.has(c)) {
          names[c] = coalesced.get(c)!;
          continue;
        }
        const name = L.columns.includes(c) ? `${c}${suffix}` : c;
        if (!semi && taken.has(name)) throw new DuskSchemaError(`join: right column '${c}' would be named '${name}', which the left frame already has; pass another suffix`);
        taken.add(name);
        names[c] = name;
      }
      rightNames = names;
    }
    this.rightNames = rightNames;

    const outputs: JoinColumnSpec[] = L.columns.map((c) => {
      const at = sharedKeys ? leftKeys.indexOf(c) : -1;
      if (at >= 0 && (how === 'right' || how === 'outer')) {
        const rk = rightKeys[at]!;
        return { name: c, left: c, right: rk, dtype: keyOutputDtype(L.dtypes[c]!, R.dtypes[rk]!)! };
      }
      return { name: c, left: c, right: null, dtype: L.dtypes[c]! };
    });
    if (!semi) for (const c of R.columns) if (!coalesced.has(c)) outputs.push({ name: rightNames[c]!, left: null, right: c, dtype: R.dtypes[c]! });
    this.allOutputs = outputs;
    if (keep !== null) {
      for (const name of keep) if (!outputs.some((o) => o.name === name)) throw unknownColumnError(name, outputs.map((o) => o.name), ' among the join\'s outputs');
    }
    this.outputs = keep === null ? outputs : outputs.filter((o) => keep.includes(o.name));
    this.schema = { columns: this.outputs.map((o) => o.name), dtypes: Object.fromEntries(this.outputs.map((o) => [o.name, o.dtype])) };
  }

  children(): LogicalPlan[] {
    return [this.left, this.right];
  }
  withChildren([left, right]: LogicalPlan[]): LogicalPlan {
    return left === this.left && right === this.right ? this : new Join(left!, right!, this.spec, this.rightNames, this.keep);
  }

  /**
   * Only the outputs the parent uses: the join then gathers nothing else, e.g. not a key column
   * a group-by above drops. At least one (a key: its sides read the keys anyway), so that
   * batches keep a column to count rows by.
   */
  override withOutputsRequired(required: ReadonlySet<string>): LogicalPlan {
    let kept = this.outputs.filter((o) => required.has(o.name)).map((o) => o.name);
    if (kept.length === 0) {
      const { leftKeys, rightKeys } = this.spec;
      kept = [this.allOutputs.find((o) => (o.left !== null && leftKeys.includes(o.left)) || (o.right !== null && rightKeys.includes(o.right)))!.name];
    }
    if (kept.length === this.outputs.length) return this;
    return new Join(this.left, this.right, this.spec, this.rightNames, kept);
  }

  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    if (required === null) return [null, null];
    const wanted = this.outputs.filter((o) => required.has(o.name));
    const left = new Set([...this.spec.leftKeys, ...wanted.flatMap((o) => (o.left === null ? [] : [o.left]))]);
    const right = new Set([...this.spec.rightKeys, ...wanted.flatMap((o) => (o.right === null ? [] : [o.right]))]);
    return [left, right];
  }

  /** A side's partitioning when it is already hashed by its join keys. */
  private keyed(side: 'left' | 'right'): HashPartitioning | null {
    const p = (side === 'left' ? this.left : this.right).partitioning();
    return p !== null && sameKeys(p.keys, side === 'left' ? this.spec.leftKeys : this.spec.rightKeys) ? p : null;
  }

  /**
   * How the join runs. 'auto': when both sides are already hashed by their keys into as many
   * partitions, bucket by bucket with no exchange; else broadcast a side that may be broadcast
   * and is estimated below BROADCAST_MAX_BYTES (the smaller if both); else shuffle both into the
   * partition count of a side already hashed by its keys (so it is not moved), else the larger
   * of the two counts.
   */
  execution(): JoinExecution {
    const { how, strategy } = this.spec;
    const can = broadcastable(how);
    const leftKeyed = this.keyed('left');
    const rightKeyed = this.keyed('right');
    const shuffle = (): JoinExecution => ({
      kind: 'shuffle',
      count: leftKeyed && rightKeyed ? Math.max(leftKeyed.count, rightKeyed.count) : (leftKeyed?.count ?? rightKeyed?.count ?? Math.max(this.left.partitionCount(), this.right.partitionCount())),
    });
    if (strategy === 'shuffle') return shuffle();
    const leftBytes = can.left ? estimatedBytes(this.left) : Infinity;
    const rightBytes = can.right ? estimatedBytes(this.right) : Infinity;
    const smaller = (): JoinExecution => ({ kind: 'broadcast', side: !can.left || (can.right && rightBytes <= leftBytes) ? 'right' : 'left' });
    if (strategy === 'broadcast') return smaller();
    if (leftKeyed && rightKeyed && leftKeyed.count === rightKeyed.count) return shuffle();
    if (Math.min(leftBytes, rightBytes) < BROADCAST_MAX_BYTES) return smaller();
    return shuffle();
  }

  override partitionCount(): number {
    const how = this.execution();
    if (how.kind === 'shuffle') return how.count;
    return (how.side === 'right' ? this.left : this.right).partitionCount();
  }

  /** Output name of a right column (an `on` key: the key's name). */
  private rightOutputName(column: string): string | undefined {
    return this.rightNames[column];
  }

  override partitioning(): HashPartitioning | null {
    const p = this.keyPartitioning();
    // Keys the join no longer outputs (pruned) say nothing about its output's rows.
    return p !== null && p.keys.every((k) => this.schema.columns.includes(k)) ? p : null;
  }

  private keyPartitioning(): HashPartitioning | null {
    const execution = this.execution();
    const { how, leftKeys, rightKeys, sharedKeys } = this.spec;
    if (execution.kind === 'broadcast') {
      if (execution.side === 'right') return this.left.partitioning();
      const p = this.right.partitioning();
      const keys = p?.keys.map((k) => this.rightOutputName(k));
      return p && keys!.every((k) => k !== undefined && this.schema.columns.includes(k)) ? { keys: keys as string[], count: p.count } : null;
    }
    const { count } = execution;
    // The keys of a side whose rows are all there: its key values are in every output row.
    if (how === 'inner' || how === 'left' || how === 'semi' || how === 'anti' || sharedKeys) return { keys: leftKeys, count };
    if (how === 'right') return { keys: rightKeys.map((k) => this.rightNames[k]!), count };
    return null;
  }

  describe(): string {
    const { how, leftKeys, rightKeys, sharedKeys } = this.spec;
    const on = sharedKeys ? `on [${leftKeys.join(', ')}]` : `on left [${leftKeys.join(', ')}] = right [${rightKeys.join(', ')}]`;
    const execution = this.execution();
    const by = execution.kind === 'broadcast' ? `broadcast ${execution.side}` : `shuffle into ${execution.count} partitions`;
    const kept = this.keep === null || this.outputs.length === this.allOutputs.length ? '' : ` → [${this.outputs.map((o) => o.name).join(', ')}]`;
    return `Join ${how} ${on} (${by})${kept}`;
  }
}
