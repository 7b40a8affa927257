import type { ExprNode } from '../expr/ir.js';
import { Consumer, type ConsumerSpec } from '../kernels/consumer.js';
import { getShared } from '../kernels/shared-store.js';
import { readerFor } from '../sources/readers.js';
import { registerOp } from './registry.js';

/** Sinks whose partials are rows. */
const ROWS_SINKS = new Set(['collect', 'top-k']);

export interface ScanArgs {
  /** The source's kind, format and one partition (plain data; sources/readers.ts reads it). */
  kind: string;
  format: unknown;
  partition: unknown;
  /** The columns to read: the union of what every consumer uses (projection pushdown). */
  columns: string[];
  consumers: ConsumerSpec[];
  /** A filter every consumer applies (their filters or-ed), for sources that skip by it; null: none. */
  predicate?: ExprNode | null;
}

/**
 * The shared scan: reads and parses one partition once, and feeds every consumer of the source
 * in this compute call (filters, derived columns, reductions, group-bys, collects). Returns one
 * partial per consumer.
 */
export const scanOp = registerOp<ScanArgs, unknown[]>({
  name: 'scan',
  local: false,
  // Rows kept for a collect or a top-k are fresh; aggregation states may share the worker's scratch memory.
  movable: (partials, args) => partials.filter((_, i) => ROWS_SINKS.has(args.consumers[i]!.sink.kind)),
  async run(args, _deps, ctx) {
    const consumers = args.consumers.map((spec) => new Consumer(spec));
    for await (const batch of readerFor(args.kind)(args.format, args.partition, args.columns, { ...ctx, sharedValue: getShared }, undefined, args.predicate ?? null)) {
      for (const consumer of consumers) consumer.feed(batch);
    }
    return consumers.map((c) => c.seal());
  },
});
