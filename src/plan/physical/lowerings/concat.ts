import { Concat } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** A concat's partitions are its inputs' partitions, in order: no task of its own. */
export const concatLowering = registerLowering({
  node: Concat,
  lower(node, planner) {
    const parts = node.inputs.map((input) => planner.partitions(input));
    return () => parts.flatMap((emit) => emit());
  },
});
