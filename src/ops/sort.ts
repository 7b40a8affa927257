import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { concatColumns } from '../kernels/concat.js';
import { rowComparator } from '../kernels/compare-rows.js';
import { takeRows } from '../kernels/take.js';
import type { SortKey } from '../plan/logical/sort.js';
import { registerOp } from './registry.js';

/**
 * Orders all rows of a small result (a group-by's, value counts) on the caller's thread:
 * the batches are joined, then one stable sort by the keys.
 */
export const sortOp = registerOp<{ by: SortKey[] }, ColumnBatch[]>({
  name: 'sort',
  local: true,
  run(args, deps) {
    const batches = (deps[0] as ColumnBatch[]).filter((b) => b.length > 0);
    if (batches.length === 0) return deps[0] as ColumnBatch[];
    const names = batches[0]!.names;
    const columns: ColumnData[] = names.map((_, j) => concatColumns(batches.map((b) => b.columns[j]!)));
    const length = columns[0]?.length ?? 0;
    const comparators = args.by.map((k) => rowComparator(columns[names.indexOf(k.column)]!, k.descending));
    const order = Array.from({ length }, (_, i) => i).sort((a, b) => {
      for (const compare of comparators) {
        const d = compare(a, b);
        if (d !== 0) return d;
      }
      return a - b;
    });
    const rows = Int32Array.from(order);
    return [{ length, names, columns: columns.map((c) => takeRows(c, rows)) }];
  },
});
