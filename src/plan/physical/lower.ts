import { schemaOf } from '../../core/schema.js';
import { DuskError } from '../../core/errors.js';
import type { ExprNode } from '../../expr/ir.js';
import { aggregationOf } from '../expr-rewrite.js';
import { type Task, TaskGraph } from '../../graph/task-graph.js';
import { tokenize } from '../../graph/tokenize.js';
import type { ConsumerSpec, PipelineSpec, SinkSpec } from '../../kernels/consumer.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import { callOp } from '../../ops/call.js';
import { combineOp } from '../../ops/combine.js';
import { consumeOp } from '../../ops/consume.js';
import { finishOp } from '../../ops/finish.js';
import { headOp } from '../../ops/head.js';
import { reduceOp } from '../../ops/reduce.js';
import { scanOp } from '../../ops/scan.js';
import { specOf } from '../../ops/registry.js';
import type { Op } from '../../ops/op.js';
import type { ReduceOp } from '../../kernels/column-stats.js';
import { Aggregate, Call, Limit, type LogicalPlan, Scan, Value } from '../logical/index.js';
import { flattenPipeline, type FlatPipeline, substitute } from './pipeline.js';
import { SharedScan } from './shared-scan.js';

/** A step that adds its tasks once every consumer of every shared scan is known; returns its key. */
type Emit = () => string;

const STATS_OPS = new Set<string>(['min', 'max', 'sum', 'count', 'mean', 'var', 'std']);

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
export class PhysicalPlanner {
  readonly graph = new TaskGraph();
  readonly scans = new Map<string, SharedScan>();

  lower(roots: readonly LogicalPlan[]): TaskGraph {
    const emits = roots.map((root) => this.plan(root));
    for (const scan of this.scans.values()) this.emitScan(scan);
    for (const emit of emits) this.graph.targets.push(emit());
    return this.graph;
  }

  private add<A>(op: Op<A, unknown>, args: A, deps: string[], label: string, token: unknown): string {
    const key = `${op.name}-${tokenize(token, args, deps)}`;
    const task: Task = { key, spec: specOf(op, args), deps, local: op.local, label };
    this.graph.add(task);
    return key;
  }

  private plan(node: LogicalPlan): Emit {
    if (node instanceof Value) return this.planValue(node);
    if (node instanceof Call) return this.planCall(node);
    return this.planRows(node);
  }

  /** Rows (ColumnBatch[]) of a table-shaped plan. */
  private planRows(node: LogicalPlan): Emit {
    if (node instanceof Limit) return this.planLimit(node);
    if (node instanceof Aggregate) return this.planAggregate(node);
    const flat = flattenPipeline(node);
    return this.consume(flat, { kind: 'collect' });
  }

  /** Feeds a flattened pipeline into a sink: on the shared scan when its base is a scan. */
  private consume(flat: FlatPipeline, sink: SinkSpec): Emit {
    const pipeline: PipelineSpec = { input: flat.base.schema, filter: flat.filter, outputs: flat.outputs };
    const consumer: ConsumerSpec = { pipeline, sink };
    if (flat.base instanceof Scan) {
      const scan = this.sharedScan(flat.base);
      const index = scan.addConsumer(flat.base.schema.columns, consumer);
      return () => {
        const label = `combine ${describeSink(sink)}`;
        const combined = this.add(combineOp, { sink, pick: index }, scan.lowered!, label, 'combine');
        return this.add(finishOp, { sink }, [combined], `finish ${describeSink(sink)}`, 'finish');
      };
    }
    if (flat.base instanceof Call || flat.base instanceof Value) throw new DuskError(`a ${flat.base.describe()} result is not a table`);
    const input = this.planRows(flat.base);
    return () => {
      const consumed = this.add(consumeOp, { consumer }, [input()], `consume ${describeSink(sink)}`, 'consume');
      return this.add(finishOp, { sink }, [consumed], `finish ${describeSink(sink)}`, 'finish');
    };
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
    scan.lowered = source.partitions.map((partition, i) => {
      const task: Task = {
        key: `scan-${token}-${i}`,
        spec: specOf(scanOp, { kind: source.kind, format: source.format, partition, columns, consumers }),
        deps: [],
        local: scanOp.local,
        label: `scan ${i + 1}/${n} ${source.partitionLabel(i)}`,
      };
      this.graph.add(task);
      return task.key;
    });
  }

  private planLimit(node: Limit): Emit {
    const flat = flattenPipeline(node.input);
    if (!(flat.base instanceof Scan)) throw new DuskError(`head() over ${flat.base.describe()} is not supported yet`);
    const scan = flat.base;
    const { source } = scan;
    const pipeline: PipelineSpec = { input: scan.schema, filter: flat.filter, outputs: flat.outputs };
    return () =>
      this.add(
        headOp,
        { kind: source.kind, format: source.format, partitions: [...source.partitions], columns: [...scan.schema.columns], pipeline, n: node.n },
        [],
        `head ${node.n}`,
        source.fingerprint,
      );
  }

  private planAggregate(node: Aggregate): Emit {
    throw new DuskError(`groupBy/agg over ${node.input.describe()} is not supported yet`);
  }

  /** A single number: a Series reduction is one statistics sink on the shared scan. */
  private planValue(node: Value): Emit {
    const input = node.input;
    if (input instanceof Aggregate && input.keys.length === 0 && input.aggs.length === 1) {
      const { name, expr } = input.aggs[0]!;
      const agg = aggregationOf(expr);
      const op = agg?.fn ?? null;
      const arg = agg?.arg ?? null;
      if (op !== null && STATS_OPS.has(op) && arg !== null) {
        const flat = flattenPipeline(input.input);
        const stats = this.consume({ ...flat, outputs: [{ name, expr: replaceIn(flat, arg) }] }, { kind: 'stats', column: name, countOnly: op === 'count' });
        return () => this.add(reduceOp, { reduce: op as ReduceOp }, [stats()], `${op}(${name})`, 'reduce');
      }
    }
    throw new DuskError(`${node.input.describe()} as a single value is not supported yet`);
  }

  private planCall(node: Call): Emit {
    const inputs = node.inputs.map((input) => this.plan(input));
    return () => {
      const deps = inputs.map((emit) => emit());
      for (const [key, value] of node.shared) this.graph.shared.set(key, value);
      const key = `${node.name}-${tokenize(functionToken(node.fn), node.args, deps, node.nonce)}`;
      this.graph.add({ key, spec: specOf(callOp, { fn: node.fn, args: node.args }), deps, local: callOp.local, label: `${node.name}()` });
      return key;
    };
  }
}

function describeSink(sink: SinkSpec): string {
  return sink.kind === 'stats' ? `stats(${sink.column})` : 'rows';
}

/** `expr` over the pipeline's outputs, rewritten over its base's columns. */
function replaceIn(flat: FlatPipeline, expr: ExprNode): ExprNode {
  return substitute(expr, new Map(flat.outputs.map((o) => [o.name, o.expr])));
}

export function lowerToGraph(roots: readonly LogicalPlan[]): { graph: TaskGraph; scans: SharedScan[] } {
  const planner = new PhysicalPlanner();
  const graph = planner.lower(roots);
  return { graph, scans: [...planner.scans.values()] };
}
