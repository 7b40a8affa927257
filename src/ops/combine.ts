import { sinkFor, type SinkSpec } from '../kernels/consumer.js';
import { registerOp } from './registry.js';

export interface CombineArgs {
  sink: SinkSpec;
  /** Each input is a scan's partials (one per consumer): take this one. null: the inputs are partials. */
  pick: number | null;
}

/** Merges partials in input (partition) order, so the result does not depend on the schedule. */
export const combineOp = registerOp<CombineArgs, unknown>({
  name: 'combine',
  local: true,
  run(args, deps) {
    const partials = args.pick === null ? deps : deps.map((d) => (d as unknown[])[args.pick!]);
    return sinkFor(args.sink).merge(args.sink, partials);
  },
});
