import type { Table } from 'apache-arrow';
import type { ColumnBatch } from '../core/column-data.js';
import { batchesToTable, isArrowTable, loadArrow, tableToIpc } from '../core/to-arrow.js';
import { DuskTaskError } from '../core/errors.js';
import { type ArgPath, type ArgRef, setOwn } from '../kernels/call-task.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { formatPath, isPlainArray, unsendable } from '../scheduler/sendable.js';
import { Call, type LogicalPlan, type Partition } from '../plan/logical/index.js';
import { lowerToGraph } from '../plan/physical/lower.js';
import { optimize } from '../plan/optimize/index.js';
import { Lazy } from './lazy.js';
import { LazyTable } from './lazy-table.js';
import { Shared, toSharedMemory } from './shared.js';
import { shipFunction } from './ship-function.js';
import { isPlainObject } from '../core/plain-object.js';
import { checkOptions } from '../core/options.js';
import { DELAYED_OPTION_KEYS } from './delayed-options.js';

/** What makes an impure call a task of its own (its key part). */
function nonce(): string {
  return process.getBuiltinModule('node:crypto').randomUUID();
}

/**
 * A lazy call of a function (or a frame's partition, DataFrame.toDelayed): nothing runs until
 * it is computed (awaited, or in ddf.compute).
 */
export class Delayed<T> extends Lazy<T> {
  constructor(readonly plan: Call | Partition) {
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
 * One partition of a frame as a Delayed value (DataFrame.toDelayed): it computes to that
 * partition's rows as an Arrow table, and a delayed function given it as an argument gets that
 * table, in the same graph (and the same scan) as everything else computed with it.
 */
export class DelayedPartition extends Delayed<Table> {
  constructor(override readonly plan: Partition) {
    super(plan);
  }
  override prepare(): Promise<unknown> {
    return loadArrow();
  }
  override finish(raw: unknown): Table {
    return batchesToTable(raw as ColumnBatch[], this.plan.schema.columns, this.plan.schema.dtypes);
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
  /**
   * true: calls with equal arguments share one task key and run once per compute. The default
   * follows Dask: false for ddf.delayed (every call its own task, e.g. random draws), true for
   * client.map and client.submit.
   */
  pure?: boolean;
  /** Variables the function uses from the calling script, shipped once per worker. */
  globals?: Record<string, unknown>;
  /** Task name in keys and progress (default: the function's name). */
  name?: string;
}


/** Arguments as the task spec holds them: plain data, and where lazy values, shared data and tables go. */
export interface ArgTemplate {
  args: unknown[];
  refs: ArgRef[];
}

/**
 * Copies the arguments into plain data a worker can receive, checking them on the way (so every
 * scheduler refuses the same values, at call time): lazy values, shared data and Arrow tables
 * become refs beside the arguments (never markers inside them), each with its path; arrays and
 * plain objects are copied with their own keys ('__proto__' included, as a key); other values
 * must be data the structured clone carries intact. `what` names the call in errors.
 */
export function templateArgs(args: unknown[], inputs: LogicalPlan[], shared: [string, SharedPayload][], what: string): ArgTemplate {
  const refs: ArgRef[] = [];
  const path: ArgPath = [];
  const ancestors: object[] = [];
  const refuse = (problem: string): never => {
    throw new DuskTaskError(`${what}: ${problem}`, '');
  };
  const walk = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) {
      // Only functions and symbols among non-objects cannot be sent (the path is worded only then).
      if (typeof value !== 'function' && typeof value !== 'symbol') return value;
      return refuse(unsendable(value, formatPath('args', path), { role: 'input', tables: false, cycles: 'refuse' })!);
    }
    if (value instanceof Lazy) {
      const index = inputs.push(value.plan) - 1;
      // A lazy table computes to column batches; the task gets the Arrow table compute() gives.
      refs.push({ path: [...path], source: value instanceof LazyTable || value instanceof DelayedPartition ? { kind: 'dep', index, table: { names: [...value.plan.schema.columns], dtypes: { ...value.plan.schema.dtypes } } } : { kind: 'dep', index } });
      return null;
    }
    if (value instanceof Shared) {
      if (!shared.some(([k]) => k === value.key)) shared.push([value.key, value.payload]);
      refs.push({ path: [...path], source: { kind: 'shared', key: value.key } });
      return null;
    }
    if (isArrowTable(value)) {
      refs.push({ path: [...path], source: { kind: 'table', ipc: toSharedMemory(tableToIpc(value)) } });
      return null;
    }
    const isArray = isPlainArray(value);
    if (!isArray && !isPlainObject(value)) {
      const problem = unsendable(value, formatPath('args', path), { role: 'input', tables: false, cycles: 'refuse' });
      return problem === null ? value : refuse(problem);
    }
    const at = ancestors.indexOf(value);
    if (at >= 0) refuse(`${formatPath('args', path)} refers back to ${formatPath('args', path.slice(0, at))} (a cycle): Dusk copies and hashes task arguments, so they must be trees of values; pass the data without the back reference`);
    ancestors.push(value);
    path.push(0);
    try {
      if (isArray) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          path[path.length - 1] = i;
          if (i in value) out[i] = walk(value[i]);
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        path[path.length - 1] = key;
        setOwn(out, key, walk(value[key]));
      }
      return out;
    } finally {
      path.pop();
      ancestors.pop();
    }
  };
  // The argument list itself is the root: ancestors[k] is the container at path.slice(0, k).
  ancestors.push(args);
  const out = args.map((arg, i) => {
    path.push(i);
    try {
      return walk(arg);
    } finally {
      path.pop();
    }
  });
  return { args: out, refs };
}

