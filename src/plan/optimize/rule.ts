import type { LogicalPlan } from '../logical/index.js';

/**
 * One optimizer rule (DataFusion's OptimizerRule): a name for explain and tests, and a rewrite
 * that returns the same object when it has nothing to do, so the optimizer sees a fixpoint.
 */
export interface OptimizerRule {
  readonly name: string;
  rewrite(plan: LogicalPlan): LogicalPlan;
}
