import { schemaOf } from '../../core/schema.js';
import { DuskError } from '../../core/errors.js';
import type { ExprNode } from '../../expr/ir.js';
import { resolveType } from '../../expr/index.js';
import type { AggregateSpec } from '../../aggregates/grouped.js';
import type { NamedExpr } from '../logical/named-expr.js';
import { aggregationOf } from '../expr-rewrite.js';
import { type Task, TaskGraph } from '../../graph/task-graph.js';
import { tokenize } from '../../graph/tokenize.js';
import type { ConsumerSpec, PipelineSpec, SinkSpec } from '../../kernels/consumer.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { callOp } from '../../ops/call.js';
import { combineOp } from '../../ops/combine.js';
import { consumeOp } from '../../ops/consume.js';
import { finishOp } from '../../ops/finish.js';
import { headOp } from '../../ops/head.js';
import { reduceOp } from '../../ops/reduce.js';
import { scanOp } from '../../ops/scan.js';
import { valueOp } from '../../ops/value.js';
import { describeOp } from '../../ops/describe.js';
import { limitOp } from '../../ops/limit.js';
import { pickLaneOp } from '../../ops/pick-lane.js';
import { mergeLaneOp } from '../../ops/merge-lane.js';
import { finishLanesOp } from '../../ops/finish-lanes.js';
import type { AggregateSinkSpec } from '../../kernels/sinks/aggregate.js';
import { specOf } from '../../ops/registry.js';
import type { Op } from '../../ops/op.js';
import type { ReduceOp } from '../../kernels/column-stats.js';
import { Aggregate, Call, Describe, DESCRIBE_STATISTICS, Limit, type LogicalPlan, Scan, Value } from '../logical/index.js';
import { flattenPipeline, type FlatPipeline, substitute } from './pipeline.js';
import { SharedScan } from './shared-scan.js';
import type { Source } from '../../sources/source.js';
import { pickOp } from '../../ops/pick.js';
import { aggregatePartitionOp } from '../../ops/aggregate-partition.js';
import { interleaveGroupsOp } from '../../ops/interleave-groups.js';
import { type Emit, loweringFor, type PartitionPlanner, type PartsEmit, type ShuffleSpill } from './lowerings/index.js';
import { randomUUID } from 'node:crypto';
import { gpuConsumeOp } from '../../ops/gpu-consume.js';
import { arrayConcatOp, arrayMapOp, gpuMapOp, gpuMatmulOp, matmulRowsOp } from '../../ops/gpu-arrays.js';
import { ArrayCompute } from '../logical/array-compute.js';
import { type GpuPlacement, placeOnGpu } from './gpu-placement.js';
import { gpuRefusal } from '../../gpu/pipeline-wgsl.js';
import { arraySchema } from '../../gpu/arrays.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


const STATS_OPS = new Set<string>(['min', 'max', 'sum', 'count', 'mean', 'var', 'std']);
/** Column types the statistics sink reads (text goes through the aggregates: min/max of strings). */
const STATS_DTYPES = new Set<string>(['float64', 'int32', 'int64', 'bool']);

/** Partials merged per combine step (Dask's split_every). */
const SPLIT_EVERY = 8;
/**
 * split_out 'auto': a group-by's final merge runs in one lane per worker (2 to 8), once a
 * partial has this many groups. Cutting partials into lanes costs a pass per lane, so more
 * lanes than workers only adds work; one worker (or sync) merges in one place.
 */
const MAX_AUTO_LANES = 8;
const AUTO_SPLIT_MIN_GROUPS = 1 << 16;

/** What the physical plan may depend on besides the logical plans (never the results). */
export interface PhysicalOptions {
  /** Workers that will run the graph (1 for the sync scheduler). */
  workers: number;
  /** Bytes of shuffled rows kept in memory (ComputeOptions.shuffleMemory); absent: no limit. */
  shuffleMemory?: number;
  /** Which pipelines run on the GPU (absent: none; see gpu-placement.ts). */
  gpu?: GpuPlacement;
}

