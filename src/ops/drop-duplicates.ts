import type { ColumnBatch } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { assignGroupIds, newGroupTable } from '../kernels/group-ids.js';
import { concatBatches, takeBatch } from '../kernels/sort-rows.js';
import { registerOp } from './registry.js';

/**
 * One row per distinct key among one partition's rows (nulls equal to nulls, NaN to NaN, as
 * pandas): the first or the last occurrence, the rows kept in their input order. Runs before
 * and after a dropDuplicates' shuffle.
 */
export const dropDuplicatesOp = registerOp<{ subset: string[]; keep: 'first' | 'last' }, ColumnBatch[]>({
  name: 'drop-duplicates',
  local: false,
  movable: (batches) => batches,
  run(args, deps) {
    const batches = deps[0] as ColumnBatch[];
    if (batches.length === 0) return [];
    const all = concatBatches(batches);
    if (all.length === 0) return [takeBatch(all, new Int32Array(0))];
    const keys = args.subset.map((name) => {
      const j = all.names.indexOf(name);
      if (j < 0) throw new DuskError(`internal: dropDuplicates column '${name}' is not among the partition's columns [${all.names.join(', ')}]`);
      return all.columns[j]!;
    });
    const table = newGroupTable(keys.map((c) => c.dtype));
    const ids = assignGroupIds(table, keys, all.length);
    const kept = new Int32Array(table.groups);
    let k = 0;
    if (args.keep === 'first') {
      // Ids are dealt in first-seen order: a row is a first occurrence when its id is the next new one.
      for (let row = 0; row < all.length; row++) if (ids[row] === k) kept[k++] = row;
    } else {
      const last = new Int32Array(table.groups);
      for (let row = 0; row < all.length; row++) last[ids[row]!] = row;
      for (let row = 0; row < all.length; row++) if (last[ids[row]!] === row) kept[k++] = row;
    }
    return [takeBatch(all, kept)];
  },
});
