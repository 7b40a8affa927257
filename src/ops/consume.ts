import type { ColumnBatch } from '../core/column-data.js';
import { Consumer, type ConsumerSpec } from '../kernels/consumer.js';
import { registerOp } from './registry.js';

/** Feeds rows another task produced (an aggregate's result, say) through a consumer. */
export const consumeOp = registerOp<{ consumer: ConsumerSpec }, unknown>({
  name: 'consume',
  local: false,
  movable: (partial, args) => (args.consumer.sink.kind === 'collect' || args.consumer.sink.kind === 'top-k' ? partial : null),
  run(args, deps) {
    const consumer = new Consumer(args.consumer);
    for (const batches of deps as ColumnBatch[][]) for (const batch of batches) consumer.feed(batch);
    return consumer.seal();
  },
});
