import { join } from 'node:path';
import type { ColumnBatch } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { writeCsvFile } from '../io/write/csv-writer.js';
import { writeParquetFile } from '../io/write/parquet-writer.js';
import type { WriteFormat } from '../plan/logical/write.js';
import { encodeParquet } from '../sources/parquet/parquet-wasm.js';
import { registerOp } from './registry.js';

export interface WritePartitionArgs {
  format: WriteFormat;
  /** The write's temporary directory (write-begin made it). */
  dir: string;
  /** The file's name in it (part.<i>.parquet). */
  file: string;
  columns: string[];
  dtypes: Record<string, DType>;
}

/** The result of one partition's write: the file's name, its rows and its size on disk. */
export interface WrittenPart {
  file: string;
  rows: number;
  bytes: number;
}

/** Writes one partition's rows (deps: [write-begin, the partition]) to one file, a batch at a time. */
export const writePartitionOp = registerOp<WritePartitionArgs, WrittenPart>({
  name: 'write-partition',
  local: false,
  async run(args, deps) {
    const batches = deps[1] as ColumnBatch[];
    const path = join(args.dir, args.file);
    const { rows, bytes } =
      args.format.kind === 'csv'
        ? await writeCsvFile(path, args.columns, batches, args.format)
        : await writeParquetFile(path, args.columns, args.dtypes, batches, args.format, encodeParquet);
    return { file: args.file, rows, bytes };
  },
});
