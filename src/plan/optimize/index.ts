import type { PlanNode } from '../nodes.js';
import { dedupeSinks } from './dedupe-sinks.js';
import { projectionPushdown } from './projection-pushdown.js';
import { scanFusion } from './scan-fusion.js';

/** The optimizer: rules in order, each a pure function of the plan (one rule per file). */
export function optimize(roots: readonly PlanNode[]): PlanNode[] {
  // A call's inputs are results of their own (a Scalar passed to a delayed function): optimize them as roots.
  const withInputs = roots.map((root) => (root.kind === 'call' ? { ...root, inputs: optimize(root.inputs) } : root));
  const projected = withInputs.map(projectionPushdown);
  const fused = scanFusion(projected);
  return dedupeSinks(fused);
}
