import { mapPartitionsOp } from '../../../ops/map-partitions.js';
import { MapPartitions } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** The function on each partition of the input, one worker task per partition. */
export const mapPartitionsLowering = registerLowering({
  node: MapPartitions,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
    const input = { names: [...node.input.schema.columns], dtypes: { ...node.input.schema.dtypes } };
    const output = { names: [...node.schema.columns], dtypes: { ...node.schema.dtypes } };
    return () => {
      for (const [key, payload] of node.shared) planner.share(key, payload);
      const keys = parts();
      return keys.map((key, index) =>
        planner.add(mapPartitionsOp, { fn: node.fn, name: node.name, index, count: keys.length, input, output }, [key], `${node.name} ${index + 1}/${keys.length}`, ['map-partitions', node.nonce]),
      );
    };
  },
});
