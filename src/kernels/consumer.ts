import type { ColumnBatch } from '../core/column-data.js';
import { compilePipeline, type PipelineSpec } from './compile-pipeline.js';
import { type AggregateSinkSpec, aggregateSink } from './sinks/aggregate.js';
import { type CollectSpec, collectSink } from './sinks/collect.js';
import type { Sink } from './sinks/sink.js';
import { type StatsSpec, statsSink } from './sinks/stats.js';
import { type TopKSpec, topKSink } from './sinks/top-k.js';

export type { PipelineSpec } from './compile-pipeline.js';

export type SinkSpec = CollectSpec | StatsSpec | AggregateSinkSpec | TopKSpec;

type AnySink = Sink<SinkSpec, unknown, unknown, unknown>;

/** The sinks by kind: a new kind of consumer is one file in sinks/ plus one entry here. */
const SINKS = {
  collect: collectSink,
  stats: statsSink,
  aggregate: aggregateSink,
  'top-k': topKSink,
} satisfies Record<SinkSpec['kind'], { kind: string }>;

export function sinkFor(spec: SinkSpec): AnySink {
  return SINKS[spec.kind] as unknown as AnySink;
}

/**
 * One consumer of a scan, per partition: its row pipeline (filter, then the output columns, as
 * one compiled kernel; null = the scanned columns as they are) and where the rows go.
 */
export interface ConsumerSpec {
  pipeline: PipelineSpec | null;
  sink: SinkSpec;
}

/** Feeds batches through a consumer's pipeline into its sink. */
export class Consumer {
  private readonly sink: AnySink;
  private readonly pipeline: ((batch: ColumnBatch) => ColumnBatch) | null;
  private acc: unknown;
  /** Rows that came out of the pipeline so far. */
  rows = 0;

  constructor(readonly spec: ConsumerSpec) {
    this.sink = sinkFor(spec.sink);
    this.pipeline = spec.pipeline === null ? null : compilePipeline(spec.pipeline);
    this.acc = this.sink.init(spec.sink);
  }

  feed(batch: ColumnBatch): void {
    const out = this.pipeline === null ? batch : this.pipeline(batch);
    this.rows += out.length;
    this.acc = this.sink.update(this.spec.sink, this.acc, out);
  }

  /** The partition's partial result (plain data). */
  seal(): unknown {
    return this.sink.seal(this.spec.sink, this.acc);
  }
}
