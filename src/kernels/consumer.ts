import type { ColumnBatch } from '../core/column-data.js';
import { compilePipeline } from './compile-pipeline.js';
import { type CollectSpec, collectSink } from './sinks/collect.js';
import type { Sink } from './sinks/sink.js';
import { type StatsSpec, statsSink } from './sinks/stats.js';

export type PipelineSpec = Parameters<typeof compilePipeline>[0];

export type SinkSpec = CollectSpec | StatsSpec;

/**
 * One consumer of a scan, per partition: its row pipeline (filter, then the output columns, as
 * one compiled kernel; null = the scanned columns as they are) and where the rows go.
 */
export interface ConsumerSpec {
  pipeline: PipelineSpec | null;
  sink: SinkSpec;
}

const SINKS: { [K in SinkSpec['kind']]: Sink<Extract<SinkSpec, { kind: K }>, unknown, unknown> } = {
  collect: collectSink as Sink<CollectSpec, unknown, unknown>,
  stats: statsSink as Sink<StatsSpec, unknown, unknown>,
};

export function sinkFor(spec: SinkSpec): Sink<SinkSpec, unknown, unknown> {
  return SINKS[spec.kind] as Sink<SinkSpec, unknown, unknown>;
}

/** Feeds batches through a consumer's pipeline into its sink's partial. */
export class Consumer {
  private readonly sink: Sink<SinkSpec, unknown, unknown>;
  private readonly pipeline: ((batch: ColumnBatch) => ColumnBatch) | null;
  partial: unknown;
  rows = 0;

  constructor(readonly spec: ConsumerSpec) {
    this.sink = sinkFor(spec.sink);
    this.pipeline = spec.pipeline === null ? null : compilePipeline(spec.pipeline);
    this.partial = this.sink.init(spec.sink);
  }

  feed(batch: ColumnBatch): void {
    const out = this.pipeline === null ? batch : this.pipeline(batch);
    this.rows += out.length;
    this.partial = this.sink.update(this.spec.sink, this.partial, out);
  }
}
