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
}
