import { type ComputeOptions, resolveOptions, validateComputeOptions } from '../config.js';
import { DuskSchemaError } from '../core/errors.js';
import { type LogicalPlan, Scan } from '../plan/logical/index.js';
import { optimize } from '../plan/optimize/index.js';
import { explainLowered, explainPlans } from '../plan/physical/explain.js';
import { lowerToGraph, type PhysicalOptions } from '../plan/physical/lower.js';
import type { Executor } from '../scheduler/executor.js';
import { executorFor, inlineExecutorFor } from '../scheduler/executors.js';
import { planWorkBytes } from '../plan/physical/work-bytes.js';
import { type ComputeReport, type RunHooks, runGraph } from '../scheduler/run-graph.js';
import { schedulerEvents } from '../scheduler/events.js';
import { progressBarFor } from '../diagnostics/progress-bar.js';
import { ensureConfiguredDashboard } from '../diagnostics/dashboard.js';
import { taskGraphSvg } from '../diagnostics/visualize.js';
import { computeHook, Lazy } from './lazy.js';
import { isPlainObject } from '../core/plain-object.js';
import { DataFrame } from './data-frame.js';
import { Series } from './series.js';
import { Aggregate, ArrayCompute, Filter, Select, WithColumns } from '../plan/logical/index.js';
import type { GpuPlacement } from '../plan/physical/gpu-placement.js';
import { mentionsDevice } from '../plan/physical/gpu-placement.js';
import { gpuProbed, openGpu } from '../gpu/device.js';
import { gpuCounters } from '../gpu/kernel-runner.js';

/** The value a structure of lazy values computes to: each Lazy<T> replaced by T. */
export type Computed<T> = T extends Lazy<infer R>
  ? R
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Computed<T[K]> }
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Computed<T[K]> }
      : T;

/** What the GPU did in a compute call. */

let lastReport: ComputeReport | null = null;

/** What the last compute call in this process did (files opened, bytes read, tasks, time, GPU tasks). */
export function lastComputeReport(): ComputeReport | null {
  return lastReport;
}


/** What compute and explain take apart: the values (without the options) and the lazy values inside them. */
export interface SplitArgs {
  values: unknown[];
  options: ComputeOptions;
  /** Every distinct lazy value inside the values, in order of first appearance. */
  lazies: Lazy<unknown>[];
}

/**
 * The one reading of compute's and explain's arguments: lazy values alone or anywhere inside
 * arrays and plain objects, then optionally a final plain object of options. A final plain
 * object with no lazy value inside is the options, and its keys are checked: a misspelt option
 * is an error, not a value handed back unchanged. `where` names the call in errors.
 */
export function splitArgs(args: readonly unknown[], where: string): SplitArgs {
  const values = [...args];
  const last = values[values.length - 1];
  let options: ComputeOptions = {};
  if (values.length > 0 && isPlainObject(last) && !containsLazy(last)) {
    validateComputeOptions(last, where);
    options = values.pop() as ComputeOptions;
  }
  const lazies: Lazy<unknown>[] = [];
  values.forEach((value, i) => findLazies(value, lazies, `${where} argument ${i}`));
  return { values, options, lazies: [...new Set(lazies)] };
}

function containsLazy(value: unknown): boolean {
  if (value instanceof Lazy) return true;
  if (Array.isArray(value)) return value.some(containsLazy);
  if (isPlainObject(value)) return Object.values(value).some(containsLazy);
  return false;
}