/** A function's part of a call's key, hashed once per function (its source can be long). */
const functionTokens = new WeakMap<FunctionRef, string>();
function functionToken(ref: FunctionRef): string {
  let token = functionTokens.get(ref);
  if (token === undefined) {
    token = tokenize(ref);
    functionTokens.set(ref, token);
  }
  return token;
}

/**
 * Lowers optimized logical plans into one task graph (the physical plan):
 *  - each source read in the call becomes one shared scan, one task per partition, feeding every
 *    consumer's compiled pipeline (filter → outputs → sink) in the same pass;
 *  - a consumer's partials are combined in partition order, then finished;
 *  - head() reads partitions in order and stops once it has its rows;
 *  - delayed calls take their inputs' results as dependencies.
 * Keys hash the work, so equal work in several targets merges and runs once.
 */
export class PhysicalPlanner implements PartitionPlanner {
  readonly graph = new TaskGraph();
  readonly scans = new Map<string, SharedScan>();
  /** Where each pipeline asked for the GPU runs, and why not there (for explain). */
  readonly gpuNotes: string[] = [];

  constructor(private readonly options: PhysicalOptions = { workers: MAX_AUTO_LANES }) {}

  get workers(): number {
    return this.options.workers;
  }

  private scratchDir: string | null = null;

  shuffleSpill(maps: number): ShuffleSpill | null {
    const budget = this.options.shuffleMemory;
    if (budget === undefined || budget === Infinity) return null;
    this.scratchDir ??= join(tmpdir(), `dusk-scratch-${randomUUID()}`);
    this.graph.scratch.add(this.scratchDir);
    return { dir: this.scratchDir, aboveBytes: Math.floor(budget / Math.max(1, maps)) };
  }

  lower(roots: readonly LogicalPlan[]): TaskGraph {
    const emits = roots.map((root) => this.plan(root));
    for (const scan of this.scans.values()) this.emitScan(scan);
    for (const emit of emits) this.graph.targets.push(emit());
    return this.graph;
  }

  add<A>(op: Op<A, unknown>, args: A, deps: string[], label: string, token: unknown): string {
    const key = `${op.name}-${tokenize(token, args, deps)}`;
    const task: Task = { key, spec: specOf(op, args), deps, local: op.local, label };
    this.graph.add(task);
    return key;
  }

  share(key: string, payload: SharedPayload): void {
    this.graph.shared.set(key, payload);
  }

  cleanup<A>(unless: string, op: Op<A, unknown>, args: A, what: string, parts: string[]): void {
    this.graph.cleanups.push({ unless, spec: specOf(op, args), what, parts });
  }

  private plan(node: LogicalPlan): Emit {
    const lowering = loweringFor(node);
    if (lowering?.target) return lowering.target(node, this);
    if (node instanceof Value) return this.planValue(node);
    if (node instanceof ArrayCompute) return this.planArray(node);
    if (node instanceof Call) return this.planCall(node);
    return this.planRows(node);
  }

  rows(node: LogicalPlan): Emit {
    return this.planRows(node);
  }

  feed(node: LogicalPlan, sink: SinkSpec): Emit {
    return this.consume(flattenPipeline(node), sink);
  }

