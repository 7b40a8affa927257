import { DuskError } from '../../core/errors.js';
import type { LogicalPlan } from '../logical/index.js';
import { constantFolding } from './constant-folding.js';
import { limitPushdown } from './limit-pushdown.js';
import { predicatePushdown } from './predicate-pushdown.js';
import { projectionPushdown } from './projection-pushdown.js';
import { topK } from './topk.js';
import type { OptimizerRule } from './rule.js';

/** The rules, in the order each round applies them: a new rule is one file plus one entry here. */
export const RULES: readonly OptimizerRule[] = [constantFolding, predicatePushdown, limitPushdown, topK, projectionPushdown];

const MAX_ROUNDS = 32;

/** Applies every rule in turn until a whole round changes nothing (Polars runs its rules to a fixpoint). */
export function optimizePlan(plan: LogicalPlan, rules: readonly OptimizerRule[] = RULES): LogicalPlan {
  let current = plan;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = current;
    for (const rule of rules) current = rule.rewrite(current);
    if (current === before) return current;
  }
  throw new DuskError(`the optimizer did not reach a fixpoint in ${MAX_ROUNDS} rounds (rules: ${rules.map((r) => r.name).join(', ')})`);
}

export function optimize(roots: readonly LogicalPlan[]): LogicalPlan[] {
  return roots.map((root) => optimizePlan(root));
}

export type { OptimizerRule } from './rule.js';
