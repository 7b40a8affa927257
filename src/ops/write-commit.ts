import type { ColumnBatch } from '../core/column-data.js';
import { commitDir } from '../io/write/target-dir.js';
import type { WriteDirArgs } from './write-begin.js';
import type { WrittenPart } from './write-partition.js';
import { registerOp } from './registry.js';

const encoder = new TextEncoder();

/** The written files as the Write node's result rows (file, rows, bytes). */
function summaryBatch(parts: readonly WrittenPart[]): ColumnBatch {
  const names = parts.map((p) => encoder.encode(p.file));
  const offsets = new Int32Array(parts.length + 1);
  names.forEach((n, i) => (offsets[i + 1] = offsets[i]! + n.length));
  const data = new Uint8Array(offsets[parts.length]!);
  names.forEach((n, i) => data.set(n, offsets[i]!));
  const length = parts.length;
  return {
    length,
    names: ['file', 'rows', 'bytes'],
    columns: [
      { dtype: 'string', length, nullCount: 0, validity: null, offsets, data },
      { dtype: 'int64', length, nullCount: 0, validity: null, values: BigInt64Array.from(parts, (p) => BigInt(p.rows)) },
      { dtype: 'int64', length, nullCount: 0, validity: null, values: BigInt64Array.from(parts, (p) => BigInt(p.bytes)) },
    ],
  };
}

/** Once every partition's file is written: moves the temporary directory into place (checking the target again). */
export const writeCommitOp = registerOp<WriteDirArgs, ColumnBatch[]>({
  name: 'write-commit',
  local: true,
  async run(args, deps) {
    await commitDir(args.temp, args.target, args.overwrite, args.call);
    return [summaryBatch(deps as WrittenPart[])];
  },
});
