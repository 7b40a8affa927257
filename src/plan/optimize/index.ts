import type { PlanNode } from '../nodes.js';
import { dedupeSinks } from './dedupe-sinks.js';
import { projectionPushdown } from './projection-pushdown.js';
import { scanFusion } from './scan-fusion.js';

/** The optimizer: rules in order, each a pure function of the plan (one rule per file). */
export function optimize(roots: readonly PlanNode[]): PlanNode[] {
  const projected = roots.map(projectionPushdown);
  const fused = scanFusion(projected);
  return dedupeSinks(fused);
}
