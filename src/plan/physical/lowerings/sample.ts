import { sampleOp } from '../../../ops/sample.js';
import { Sample } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** sample: each partition draws its share on a worker, from the random stream of (seed, partition index). */
export const sampleLowering = registerLowering({
  node: Sample,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
    const { frac, seed, replace } = node;
    return () => {
      const inputs = parts();
      return inputs.map((key, index) => planner.add(sampleOp, { frac, seed, replace, index }, [key], `${node.describe()}: partition ${index + 1}/${inputs.length}`, 'sample'));
    };
  },
});
