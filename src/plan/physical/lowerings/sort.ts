import type { RowOrder } from '../../../kernels/sort-rows.js';
import { shuffleGatherOp } from '../../../ops/shuffle-gather.js';
import { sortOp } from '../../../ops/sort.js';
import { sortBoundariesOp } from '../../../ops/sort-boundaries.js';
import { sortRangeSplitOp } from '../../../ops/sort-range-split.js';
import { sortSampleOp } from '../../../ops/sort-sample.js';
import { type SortKey, Sort } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** Keys sampled per partition for each range (more: ranges closer to equal, a bigger boundary step). */
const SAMPLES_PER_RANGE = 64;
const MAX_SAMPLES_PER_PARTITION = 8192;

export function rowOrder(by: readonly SortKey[], nullsFirst: boolean): RowOrder {
  return { keys: by.map(({ column, descending }) => ({ column, descending })), nullsFirst };
}

/**
 * The partitioned sort (Dask's sort_values): every partition samples its keys (workers); the
 * samples give ranges − 1 boundaries (calling thread); each partition is cut by range
 * (workers); range r gathers its pieces in partition order and is stably sorted on a worker.
 * Equal keys share a range and pieces keep input order, so ties keep input order and the
 * result is the same on every schedule. One input partition is sorted in one task.
 */
export const sortLowering = registerLowering({
  node: Sort,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
    const order = rowOrder(node.by, node.nullsFirst);
    const columns = [...node.input.schema.columns];
    const what = node.describe();
    return () => {
      const inputs = parts();
      if (inputs.length <= 1) return inputs.map((key) => planner.add(sortOp, { order }, [key], what, 'sort'));
      const ranges = inputs.length;
      const token = ['sort', ranges];
      const size = Math.min(MAX_SAMPLES_PER_PARTITION, SAMPLES_PER_RANGE * ranges);
      const samples = inputs.map((key, i) => planner.add(sortSampleOp, { order, size }, [key], `sample keys ${i + 1}/${ranges} for ${what}`, token));
      const boundaries = planner.add(sortBoundariesOp, { order, ranges }, samples, `${ranges} ranges for ${what}`, token);
      const spill = planner.shuffleSpill(inputs.length);
      const splits = inputs.map((key, i) => planner.add(sortRangeSplitOp, { order, ranges, columns, spill }, [key, boundaries], `split ${i + 1}/${ranges} by range for ${what}`, token));
      return Array.from({ length: ranges }, (_, r) => {
        const gathered = planner.add(shuffleGatherOp, { bucket: r }, splits, `range ${r + 1}/${ranges} of ${what}`, token);
        return planner.add(sortOp, { order }, [gathered], `${what}: range ${r + 1}/${ranges}`, token);
      });
    };
  },
});
