import { type ComputeOptions, resolveOptions } from '../config.js';
import { type LogicalPlan, Scan } from '../plan/logical/index.js';
import { optimize } from '../plan/optimize/index.js';
import { explainPlans } from '../plan/physical/explain.js';
import { lowerToGraph } from '../plan/physical/lower.js';
import type { Executor } from '../scheduler/executor.js';
import { executorFor } from '../scheduler/executors.js';
import { type ComputeReport, type RunHooks, runGraph } from '../scheduler/run-graph.js';
import { computeHook, Lazy } from './lazy.js';
import { isPlainObject } from '../core/plain-object.js';

/** The value a structure of lazy values computes to: each Lazy<T> replaced by T. */
export type Computed<T> = T extends Lazy<infer R>
  ? R
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Computed<T[K]> }
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Computed<T[K]> }
      : T;

let lastReport: ComputeReport | null = null;

/** What the last compute call in this process did (files opened, bytes read, tasks, time). */
export function lastComputeReport(): ComputeReport | null {
  return lastReport;
}


const OPTION_KEYS = new Set(['scheduler', 'numWorkers', 'chunksize', 'retries', 'progress']);

/** A final plain object whose keys are all compute options is options, not a value to compute. */
function isOptions(value: unknown): value is ComputeOptions {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => OPTION_KEYS.has(k));
}

/** Collects the lazy values inside arrays and plain objects, in order. */
function findLazies(value: unknown, into: Lazy<unknown>[]): void {
  if (value instanceof Lazy) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => findLazies(v, into));
  else if (isPlainObject(value)) Object.values(value).forEach((v) => findLazies(v, into));
}

function rebuild(value: unknown, results: Map<Lazy<unknown>, unknown>): unknown {
  if (value instanceof Lazy) return results.get(value);
  if (Array.isArray(value)) return value.map((v) => rebuild(v, results));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuild(v, results)]));
  return value;
}

function warnsOnBadLines(node: LogicalPlan): boolean {
  if (node instanceof Scan) return node.source.badLines === 'warn';
  return node.children().some(warnsOnBadLines);
}

/** onBadLines 'warn' reports the rows it skipped ('skip' only counts them in the report). */
function warnBadLines(roots: readonly LogicalPlan[], report: ComputeReport): void {
  if (report.badLines === 0 || !roots.some(warnsOnBadLines)) return;
  process.emitWarning(`dusk: skipped ${report.badLines} bad line(s), e.g. ${report.badLineSamples.slice(0, 3).join('; ')}`, 'DuskBadLinesWarning');
}

/**
 * Optimizes and lowers the plans of several lazy values into one graph and runs it.
 * `executor` is a Client's own pool; otherwise the shared pool the options name.
 */
export async function computeLazies(lazies: Lazy<unknown>[], options: ComputeOptions, executor?: Executor, hooks?: (keys: string[]) => RunHooks): Promise<unknown[]> {
  const resolved = resolveOptions(options);
  const roots = optimize(lazies.map((l) => l.plan));
  const { graph } = lowerToGraph(roots);
  const prepared = Promise.all(lazies.map((l) => l.prepare()));
  prepared.catch(() => {}); // awaited below, after the run (whose error comes first)
  const { values, report } = await runGraph(graph, executor ?? executorFor(resolved), resolved, hooks?.(graph.targets));
  await prepared;
  lastReport = report;
  warnBadLines(roots, report);
  return values.map((raw, i) => lazies[i]!.finish(raw));
}

/** Splits compute's arguments into values and options, computes, and rebuilds the structure. */
export async function computeStructure(args: unknown[], executor?: Executor, defaults: ComputeOptions = {}): Promise<unknown[]> {
  const values = [...args];
  const options = { ...defaults, ...(values.length > 0 && isOptions(values[values.length - 1]) ? (values.pop() as ComputeOptions) : {}) };
  const lazies: Lazy<unknown>[] = [];
  findLazies(values, lazies);
  const unique = [...new Set(lazies)];
  const results = await computeLazies(unique, options, executor);
  const byLazy = new Map(unique.map((l, i) => [l, results[i]]));
  return rebuild(values, byLazy) as unknown[];
}

/**
 * Computes lazy values — alone, or inside arrays and plain objects — in one task graph: work
 * they share (reading a file) is done once. A final object of options configures the run.
 *   const [mx, mn] = await compute(s.max(), s.min());
 *   const [results] = await compute(tasks);          // an array of Delayed
 */
export async function compute<T extends unknown[]>(...args: [...T, ComputeOptions]): Promise<Computed<T>>;
export async function compute<T extends unknown[]>(...args: T): Promise<Computed<T>>;
export async function compute(...args: unknown[]): Promise<unknown[]> {
  return computeStructure(args);
}

/** The optimized plan of several values, as compute would run them. */
export function explain(...values: Lazy<unknown>[]): string {
  return explainPlans(optimize(values.map((v) => v.plan)));
}

computeHook.computeOne = async <T>(value: Lazy<T>, options: ComputeOptions): Promise<T> => {
  const [result] = await computeLazies([value], options);
  return result as T;
};
computeHook.explain = (values) => explain(...values);
