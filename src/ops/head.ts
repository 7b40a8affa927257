import type { ColumnBatch } from '../core/column-data.js';
import { firstRows } from '../kernels/first-rows.js';
import { Consumer, type PipelineSpec } from '../kernels/consumer.js';
import { getShared } from '../kernels/shared-store.js';
import { readerFor } from '../sources/readers.js';
import { registerOp } from './registry.js';

export interface HeadArgs {
  kind: string;
  format: unknown;
  partitions: unknown[];
  columns: string[];
  /** Applied before counting rows: a head after a filter keeps reading until it has n rows. */
  pipeline: PipelineSpec | null;
  n: number;
}

/** The first n rows: reads partitions in order and stops reading as soon as it has them. */
export const headOp = registerOp<HeadArgs, ColumnBatch[]>({
  name: 'head',
  local: false,
  movable: (batches) => batches,
  async run(args, _deps, ctx) {
    const consumer = new Consumer({ pipeline: args.pipeline, sink: { kind: 'collect' } });
    const read = readerFor(args.kind);
    const readCtx = { ...ctx, sharedValue: getShared };
    const predicate = args.pipeline?.filter ?? null;
    for (const partition of args.partitions) {
      if (consumer.rows >= args.n) break;
      // Without a pipeline every row read is kept, so the reader itself can stop early.
      const limit = args.pipeline === null ? args.n - consumer.rows : undefined;
      for await (const batch of read(args.format, partition, args.columns, readCtx, limit, predicate)) {
        consumer.feed(batch);
        if (consumer.rows >= args.n) break;
      }
    }
    return firstRows(consumer.seal() as ColumnBatch[], args.n);
  },
});
