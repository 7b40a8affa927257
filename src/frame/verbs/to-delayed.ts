import { Partition } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';
import { DelayedPartition } from '../delayed.js';

/** frame.toDelayed(): one Delayed per partition, each computing to that partition as an Arrow table. */
export function toDelayed(frame: DataFrame): DelayedPartition[] {
  return Array.from({ length: frame.npartitions }, (_, i) => new DelayedPartition(new Partition(frame.plan, i)));
}
