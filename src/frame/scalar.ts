import { inspect } from 'node:util';
import type { Value } from '../plan/logical/index.js';
import { Lazy } from './lazy.js';

/** A lazy number: the result of a reduction. */
export class Scalar extends Lazy<number> {
  constructor(readonly plan: Value) {
    super();
  }
  finish(raw: unknown): number {
    return raw as number;
  }

  /** What will be computed (the reduction), without computing it. */
  override toString(): string {
    return `Dusk Scalar (lazy: await it for the value): ${this.plan.input.describe()}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
