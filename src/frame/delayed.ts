import { randomUUID } from 'node:crypto';
import { type ArgRef, REF_MARK } from '../kernels/call-task.js';
import { Call, type LogicalPlan } from '../plan/logical/index.js';
import { lowerToGraph } from '../plan/physical/lower.js';
import { optimize } from '../plan/optimize/index.js';
import { Lazy } from './lazy.js';
import { Shared } from './shared.js';
import { shipFunction } from './ship-function.js';
import { isPlainObject } from '../core/plain-object.js';

/** A lazy call of a function: nothing runs until it is computed (awaited, or in ddf.compute). */
export class Delayed<T> extends Lazy<T> {
  constructor(readonly plan: Call) {
    super();
  }
  finish(raw: unknown): T {
    return raw as T;
  }
  /** The task key, as in the graph (name plus a hash of the function and its inputs). */
  get key(): string {
    return lowerToGraph(optimize([this.plan])).graph.targets[0]!;
  }
}

/**
 * What a task argument may be given as: the value itself, or — anywhere inside arrays and
 * objects — a lazy value or future that computes to it, or shared data holding it.
 */
export type Arg<T> = T | PromiseLike<T> | Shared<T> | (T extends (...args: never[]) => unknown ? never : T extends object ? { [K in keyof T]: Arg<T[K]> } : never);

/** A function's parameters given as task arguments. */
export type LazyArgs<P extends unknown[]> = { [K in keyof P]: Arg<P[K]> };

export interface DelayedOptions {
  /** false: every call runs, even with equal arguments (e.g. random draws). Default true. */
  pure?: boolean;
  /** Variables the function uses from the calling script, shipped once per worker. */
  globals?: Record<string, unknown>;
  /** Task name in keys and progress (default: the function's name). */
  name?: string;
}


/** Replaces lazy values and shared data inside arguments by references a worker fills in. */
export function templateArgs(args: unknown[], inputs: LogicalPlan[], shared: [string, unknown][]): unknown[] {
  const walk = (value: unknown): unknown => {
    if (value instanceof Lazy) {
      const ref: ArgRef = { [REF_MARK]: 'dep', index: inputs.push(value.plan) - 1 };
      return ref;
    }
    if (value instanceof Shared) {
      if (!shared.some(([k]) => k === value.key)) shared.push([value.key, value.prepared]);
      const ref: ArgRef = { [REF_MARK]: 'shared', key: value.key };
      return ref;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return args.map(walk);
}

/** The plan of one call of a shipped function. */
export function callPlan(fn: unknown, args: unknown[], options: DelayedOptions = {}, what = 'delayed()'): Call {
  const shipped = shipFunction(fn, options.globals, what);
  const inputs: LogicalPlan[] = [];
  const shared = [...shipped.shared];
  const template = templateArgs(args, inputs, shared);
  return new Call(options.name ?? shipped.ref.name, shipped.ref, template, inputs, options.pure === false ? randomUUID() : null, shared);
}

/**
 * Makes a function lazy: delayed(fn)(a, b) is a Delayed value; compute it with await or
 * ddf.compute. Arguments may be other lazy values (their results are passed in).
 *   const t = ddf.delayed(cvFit)(3);   const [r1, r2] = await ddf.compute(t1, t2);
 */
export function delayed<A extends unknown[], R>(fn: (...args: A) => R, options: DelayedOptions = {}): (...args: LazyArgs<A>) => Delayed<Awaited<R>> {
  shipFunction(fn, options.globals); // fail now, not at the first call, for an unshippable function
  return (...args) => new Delayed<Awaited<R>>(callPlan(fn, args, options));
}
