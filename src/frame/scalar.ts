import type { PlanNode } from '../plan/nodes.js';
import { Lazy } from './lazy.js';

/** A lazy number: the result of a reduction. */
export class Scalar extends Lazy<number> {
  constructor(readonly plan: PlanNode) {
    super();
  }
  finish(raw: unknown): number {
    return raw as number;
  }
}
