import { createRequire } from 'node:module';
import { tableFromArrays, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { holdsArrowTable, isArrowTable, tableFromIpc, tableToIpc } from '../../src/core/to-arrow.js';
import { DuskError } from '../../src/core/errors.js';

describe('core/to-arrow: the one door to apache-arrow', () => {
  const table = tableFromArrays({ x: Float64Array.from([1, 2, 3]), i: Int32Array.from([4, 5, 6]) });

  it('recognises tables, also inside arrays and plain objects, and nothing else', () => {
    expect(isArrowTable(table)).toBe(true);
    expect(isArrowTable({ schema: table.schema, batches: table.batches })).toBe(false);
    expect(isArrowTable(null)).toBe(false);
    expect(holdsArrowTable({ n: 1, nested: [[table]] })).toBe(true);
    expect(holdsArrowTable({ n: 1, nested: [[1, 'a']], map: new Map([[1, table]]) })).toBe(false); // wire.ts does not look inside Maps
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(holdsArrowTable(cyclic)).toBe(false);
  });

  it('round-trips a table through IPC bytes readable by the caller’s apache-arrow', () => {
    const back = tableFromIPC(tableToIpc(table));
    expect(back.getChild('i')!.toArray()).toEqual(Int32Array.from([4, 5, 6]));
    expect(tableFromIpc(tableToIpc(table)).getChild('x')!.toArray()).toEqual(Float64Array.from([1, 2, 3]));
  });

  it('refuses, naming why, a table made by another instance of apache-arrow (its CommonJS build here)', () => {
    const other = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
    expect(other.Table).not.toBe(table.constructor);
    const foreign = other.tableFromArrays({ i: Int32Array.from([1, 2]) });
    expect(isArrowTable(foreign)).toBe(true);
    expect(() => tableToIpc(foreign)).toThrow(DuskError);
    expect(() => tableToIpc(foreign)).toThrow(/made by another instance of apache-arrow than the one Dusk loaded/);
  });
});
