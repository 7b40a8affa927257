import { type ComputeOptions, resolveOptions } from '../config.js';
import type { CsvSource } from '../io/csv/csv-source.js';
import { optimize } from '../plan/optimize/index.js';
import { explainPlan } from '../plan/explain.js';
import { lower } from '../plan/lower.js';
import type { PlanNode } from '../plan/nodes.js';
import { executorFor } from '../scheduler/executors.js';
import { type ComputeReport, runGraph } from '../scheduler/run-graph.js';
import { computeHook, Lazy } from './lazy.js';

/** The value a structure of lazy values computes to: each Lazy<T> replaced by T. */
export type Computed<T> = T extends Lazy<infer R> ? R : T extends readonly unknown[] ? { -readonly [K in keyof T]: Computed<T[K]> } : T;

let lastReport: ComputeReport | null = null;

/** What the last compute call in this process did (files opened, bytes read, tasks, time). */
export function lastComputeReport(): ComputeReport | null {
  return lastReport;
}

function isOptions(value: unknown): value is ComputeOptions {
  return typeof value === 'object' && value !== null && !(value instanceof Lazy) && !Array.isArray(value);
}

/** Collects the lazy values inside arrays, in order. */
function findLazies(value: unknown, into: Lazy<unknown>[]): void {
  if (value instanceof Lazy) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => findLazies(v, into));
}

function rebuild(value: unknown, results: Map<Lazy<unknown>, unknown>): unknown {
  if (value instanceof Lazy) return results.get(value);
  if (Array.isArray(value)) return value.map((v) => rebuild(v, results));
  return value;
}

function sourcesOf(node: PlanNode): CsvSource[] {
  if (node.kind === 'scan' || node.kind === 'fused-scan') return [node.source];
  return sourcesOf(node.input);
}

/** onBadLines 'warn' reports the rows it skipped ('skip' only counts them in the report). */
function warnBadLines(roots: readonly PlanNode[], report: ComputeReport): void {
  if (report.badLines === 0 || !roots.flatMap(sourcesOf).some((s) => s.onBadLines === 'warn')) return;
  process.emitWarning(`dusk: skipped ${report.badLines} bad line(s), e.g. ${report.badLineSamples.slice(0, 3).join('; ')}`, 'DuskBadLinesWarning');
}

async function computeLazies(lazies: Lazy<unknown>[], options: ComputeOptions): Promise<unknown[]> {
  const resolved = resolveOptions(options);
  const roots = optimize(lazies.map((l) => l.plan));
  const graph = lower(roots);
  const { values, report } = await runGraph(graph, executorFor(resolved), resolved);
  lastReport = report;
  warnBadLines(roots, report);
  return values.map((raw, i) => lazies[i]!.finish(raw));
}

/**
 * Computes several lazy values in one task graph: work they share (reading a file) is done
 * once. Arguments may be lazy values or arrays of them; a final plain object is options.
 *   const [mx, mn] = await compute(s.max(), s.min());
 */
export async function compute<T extends unknown[]>(...args: [...T, ComputeOptions]): Promise<Computed<T>>;
export async function compute<T extends unknown[]>(...args: T): Promise<Computed<T>>;
export async function compute(...args: unknown[]): Promise<unknown[]> {
  const options = args.length > 0 && isOptions(args[args.length - 1]) ? (args.pop() as ComputeOptions) : {};
  const lazies: Lazy<unknown>[] = [];
  findLazies(args, lazies);
  const unique = [...new Set(lazies)];
  const values = await computeLazies(unique, options);
  const results = new Map(unique.map((l, i) => [l, values[i]]));
  return rebuild(args, results) as unknown[];
}

/** The optimized plan of several values, as compute would run them. */
export function explain(...values: Lazy<unknown>[]): string {
  const roots = optimize(values.map((v) => v.plan));
  const graph = lower(roots);
  const workers = [...graph.tasks.values()].filter((t) => !t.local).length;
  return `${explainPlan(roots)}\n-- task graph: ${graph.tasks.size} tasks (${workers} on workers), targets ${graph.targets.join(', ')}`;
}

computeHook.computeOne = async <T>(value: Lazy<T>, options: ComputeOptions): Promise<T> => {
  const [result] = await computeLazies([value], options);
  return result as T;
};
computeHook.explain = (values) => explain(...values);