  /**
   * A frame partition by partition (each key's result: that partition's rows): a partitioned
   * node's own lowering; a pipeline over a scan, one consumer of the shared scan per partition;
   * a pipeline over partitions, applied to each; a whole result (an aggregate's), one partition.
   */
  partitions(node: LogicalPlan): PartsEmit {
    const lowering = loweringFor(node);
    if (lowering) return lowering.lower(node, this);
    const flat = flattenPipeline(node);
    const collect: SinkSpec = { kind: 'collect' };
    const consumer: ConsumerSpec = { pipeline: { input: flat.base.schema, filter: flat.filter, outputs: flat.outputs }, sink: collect };
    const onGpu = placeOnGpu(this.options.gpu, consumer.pipeline!, collect, this.gpuNotes);
    if (flat.base instanceof Scan) {
      const scan = this.sharedScan(flat.base);
      const n = scan.source.partitions.length;
      if (onGpu) {
        // The scan hands over the columns as read; the GPU lane runs the pipeline.
        const index = scan.addConsumer(flat.base.schema.columns, { pipeline: null, sink: collect });
        return () => scan.lowered!.map((key, i) => this.add(gpuConsumeOp, { consumer, pick: index, float32: this.options.gpu!.float32 }, [key], `gpu partition ${i + 1}/${n}`, 'gpu-consume'));
      }
      const index = scan.addConsumer(flat.base.schema.columns, consumer);
      return () => scan.lowered!.map((key, i) => this.add(pickOp, { index }, [key], `partition ${i + 1}/${n}`, 'pick'));
    }
    if (flat.base === node) {
      const rows = this.planRows(node);
      return () => [rows()];
    }
    const parts = this.partitions(flat.base);
    if (isIdentity(flat)) return parts;
    if (onGpu) return () => parts().map((key, i, all) => this.add(gpuConsumeOp, { consumer, pick: null, float32: this.options.gpu!.float32 }, [key], `gpu partition ${i + 1}/${all.length}`, 'gpu-consume'));
    return () => parts().map((key, i, all) => this.add(consumeOp, { consumer }, [key], `partition ${i + 1}/${all.length}`, 'consume'));
  }

  /** Rows (ColumnBatch[]) of a table-shaped plan. */
  private planRows(node: LogicalPlan): Emit {
    if (loweringFor(node)) {
      const parts = this.partitions(node);
      return () => this.combineTree({ kind: 'collect' }, null, parts());
    }
    if (node instanceof Limit) return this.planLimit(node);
    if (node instanceof Aggregate) return this.planAggregate(node);
    if (node instanceof Describe) {
      const rows = this.planRows(node.aggregate());
      return () => this.add(describeOp, { statistics: [...DESCRIBE_STATISTICS], columns: node.columns }, [rows()], 'describe', 'describe');
    }
    const flat = flattenPipeline(node);
    return this.consume(flat, { kind: 'collect' });
  }

  /** Feeds a flattened pipeline into a sink: on the shared scan when its base is a scan. */
  private consume(flat: FlatPipeline, sink: SinkSpec): Emit {
    const pipeline: PipelineSpec = { input: flat.base.schema, filter: flat.filter, outputs: flat.outputs };
    const consumer: ConsumerSpec = { pipeline, sink };
    const onGpu = placeOnGpu(this.options.gpu, pipeline, sink, this.gpuNotes);
    if (onGpu && flat.base instanceof Scan) {
      const scan = this.sharedScan(flat.base);
      const index = scan.addConsumer(flat.base.schema.columns, { pipeline: null, sink: { kind: 'collect' } });
      const n = scan.source.partitions.length;
      const widened = this.widenGpuStats(consumer);
      return () => {
        const gpuConsumer = widened();
        const gpuSink = gpuConsumer.sink;
        const parts = scan.lowered!.map((key, i) => this.add(gpuConsumeOp, { consumer: gpuConsumer, pick: index, float32: this.options.gpu!.float32 }, [key], `gpu ${i + 1}/${n} ${describeSink(gpuSink)}`, 'gpu-consume'));
        return this.add(finishOp, { sink: gpuSink }, [this.combineTree(gpuSink, null, parts)], `finish ${describeSink(gpuSink)}`, 'finish');
      };
    }
    if (flat.base instanceof Scan) {
      const scan = this.sharedScan(flat.base);
      const index = scan.addConsumer(flat.base.schema.columns, consumer);
      return () => {
        // The consumer as the scan runs it (statistics may have been widened by other users).
        const shared = scan.consumers[index]!.sink;
        const combined = this.combineTree(shared, index, scan.lowered!);
        if (shared.kind === 'aggregate' && shared.lanes > 1) return this.finishInLanes(shared, combined);
        return this.add(finishOp, { sink: shared }, [combined], `finish ${describeSink(shared)}`, 'finish');
      };
    }
    if (flat.base instanceof Call || flat.base instanceof Value) throw new DuskError(`a ${flat.base.describe()} result is not a table`);
    // Rows another step makes (a join's, an aggregate's): each partition feeds the consumer, then as a scan's.
    const parts = this.partitions(flat.base);
    return () => {
      const keys = parts();
      const consumed = keys.map((key, i) =>
        onGpu
          ? this.add(gpuConsumeOp, { consumer, pick: null, float32: this.options.gpu!.float32 }, [key], `gpu ${i + 1}/${keys.length} ${describeSink(sink)}`, 'gpu-consume')
          : this.add(consumeOp, { consumer }, [key], `consume ${i + 1}/${keys.length} ${describeSink(sink)}`, 'consume'),
      );
      const combined = this.combineTree(sink, null, consumed);
      if (sink.kind === 'aggregate' && sink.lanes > 1) return this.finishInLanes(sink, combined);
      return this.add(finishOp, { sink }, [combined], `finish ${describeSink(sink)}`, 'finish');
    };
  }

