import type { Schema } from '../../core/schema.js';

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
