import type { ComputeOptions } from '../config.js';
import { writeFileSync } from 'node:fs';
import type { VisualizeOptions } from '../diagnostics/visualize.js';
import type { LogicalPlan } from '../plan/logical/index.js';

/**
 * Anything not computed yet. Awaiting it computes it (it is PromiseLike); `compute()` does
 * the same with options; `explain()` shows the optimized plan without running anything.
 */
export abstract class Lazy<T> implements PromiseLike<T> {
  /** The logical plan of this value (internal). */
  abstract readonly plan: LogicalPlan;
  /** Turns the graph's output for this value into what users get (internal). */
  abstract finish(raw: unknown): T;
  /** Work that `finish` needs, started beside the graph's run (loading a library), or null (internal). */
  prepare(): Promise<unknown> | null {
    return null;
  }

  compute(options: ComputeOptions = {}): Promise<T> {
    return computeHook.computeOne(this, options);
  }

  explain(): string {
    return computeHook.explain([this]);
  }

  /**
   * The task graph compute would run, as SVG (tasks grouped by op; more than `collapseAbove`
   * partitions of one op drawn as one node), written to `path` when given; returns the SVG text.
   */
  visualize(path?: string, options: VisualizeOptions = {}): string {
    const svg = computeHook.visualize([this], options);
    if (path !== undefined) writeFileSync(path, svg);
    return svg;
  }

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.compute().then(onFulfilled, onRejected);
  }
}

/** Set by compute.ts; breaks the import cycle between lazy values and the compute function. */
export const computeHook = {
  computeOne: (_value: Lazy<unknown>, _options: ComputeOptions): Promise<never> => Promise.reject(new Error('dusk: compute is not initialised')),
  explain: (_values: Lazy<unknown>[]): string => '',
  visualize: (_values: Lazy<unknown>[], _options: VisualizeOptions): string => '',
} as {
  computeOne<T>(value: Lazy<T>, options: ComputeOptions): Promise<T>;
  explain(values: Lazy<unknown>[]): string;
  visualize(values: Lazy<unknown>[], options: VisualizeOptions): string;
};