  /**
   * Merges partition partials SPLIT_EVERY at a time, level by level, always in partition order:
   * the same tree for every schedule, so the same bits, and no merge step holds every partial.
   */
  private combineTree(sink: SinkSpec, pick: number | null, partKeys: string[]): string {
    let level = partKeys;
    let first = true;
    do {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += SPLIT_EVERY) {
        const group = level.slice(i, i + SPLIT_EVERY);
        next.push(this.add(combineOp, { sink, pick: first ? pick : null }, group, `combine ${describeSink(sink)}`, 'combine'));
      }
      level = next;
      first = false;
    } while (level.length > 1);
    return level[0]!;
  }

  /**
   * split_out: each lane takes its share of the merge's inputs (when the merge was deferred to
   * the lanes), merges and finishes it on a worker; the lanes' rows are then interleaved.
   */
  private finishInLanes(sink: AggregateSinkSpec, merged: string): string {
    const lanes = Array.from({ length: sink.lanes }, (_, lane) => {
      const label = `lane ${lane + 1}/${sink.lanes} ${describeSink(sink)}`;
      const pieces = this.add(pickLaneOp, { sink, lane }, [merged], `pick ${label}`, 'pick-lane');
      return this.add(mergeLaneOp, { sink, lane }, [pieces], `merge ${label}`, 'merge-lane');
    });
    return this.add(finishLanesOp, { sink }, [merged, ...lanes], `finish ${describeSink(sink)}`, 'finish-lanes');
  }

  /** GPU statistics consumers by pipeline and column: one fused kernel serves every reduction of it. */
  private readonly gpuStats = new Map<string, ConsumerSpec>();

  /**
   * As the shared scan does for CPU statistics: sum, mean, std and count of one expression
   * after one filter share one GPU kernel, its sink widened to what every user needs (equal
   * tasks then merge by key). Returns the consumer as it will be once every user is known.
   */
  private widenGpuStats(consumer: ConsumerSpec): () => ConsumerSpec {
    const sink = consumer.sink;
    if (sink.kind !== 'stats') return () => consumer;
    // Keyed by what the kernel computes: the pipeline's input schema differs between targets
    // whose scans were pruned differently, and any of them types the expressions the same way.
    const output = consumer.pipeline!.outputs.find((o) => o.name === sink.column);
    const token = tokenize('gpu-stats', consumer.pipeline!.filter, output, sink.column);
    const kept = this.gpuStats.get(token);
    const keptSink = kept?.sink;
    this.gpuStats.set(token, keptSink?.kind === 'stats' ? { ...kept!, sink: { ...keptSink, countOnly: keptSink.countOnly && sink.countOnly, squares: keptSink.squares || sink.squares } } : consumer);
    return () => this.gpuStats.get(token)!;
  }

  private sharedScan(scan: Scan): SharedScan {
    const key = SharedScan.keyOf(scan.source);
    let shared = this.scans.get(key);
    if (!shared) {
      shared = new SharedScan(scan.source);
      this.scans.set(key, shared);
    }
    return shared;
  }

  private emitScan(scan: SharedScan): void {
    const { source } = scan;
    const columns = scan.readColumns();
    const input = schemaOf(columns, source.schema.dtypes);
    // Every consumer's pipeline reads the batch the scan produces: the union of their columns.
    const consumers = scan.consumers.map((c) => ({ ...c, pipeline: c.pipeline && { ...c.pipeline, input } }));
    const n = source.partitions.length;
    const token = tokenize('scan', source.fingerprint, source.format, columns, consumers);
    this.shareSourceData(source);
    // A source that skips by a filter gets what no consumer keeps: rows failing every consumer's filter.
    const filters = consumers.map((c) => c.pipeline?.filter ?? null);
    const predicate: ExprNode | null = source.pushdown.predicate && filters.length > 0 && filters.every((f) => f !== null) ? filters.reduce((a, b) => (a === b ? a : { kind: 'call', fn: 'or', args: [a!, b!] })) : null;
    scan.lowered = source.partitions.map((partition, i) => {
      const task: Task = {
        key: `scan-${token}-${i}`,
        spec: specOf(scanOp, { kind: source.kind, format: source.format, partition, columns, consumers, predicate }),
        deps: [],
        local: scanOp.local,
        label: `scan ${i + 1}/${n} ${source.partitionLabel(i)}`,
      };
      this.graph.add(task);
      return task.key;
    });
  }

  /** An in-memory source's data, put on each worker once (Source.shared). */
  private shareSourceData(source: Source): void {
    for (const [key, value] of source.shared ?? []) this.graph.shared.set(key, { kind: 'value', value });
  }

  private planLimit(node: Limit): Emit {
    const flat = flattenPipeline(node.input);
    if (!(flat.base instanceof Scan)) {
      const rows = this.planRows(node.input);
      return () => this.add(limitOp, { n: node.n }, [rows()], `head ${node.n}`, 'limit');
    }
    const scan = flat.base;
    const { source } = scan;
    const pipeline: PipelineSpec = { input: scan.schema, filter: flat.filter, outputs: flat.outputs };
    this.shareSourceData(source);
    return () =>
      this.add(
        headOp,
        { kind: source.kind, format: source.format, partitions: [...source.partitions], columns: [...scan.schema.columns], pipeline, n: node.n },
        [],
        `head ${node.n}`,
        source.fingerprint,
      );
  }

  /**
   * Group-by: the pipeline computes the keys and each aggregate's input as columns, every
   * partition keeps its groups' states, and the states merge in a tree (splitEvery at a time,
   * in partition order) before the last merge is finished (sorted or first-seen, nulls dropped
   * or kept).
   */
  private planAggregate(node: Aggregate): Emit {
    const flat = flattenPipeline(node.input);
    const defs = new Map(flat.outputs.map((o) => [o.name, o.expr]));
    const outputs: NamedExpr[] = node.keys.map((k) => ({ name: k, expr: defs.get(k)! }));
    const aggs: AggregateSpec[] = node.aggs.map(({ name, expr }, i) => {
      const agg = aggregationOf(expr)!;
      const spec: AggregateSpec = { name, aggregate: agg.fn, column: null };
      if (agg.arg !== null) {
        spec.column = `__agg${i}`;
        outputs.push({ name: spec.column, expr: substitute(agg.arg, defs) });
      }
      const q = agg.params?.q;
      const ddof = agg.params?.ddof;
      if (typeof q === 'number') spec.q = q;
      if (typeof ddof === 'number') spec.ddof = ddof;
      return spec;
    });
    const pipelineOutput = { columns: outputs.map((o) => o.name), dtypes: Object.fromEntries(outputs.map((o) => [o.name, resolveType(o.expr, flat.base.schema)])) };
    const { sort, dropna, splitOut = 'auto' } = node.options;
    const autoLanes = Math.min(MAX_AUTO_LANES, this.options.workers);
    const lanes = node.keys.length === 0 ? 1 : splitOut === 'auto' ? (autoLanes >= 2 ? autoLanes : 1) : splitOut;
    const splitMinGroups = splitOut === 'auto' ? AUTO_SPLIT_MIN_GROUPS : 0;
    const partitioning = node.input.partitioning();
    if (partitioning !== null && partitioning.count > 1 && partitioning.keys.every((k) => node.keys.includes(k)) && !(flat.base instanceof Scan)) {
      const sink: AggregateSinkSpec = { kind: 'aggregate', keys: [...node.keys], aggs, input: pipelineOutput, sort, dropna, lanes: 1, splitMinGroups: 0 };
      return this.aggregateEachPartition({ ...flat, outputs }, sink);
    }
    const sink: SinkSpec = { kind: 'aggregate', keys: [...node.keys], aggs, input: pipelineOutput, sort, dropna, lanes, splitMinGroups };
    return this.consume({ ...flat, outputs }, sink);
  }

  /**
   * A group-by over rows hash-partitioned by its keys (after a shuffle or a shuffle join): each
   * group lies in one partition, so each partition is aggregated and finished on a worker, with
   * no merge; the partitions' rows are then put in one merge's order (sorted, or first-seen).
   */
  private aggregateEachPartition(flat: FlatPipeline, sink: AggregateSinkSpec): Emit {
    const consumer: ConsumerSpec = { pipeline: { input: flat.base.schema, filter: flat.filter, outputs: flat.outputs }, sink };
    const parts = this.partitions(flat.base);
    return () => {
      const keys = parts();
      const finished = keys.map((key, part) => this.add(aggregatePartitionOp, { consumer, part }, [key], `aggregate ${part + 1}/${keys.length} ${describeSink(sink)}`, 'aggregate-partition'));
      return this.add(interleaveGroupsOp, { keyCount: sink.keys.length, sort: sink.sort }, finished, `finish ${describeSink(sink)}`, 'interleave-groups');
    };
  }

  /** A single number: a Series reduction is one statistics sink on the shared scan. */
  private planValue(node: Value): Emit {
    const input = node.input;
    if (input instanceof Aggregate && input.keys.length === 0 && input.aggs.length === 1) {
      const { name, expr } = input.aggs[0]!;
      const agg = aggregationOf(expr);
      const op = agg?.fn ?? null;
      const arg = agg?.arg ?? null;
      const flat = flattenPipeline(input.input);
      const numeric = arg !== null && STATS_DTYPES.has(resolveType(replaceIn(flat, arg), flat.base.schema));
      if (op !== null && STATS_OPS.has(op) && arg !== null && numeric) {
        const stats = this.consume({ ...flat, outputs: [{ name, expr: replaceIn(flat, arg) }] }, { kind: 'stats', column: name, countOnly: op === 'count', squares: op === 'var' || op === 'std' });
        const ddof = agg?.params?.ddof;
        return () => this.add(reduceOp, typeof ddof === 'number' && ddof !== 1 ? { reduce: op as ReduceOp, ddof } : { reduce: op as ReduceOp }, [stats()], `${op}(${name})`, 'reduce');
      }
    }
    const rows = this.planRows(input);
    return () => this.add(valueOp, {}, [rows()], 'value', 'value');
  }

  /**
   * ddf.gpu.map / matmul: one task on the GPU lane when an adapter was found (and device is
   * not 'cpu'), else slices on the CPU workers (one per worker) joined in order.
   */
  private planArray(node: ArrayCompute): Emit {
    const placement = this.options.gpu;
    const work = node.work;
    // A map the GPU cannot run (int64 results, strings, pow, …) goes to the CPU workers, saying why.
    const refusal = work.kind === 'map' ? gpuRefusal({ input: arraySchema(work.names, work.arrays), filter: null, outputs: [{ name: 'out', expr: work.expr }] }, 'map', true) : null;
    const onGpu = placement !== undefined && placement.adapter !== null && placement.device !== 'cpu' && refusal === null;
    const why = placement?.device === 'cpu' ? " — device 'cpu'" : placement?.adapter === null || placement === undefined ? ' — no GPU adapter: CPU workers' : ` — ${refusal}`;
    this.gpuNotes.push(`${onGpu ? `GPU (${placement!.adapter})` : 'CPU'}: ${node.describe()}${onGpu ? '' : why}`);
    return () => {
      if (work.kind === 'map') {
        const args = { expr: work.expr, names: work.names, arrays: work.arrays };
        if (onGpu) return this.add(gpuMapOp, args, [], 'gpu.map', 'gpu-map');
        const n = work.arrays[0]?.length ?? 0;
        const slices = sliceBounds(n, this.options.workers).map(([from, to], i, all) =>
          this.add(arrayMapOp, { ...args, arrays: work.arrays.map((a) => a.slice(from, to)) }, [], `map ${i + 1}/${all.length}`, 'array-map'),
        );
        return this.add(arrayConcatOp, {}, slices, 'concat', 'array-concat');
      }
      if (onGpu) return this.add(gpuMatmulOp, { a: work.a, b: work.b, m: work.m, k: work.k, n: work.n }, [], 'gpu.matmul', 'gpu-matmul');
      const blocks = sliceBounds(work.m, this.options.workers).map(([from, to], i, all) =>
        this.add(matmulRowsOp, { a: work.a.slice(from * work.k, to * work.k), b: work.b, m: to - from, k: work.k, n: work.n }, [], `matmul rows ${i + 1}/${all.length}`, 'matmul-rows'),
      );
      return this.add(arrayConcatOp, {}, blocks, 'concat', 'array-concat');
    };
  }

  private planCall(node: Call): Emit {
    const inputs = node.inputs.map((input) => this.plan(input));
    return () => {
      const deps = inputs.map((emit) => emit());
      for (const [key, value] of node.shared) this.graph.shared.set(key, value);
      const key = `${node.name}-${tokenize(functionToken(node.fn), node.args, node.refs, deps, node.nonce)}`;
      this.graph.add({ key, spec: specOf(callOp, { fn: node.fn, args: node.args, refs: node.refs }), deps, local: callOp.local, label: `${node.name}()` });
      return key;
    };
  }
}

