/**
 * radixOrder gives exactly the order of a stable comparator sort (rowComparator: NaN after
 * numbers, −0 equal to 0, nulls last, categories by text), for every non-text dtype and for
 * several keys at once; text columns are left to the comparator.
 */
import { describe, expect, it } from 'vitest';
import { rowComparator } from '../../src/kernels/compare-rows.js';
import { radixOrder, radixOrderPairs } from '../../src/kernels/radix-order.js';
import { columnOf, randomTable } from '../aggregates/data.js';
import { rng } from '../helpers.js';
import type { ColumnData } from '../../src/core/column-data.js';

const table = randomTable(5000, 7);
const column = (name: string): ColumnData => {
  const k = table.names.indexOf(name);
  return columnOf(table.dtypes[k]!, table.columns[k]!, rng(3));
};

function comparatorOrder(columns: ColumnData[], rows: Int32Array): Int32Array {
  const comparators = columns.map((c) => rowComparator(c));
  return Int32Array.from([...rows].sort((a, b) => {
    for (const compare of comparators) {
      const d = compare(a, b);
      if (d !== 0) return d;
    }
    return 0;
  }));
}

describe('radixOrder', () => {
  const rows = Int32Array.from({ length: table.rows }, (_, i) => table.rows - 1 - i); // not the identity: stability shows
  for (const names of [['k_int'], ['k_float'], ['k_cat'], ['v_big'], ['v_bool'], ['v_float'], ['k_cat', 'k_float', 'k_int'], ['v_bool', 'v_big']]) {
    it(`orders by ${names.join(', ')} as a stable comparator sort`, () => {
      const columns = names.map(column);
      expect([...radixOrder(columns, rows)!]).toEqual([...comparatorOrder(columns, rows)]);
    });
  }

  it('−0 and 0 tie, NaN comes after infinity, nulls after NaN', () => {
    const values = Float64Array.from([0, NaN, -0, Infinity, -Infinity, 1e-300, -1e-300, 0]);
    const validity = Uint8Array.from([0b1111_1110, 0b1]); // only row 0 is null
    const col: ColumnData = { dtype: 'float64', length: 9, nullCount: 1, validity, values: Float64Array.from([...values, 5]) };
    const order = radixOrder([col], Int32Array.from({ length: 9 }, (_, i) => i))!;
    expect([...order]).toEqual([4, 6, 2, 7, 5, 8, 3, 1, 0]);
  });

  it('leaves text keys to the comparator', () => {
    expect(radixOrder([column('k_str')], Int32Array.of(0, 1))).toBeNull();
  });

  it('orders by (major, minor) pairs', () => {
    const r = rng(11);
    const major = Uint32Array.from({ length: 3000 }, () => Math.floor(r() * 20));
    const minor = Uint32Array.from({ length: 3000 }, () => Math.floor(r() * 2 ** 32));
    const rows = Int32Array.from({ length: 3000 }, (_, i) => i);
    const want = [...rows].sort((a, b) => major[a]! - major[b]! || minor[a]! - minor[b]!);
    expect([...radixOrderPairs(rows, major, minor)]).toEqual(want);
  });
});
