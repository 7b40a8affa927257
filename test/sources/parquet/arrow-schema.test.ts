/** The stored Arrow schema of a Parquet file: which columns were dictionaries (categories). */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictionaryColumns } from '../../../src/sources/parquet/arrow-schema.js';

describe('dictionaryColumns', () => {
  it('finds the dictionary-encoded fields of an IPC schema message (as writers store it, base64)', () => {
    const table = tableFromArrays({ code: ['AA', 'UA', 'AA'], n: Float64Array.of(1, 2, 3), city: ['x', 'y', 'z'] });
    const stream = tableToIPC(table, 'stream');
    // The stream's first message is the schema: continuation marker, length, flatbuffer.
    const length = new DataView(stream.buffer, stream.byteOffset).getInt32(4, true);
    const schemaMessage = stream.subarray(0, 8 + length);
    expect([...dictionaryColumns(Buffer.from(schemaMessage).toString('base64'))].sort()).toEqual(['city', 'code']);
  });

  it('gives nothing, not an error, for data it cannot read', () => {
    expect(dictionaryColumns('not base64 at all!')).toEqual(new Set());
    expect(dictionaryColumns(Buffer.from([1, 2, 3]).toString('base64'))).toEqual(new Set());
  });
});
