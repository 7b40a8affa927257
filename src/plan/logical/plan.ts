import type { Schema } from '../../core/schema.js';

/** Rows are in `count` partitions by the hash of `keys`: equal keys share a partition. */
export interface HashPartitioning {
  readonly keys: readonly string[];
  readonly count: number;
}

/**
 * A node of the logical plan: what to compute, not how. Each node knows its children and its
 * output schema (resolved when the node is built, so a bad expression fails at once). Rules
 * rebuild nodes through withChildren; nothing else needs to know a node's shape.
 */
export abstract class LogicalPlan {
  abstract readonly schema: Schema;
  abstract children(): LogicalPlan[];
  abstract withChildren(children: LogicalPlan[]): LogicalPlan;
  /** One line for explain(). */
  abstract describe(): string;
  /**
   * The columns each child must produce when this node's parent needs `required` of its
   * columns (null: all). Projection pushdown asks this of nodes it has no case for; the
   * default keeps every column of every child.
   */
  childColumnsRequired(_required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return this.children().map(() => null);
  }
  /**
   * This node outputting only `required` of its columns, when it can drop the others cheaper
   * than its parent can (a join gathers only the columns kept). Projection pushdown asks this of
   * nodes it has no case for, before childColumnsRequired; the default keeps every column.
   */
  withOutputsRequired(_required: ReadonlySet<string>): LogicalPlan {
    return this;
  }
  /** How many partitions the result has (a whole result, an aggregate's: one). */
  partitionCount(): number {
    return 1;
  }
  /** How rows are spread over the partitions, when known (after a shuffle): a join on those keys needs no second shuffle. */
  partitioning(): HashPartitioning | null {
    return null;
  }
}

/** A node with one input (filter, select, …). */
export abstract class UnaryPlan extends LogicalPlan {
  abstract readonly input: LogicalPlan;
  children(): LogicalPlan[] {
    return [this.input];
  }
  withChildren([input]: LogicalPlan[]): LogicalPlan {
    return input === this.input ? this : this.withInput(input!);
  }
  protected abstract withInput(input: LogicalPlan): LogicalPlan;
  /** Row-wise steps keep their input's partitions (whole results override this with one). */
  override partitionCount(): number {
    return this.input.partitionCount();
  }
}

/** Rebuilds a plan bottom-up with `f` applied to every node (children first). */
export function transformUp(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  const children = plan.children();
  const rebuilt = children.map((c) => transformUp(c, f));
  const node = rebuilt.some((c, i) => c !== children[i]) ? plan.withChildren(rebuilt) : plan;
  return f(node);
}

/** Rebuilds a plan top-down: `f` first, then the children of what it returned. */
export function transformDown(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  const node = f(plan);
  const children = node.children();
  const rebuilt = children.map((c) => transformDown(c, f));
  return rebuilt.some((c, i) => c !== children[i]) ? node.withChildren(rebuilt) : node;
}
