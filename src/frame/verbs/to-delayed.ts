import { Partition } from '../../plan/logical/index.js';
import { optimizePlan } from '../../plan/optimize/index.js';
import type { DataFrame } from '../data-frame.js';
import { DelayedPartition } from '../delayed.js';

/**
 * frame.toDelayed(): one Delayed per partition, each computing to that partition as an Arrow
 * table. They share one optimized plan of the frame (the optimizer leaves a plan at its fixpoint
 * as it is), so a graph using all n parts lowers the frame once, not n times.
 */
export function toDelayed(frame: DataFrame): DelayedPartition[] {
  const input = optimizePlan(frame.plan);
  return Array.from({ length: frame.npartitions }, (_, i) => new DelayedPartition(new Partition(input, i)));
}