/**
 * The plan of one call of a shipped function. `pureByDefault` is the caller's default when
 * options.pure is not given (false for delayed, true for client.map/submit, as in Dask).
 */
export function callPlan(fn: unknown, args: unknown[], options: DelayedOptions = {}, what = 'delayed()', pureByDefault = false): Call {
  const shipped = shipFunction(fn, options.globals, what);
  const inputs: LogicalPlan[] = [];
  const shared = [...shipped.shared];
  const name = options.name ?? shipped.ref.name;
  const template = templateArgs(args, inputs, shared, `${what} of '${name}'`);
  return new Call(name, shipped.ref, template.args, template.refs, inputs, (options.pure ?? pureByDefault) ? null : nonce(), shared);
}

/** Marks a function made by ddf.delayed with the function it wraps and its options. */
export const DELAYED_FUNCTION = Symbol('dusk.delayed');

/** What ddf.delayed(fn) returns: calling it gives a Delayed; client.map/submit run `fn` itself. */
export type DelayedFunction<A extends unknown[], R> = ((...args: LazyArgs<A>) => Delayed<Awaited<R>>) & {
  readonly [DELAYED_FUNCTION]: { fn: (...args: A) => R; options: DelayedOptions };
};

/** The function a ddf.delayed wrapper wraps, and the options it was given; null for any other value. */
export function unwrapDelayed(value: unknown): { fn: unknown; options: DelayedOptions } | null {
  if (typeof value !== 'function') return null;
  return (value as Partial<DelayedFunction<unknown[], unknown>>)[DELAYED_FUNCTION] ?? null;
}

/**
 * Makes a function lazy: delayed(fn)(a, b) is a Delayed value; compute it with await or
 * ddf.compute. Arguments may be other lazy values (their results are passed in). As in Dask,
 * every call is its own task unless { pure: true } (equal calls then run once per compute).
 *   const t = ddf.delayed(cvFit)(3);   const [r1, r2] = await ddf.compute(t1, t2);
 */
export function delayed<A extends unknown[], R>(fn: (...args: A) => R, options: DelayedOptions = {}): DelayedFunction<A, R> {
  checkOptions('delayed', options, DELAYED_OPTION_KEYS);
  // delayed(delayed(f)) is delayed(f), with the outer options over the inner ones.
  const inner = unwrapDelayed(fn);
  const target = (inner ? inner.fn : fn) as (...args: A) => R;
  const merged = inner ? mergeOptions(inner.options, options) : options;
  shipFunction(target, merged.globals); // fail now, not at the first call, for an unshippable function
  const lazy = (...args: LazyArgs<A>) => new Delayed<Awaited<R>>(callPlan(target, args, merged));
  Object.defineProperty(lazy, 'name', { value: merged.name ?? target.name });
  Object.defineProperty(lazy, DELAYED_FUNCTION, { value: { fn: target, options: merged } });
  return lazy as DelayedFunction<A, R>;
}

/** `over`'s options where it gives them (an undefined value gives nothing), else `base`'s. */
export function mergeOptions<T extends object>(base: T, over: T): T {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