/** Collects the lazy values inside arrays and plain objects, in order; a frame or column (not lazy values themselves) is refused. */
function findLazies(value: unknown, into: Lazy<unknown>[], path: string): void {
  if (value instanceof Lazy) into.push(value);
  else if (Array.isArray(value)) value.forEach((v, i) => findLazies(v, into, `${path}[${i}]`));
  else if (isPlainObject(value)) Object.entries(value).forEach(([k, v]) => findLazies(v, into, `${path}.${k}`));
  else if (value instanceof DataFrame) throw new DuskSchemaError(`${path} is a DataFrame, which is a plan, not a result: pass df.toArrow() for every row, or df.head(n)`);
  else if (value instanceof Series) throw new DuskSchemaError(`${path} is a Series (column '${value.name}'), not a result: pass a reduction such as .max(), or .toArrow() for its values`);
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
 * True when a pool scheduler should run these plans on the calling thread: they read less than
 * inlineBelowBytes and call no user function (which may block or wait). Starting a worker
 * costs ~85 ms of CPU (bench/README.md, Start-up), more than reading a few MB; the results are
 * the same, as results do not depend on the schedule.
 */
function runsInline(roots: readonly LogicalPlan[], resolved: ReturnType<typeof resolveOptions>): boolean {
  if ((resolved.scheduler !== 'threads' && resolved.scheduler !== 'processes') || resolved.inlineBelowBytes <= 0) return false;
  const bytes = planWorkBytes(roots);
  return bytes !== null && bytes < resolved.inlineBelowBytes;
}

/** What the physical plan takes from the options: how many workers will run it (one, inline), where pipelines run. */
function physicalOptions(resolved: ReturnType<typeof resolveOptions>, inline: boolean, gpu?: GpuPlacement, workers = resolved.numWorkers): PhysicalOptions {
  return { workers: resolved.scheduler === 'sync' || inline ? 1 : workers, shuffleMemory: resolved.shuffleMemory, ...(gpu ? { gpu } : {}) };
}

/** Whether the plans ask for the GPU themselves: gpu.map/matmul values, or expressions marked onDevice('gpu'). */
function plansAskForGpu(roots: readonly LogicalPlan[]): boolean {
  const seen = new Set<LogicalPlan>();
  const visit = (node: LogicalPlan): boolean => {
    if (seen.has(node)) return false;
    seen.add(node);
    if (node instanceof ArrayCompute) return true;
    if (node instanceof Filter && mentionsDevice(node.predicate, 'gpu')) return true;
    if ((node instanceof Select || node instanceof WithColumns) && node.exprs.some((e) => mentionsDevice(e.expr, 'gpu'))) return true;
    if (node instanceof Aggregate && node.aggs.some((a) => mentionsDevice(a.expr, 'gpu'))) return true;
    return node.children().some(visit);
  };
  return roots.some(visit);
}

let fallbackSaid = false;

/**
 * The GPU placement for a compute: the device is opened (once per process) only when a GPU is
 * asked for; without an adapter the same plan runs on the CPU workers and one line says so.
 */
async function gpuPlacement(roots: readonly LogicalPlan[], resolved: ReturnType<typeof resolveOptions>): Promise<{ placement?: GpuPlacement; fallback: string | null }> {
  const float32 = resolved.gpuFloat32;
  if (resolved.device === 'cpu') return { placement: { device: 'cpu', adapter: null, float32 }, fallback: null };
  if (resolved.device !== 'gpu' && !plansAskForGpu(roots)) return { fallback: null };
  const probe = await openGpu();
  if (probe.ok) return { placement: { device: resolved.device, adapter: probe.handle.adapterName, float32 }, fallback: null };
  if (!fallbackSaid) {
    fallbackSaid = true;
    process.stderr.write(`dusk: a GPU was asked for but none is available (${probe.reason}); running on the CPU workers\n`);
  }
  return { placement: { device: resolved.device, adapter: null, float32 }, fallback: probe.reason };
}

/** explain() is synchronous: the device as last probed (an unprobed one is named as such). */
function explainPlacement(roots: readonly LogicalPlan[], resolved: ReturnType<typeof resolveOptions>): GpuPlacement | undefined {
  const float32 = resolved.gpuFloat32;
  if (resolved.device === 'cpu') return { device: 'cpu', adapter: null, float32 };
  if (resolved.device !== 'gpu' && !plansAskForGpu(roots)) return undefined;
  const probe = gpuProbed();
  if (probe === null) void openGpu();
  return { device: resolved.device, adapter: probe === null ? 'the GPU, if an adapter is found at compute' : probe.ok ? probe.handle.adapterName : null, float32 };
}

/**
 * Optimizes and lowers the plans of several lazy values into one graph and runs it.
 * `executor` is a Client's own pool (never bypassed: its workers are what the client is for);
 * otherwise the shared pool the options name, or the calling thread for a small compute.
 */
export async function computeLazies(lazies: Lazy<unknown>[], options: ComputeOptions, executor?: Executor, hooks?: (keys: string[]) => RunHooks): Promise<unknown[]> {
  const resolved = resolveOptions(options);
  const roots = optimize(lazies.map((l) => l.plan));
  const inline = !executor && runsInline(roots, resolved);
  const { placement, fallback } = await gpuPlacement(roots, resolved);
  // Partitions follow the executor that runs them: a Client's own pool, or a cluster's
  // registered worker threads (distributed), not this machine's numWorkers.
  const runner = executor ?? (inline ? inlineExecutorFor(resolved.scheduler) : executorFor(resolved));
  const lowered = lowerToGraph(roots, physicalOptions(resolved, inline, placement, runner.workers));
  const { graph } = lowered;
  if (resolved.dashboard) await ensureConfiguredDashboard(resolved.dashboard);
  const gpuTasks = [...graph.tasks.values()].filter((t) => t.spec.op.startsWith('gpu-')).length;
  const chunksBefore = gpuCounters.chunks;
  const prepared = Promise.all(lazies.map((l) => l.prepare()));
  prepared.catch(() => {}); // awaited below, after the run (whose error comes first)
  const id = schedulerEvents.newComputeId();
  const bar = progressBarFor(id, resolved.progress);
  bar?.start();
  let run: Awaited<ReturnType<typeof runGraph>>;
  try {
    run = await runGraph(graph, runner, resolved, hooks?.(graph.targets), { id, explain: () => explainLowered(roots, lowered), gpu: () => ({ gpuTasks, gpu: gpuTasks > 0 ? (placement?.adapter ?? null) : null, gpuFallback: fallback, gpuChunks: gpuCounters.chunks - chunksBefore }) });
  } finally {
    bar?.stop();
  }
  const { values, report } = run;
  await prepared;
  lastReport = report;
  warnBadLines(roots, report);
  return values.map((raw, i) => lazies[i]!.finish(raw));
}

/** Splits compute's arguments into values and options, computes, and rebuilds the structure. */
export async function computeStructure(args: unknown[], executor?: Executor, defaults: ComputeOptions = {}, where = 'compute'): Promise<unknown[]> {
  const { values, options, lazies } = splitArgs(args, where);
  const results = await computeLazies(lazies, { ...defaults, ...options }, executor);
  const byLazy = new Map(lazies.map((l, i) => [l, results[i]]));
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

/**
 * The optimized plan of several values, as compute would run them. Takes what compute takes
 * (lazy values inside arrays and objects, a final options object) and reads it the same way.
 */
export function explain(...args: unknown[]): string {
  const { lazies, options } = splitArgs(args, 'explain');
  if (lazies.length === 0) throw new DuskSchemaError('explain: no lazy value among the arguments (pass reductions such as s.max(), df.toArrow(), or delayed calls)');
  const resolved = resolveOptions(options);
  const roots = optimize(lazies.map((v) => v.plan));
  return explainPlans(roots, physicalOptions(resolved, runsInline(roots, resolved), explainPlacement(roots, resolved)));
}

computeHook.computeOne = async <T>(value: Lazy<T>, options: ComputeOptions): Promise<T> => {
  const [result] = await computeLazies([value], options);
  return result as T;
};
computeHook.explain = (values) => explain(...values);
computeHook.visualize = (values, options) => {
  const resolved = resolveOptions({});
  const roots = optimize(values.map((v) => v.plan));
  return taskGraphSvg(lowerToGraph(roots, physicalOptions(resolved, runsInline(roots, resolved), explainPlacement(roots, resolved))).graph.cull(), options);
};