/** [from, to) bounds cutting n items into up to `parts` nearly equal slices. */
function sliceBounds(n: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, n));
  return Array.from({ length: count }, (_, i) => [Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count)]);
}

function describeSink(sink: SinkSpec): string {
  if (sink.kind === 'stats') return `stats(${sink.column})`;
  if (sink.kind === 'aggregate') return `agg by [${sink.keys.join(', ')}]`;
  if (sink.kind === 'top-k') return `top ${sink.n}`;
  return 'rows';
}

/** A pipeline that keeps every row and column of its base as they are. */
function isIdentity(flat: FlatPipeline): boolean {
  const { columns } = flat.base.schema;
  return flat.filter === null && flat.outputs.length === columns.length && flat.outputs.every((o, i) => o.name === columns[i] && o.expr.kind === 'col' && o.expr.name === o.name);
}

/** `expr` over the pipeline's outputs, rewritten over its base's columns. */
function replaceIn(flat: FlatPipeline, expr: ExprNode): ExprNode {
  return substitute(expr, new Map(flat.outputs.map((o) => [o.name, o.expr])));
}

export function lowerToGraph(roots: readonly LogicalPlan[], options?: PhysicalOptions): { graph: TaskGraph; scans: SharedScan[]; gpuNotes: string[] } {
  const planner = new PhysicalPlanner(options);
  const graph = planner.lower(roots);
  return { graph, scans: [...planner.scans.values()], gpuNotes: planner.gpuNotes };
}
