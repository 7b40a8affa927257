import { sinkFor, type SinkSpec } from '../kernels/consumer.js';
import { registerOp } from './registry.js';

/** Turns a consumer's merged partial into its result (rows, statistics). */
export const finishOp = registerOp<{ sink: SinkSpec }, unknown>({
  name: 'finish',
  local: true,
  run: (args, deps) => sinkFor(args.sink).finish(args.sink, deps[0]),
});
