import { stat } from 'node:fs/promises';
import type { ColumnBatch } from '../../core/column-data.js';
import type { DType } from '../../core/dtypes.js';
import { DuskIoError, DuskSchemaError } from '../../core/errors.js';
import { columnFromArrow } from '../../core/from-arrow.js';
import { fileChangedError } from '../../io/read-file.js';
import type { ExprNode } from '../../expr/ir.js';
import type { ReadContext } from '../source.js';
import type { ColumnStats } from './footer.js';
import { openRowGroupDecoder, type RowGroupDecoder } from './parquet-wasm.js';
import { rowGroupCanMatch } from './row-group-filter.js';

/** What every partition task of one readParquet call needs. */
export interface ParquetFormat {
  columns: string[];
  dtypes: Record<string, DType>;
}

/** One row group of a partition, with what skipping and the metrics need (from the footer). */
export interface PlannedRowGroup {
  index: number;
  numRows: number;
  /** Compressed bytes of each column's chunk. */
  bytes: Record<string, number>;
  stats: Record<string, ColumnStats>;
}

/** One unit of parallel work: a run of row groups of one file. */
export interface ParquetPartition {
  index: number;
  path: string;
  rowGroups: PlannedRowGroup[];
  /** The file as readParquet listed it: a read of a file changed since fails (as CSV's). */
  fileSize: number;
  fileMtimeMs: number;
}

const BATCH_ROWS = 1 << 16;

/**
 * The worker side of a Parquet source (registered in sources/readers.ts): decodes the
 * partition's row groups one at a time, only `columns`, skipping those whose statistics show
 * no row can pass `predicate`.
 */
export async function* readParquetPartition(
  formatArg: unknown,
  partitionArg: unknown,
  columns: readonly string[],
  ctx: ReadContext,
  limitRows?: number,
  predicate?: ExprNode | null,
): AsyncGenerator<ColumnBatch> {
  const format = formatArg as ParquetFormat;
  const part = partitionArg as ParquetPartition;
  for (const c of columns) if (!(c in format.dtypes)) throw new DuskSchemaError(`${part.path}: no column '${c}' (columns: ${format.columns.join(', ')})`);
  const wanted = predicate ? part.rowGroups.filter((rg) => rowGroupCanMatch(predicate, { numRows: rg.numRows, stats: rg.stats }, format.dtypes)) : part.rowGroups;
  if (wanted.length === 0 || columns.length === 0 && wanted.every((rg) => rg.numRows === 0)) return;
  await checkUnchanged(part);
  if (columns.length === 0) {
    // No column wanted (a row count): the footer has the row counts.
    for (const rg of wanted) yield { length: rg.numRows, names: [], columns: [] };
    return;
  }
  let decoder: RowGroupDecoder;
  try {
    decoder = await openRowGroupDecoder(part.path);
  } catch (cause) {
    throw new DuskIoError(`${part.path}: cannot read the Parquet file: ${messageOf(cause)}`, { path: part.path }, { cause });
  }
  ctx.metrics.opens[part.path] = (ctx.metrics.opens[part.path] ?? 0) + 1;
  let left = limitRows ?? Number.POSITIVE_INFINITY;
  try {
    for (const rg of wanted) {
      if (left <= 0) return;
      let table;
      try {
        table = await decoder.readRowGroup(rg.index, columns, BATCH_ROWS);
      } catch (cause) {
        await checkUnchanged(part);
        throw new DuskIoError(`${part.path}: cannot decode row group ${rg.index}: ${messageOf(cause)}`, { path: part.path }, { cause });
      }
      const bytes = columns.reduce((n, c) => n + (rg.bytes[c] ?? 0), 0);
      ctx.metrics.bytesRead += bytes;
      ctx.progress.addBytesRead(bytes);
      for (const batch of table.batches) {
        if (left <= 0) break;
        const out: ColumnBatch = {
          length: batch.numRows,
          names: [...columns],
          columns: columns.map((c) => {
            const child = batch.getChild(c);
            if (!child) throw new DuskIoError(`${part.path}: row group ${rg.index} has no column '${c}'`, { path: part.path });
            return columnFromArrow(child.data[0]!, format.dtypes[c]!, `${part.path}, column '${c}'`);
          }),
        };
        ctx.metrics.bytesDecoded += out.columns.reduce((n, col) => n + decodedBytes(col), 0);
        left -= out.length;
        yield out;
      }
    }
  } finally {
    decoder.close();
  }
}

function decodedBytes(col: ColumnBatch['columns'][number]): number {
  switch (col.dtype) {
    case 'string':
      return col.data.byteLength + col.offsets.byteLength;
    case 'category':
      return col.indices.byteLength;
    default:
      return col.values.byteLength;
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

async function checkUnchanged(part: ParquetPartition): Promise<void> {
  let now;
  try {
    now = await stat(part.path);
  } catch (cause) {
    throw new DuskIoError(`${part.path}: cannot open the Parquet file: ${messageOf(cause)}`, { path: part.path }, { cause });
  }
  const listed = { size: part.fileSize, mtimeMs: part.fileMtimeMs };
  if (now.size !== listed.size || now.mtimeMs !== listed.mtimeMs) throw fileChangedError(part.path, listed, { size: now.size, mtimeMs: now.mtimeMs }, 'readParquet');
}
