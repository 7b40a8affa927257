import { join, resolve } from 'node:path';
import type { ColumnBatch } from '../../core/column-data.js';
import { DuskSchemaError } from '../../core/errors.js';
import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import type { CsvWriteFormat } from '../../io/write/csv-writer.js';
import type { ParquetWriteFormat } from '../../io/write/parquet-writer.js';
import { checkTarget } from '../../io/write/target-dir.js';
import { Write, type WriteFormat } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';
import { Lazy } from '../lazy.js';

export interface ToParquetOptions {
  /** Replace the directory if it exists (only once the new files are complete). Default false: an existing directory is an error. */
  overwrite?: boolean;
  /** Codec of the data pages. Default 'snappy'. */
  compression?: ParquetWriteFormat['compression'];
  /** Rows per row group (at most). Default 131072. */
  rowGroupSize?: number;
}

export interface ToCsvOptions {
  /** Replace the directory if it exists (only once the new files are complete). Default false. */
  overwrite?: boolean;
  /** Write the column names as the first line of each file. Default true. */
  header?: boolean;
  /** One ASCII character between fields. Default ','. */
  separator?: string;
  /** Written for a missing value (and NaN). Default ''. */
  naRep?: string;
  /** 'gzip' writes part.<i>.csv.gz. Default 'none'. */
  compression?: 'none' | 'gzip';
}

/** What a write did, once complete. */
export interface WriteResult {
  /** The directory written (absolute). */
  path: string;
  /** Its files, one per partition, in partition order (absolute paths). */
  files: string[];
  /** Rows written, over every file. */
  rows: number;
  /** Bytes on disk, over every file. */
  bytes: number;
}

const PARQUET_KEYS = ['overwrite', 'compression', 'rowGroupSize'] as const satisfies readonly (keyof ToParquetOptions)[];
true satisfies ListsEveryKey<ToParquetOptions, typeof PARQUET_KEYS>;
const CSV_KEYS = ['overwrite', 'header', 'separator', 'naRep', 'compression'] as const satisfies readonly (keyof ToCsvOptions)[];
true satisfies ListsEveryKey<ToCsvOptions, typeof CSV_KEYS>;

const PARQUET_CODECS: readonly ParquetWriteFormat['compression'][] = ['snappy', 'zstd', 'gzip', 'brotli', 'lz4', 'none'];
const CSV_CODECS: readonly CsvWriteFormat['compression'][] = ['none', 'gzip'];
const DEFAULT_ROW_GROUP_SIZE = 1 << 17;
/** parquet-wasm's memory is 32-bit: a row group must stay far below 4 GiB. */
const MAX_ROW_GROUP_SIZE = 1 << 24;

/**
 * A write to a directory, lazily (frame.toParquet, frame.toCsv): computed in the same graph as
 * anything else passed to the same compute; awaited, the files written.
 */
export class LazyWrite extends Lazy<WriteResult> {
  constructor(readonly plan: Write) {
    super();
  }
  finish(raw: unknown): WriteResult {
    const files: string[] = [];
    let rows = 0;
    let bytes = 0;
    const decoder = new TextDecoder();
    for (const batch of raw as ColumnBatch[]) {
      const [file, rowCounts, sizes] = batch.columns;
      if (file?.dtype !== 'string' || rowCounts?.dtype !== 'int64' || sizes?.dtype !== 'int64') throw new Error('dusk: a write returned no file list (a bug in Dusk: please report it)');
      for (let i = 0; i < batch.length; i++) {
        files.push(join(this.plan.target, decoder.decode(file.data.subarray(file.offsets[i]!, file.offsets[i + 1]!))));
        rows += Number(rowCounts.values[i]!);
        bytes += Number(sizes.values[i]!);
      }
    }
    return { path: this.plan.target, files, rows, bytes };
  }
  override toString(): string {
    return `Dusk LazyWrite (lazy: await it to ${this.plan.describe()})`;
  }
}

function callText(verb: string, path: string): string {
  return `${verb}(${JSON.stringify(path)})`;
}

function checkFlag(where: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new DuskSchemaError(`${where}: ${name} must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

function checkChoice<T extends string>(where: string, name: string, value: unknown, choices: readonly T[]): T | undefined {
  if (value !== undefined && !(choices as readonly unknown[]).includes(value)) throw new DuskSchemaError(`${where}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, not ${JSON.stringify(value)}`);
  return value as T | undefined;
}

function write(frame: DataFrame, path: string, format: WriteFormat, overwrite: boolean, call: string): LazyWrite {
  if (typeof path !== 'string' || path === '') throw new DuskSchemaError(`${call}: the path must be a non-empty string (a directory to create)`);
  const target = resolve(path);
  // Checked now (a mistake shows before any work) and again by the tasks (the target may appear meanwhile).
  checkTarget(target, overwrite, call);
  return new LazyWrite(new Write(frame.plan, target, format, overwrite, call));
}

/** The lazy write of frame.toParquet(path, options). */
export function toParquet(frame: DataFrame, path: string, options: ToParquetOptions = {}): LazyWrite {
  const call = callText('toParquet', path);
  checkOptions('toParquet', options, PARQUET_KEYS, { aliases: { codec: 'compression', row_group_size: 'rowGroupSize', mode: 'overwrite' } });
  const overwrite = checkFlag(call, 'overwrite', options.overwrite) ?? false;
  const compression = checkChoice(call, 'compression', options.compression, PARQUET_CODECS) ?? 'snappy';
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1 || rowGroupSize > MAX_ROW_GROUP_SIZE) {
    throw new DuskSchemaError(`${call}: rowGroupSize must be a whole number of rows from 1 to ${MAX_ROW_GROUP_SIZE}, not ${String(rowGroupSize)}`);
  }
  return write(frame, path, { kind: 'parquet', compression, rowGroupSize }, overwrite, call);
}

/** The lazy write of frame.toCsv(path, options). */
export function toCsv(frame: DataFrame, path: string, options: ToCsvOptions = {}): LazyWrite {
  const call = callText('toCsv', path);
  checkOptions('toCsv', options, CSV_KEYS, { aliases: { sep: 'separator', delimiter: 'separator', na_rep: 'naRep', mode: 'overwrite' } });
  const overwrite = checkFlag(call, 'overwrite', options.overwrite) ?? false;
  const header = checkFlag(call, 'header', options.header) ?? true;
  const compression = checkChoice(call, 'compression', options.compression, CSV_CODECS) ?? 'none';
  const separator = options.separator ?? ',';
  if (typeof separator !== 'string' || separator.length !== 1 || separator.charCodeAt(0) > 0x7f || '"\r\n'.includes(separator)) {
    throw new DuskSchemaError(`${call}: separator must be one ASCII character other than a quote, CR or LF, not ${JSON.stringify(separator)}`);
  }
  const naRep = options.naRep ?? '';
  if (typeof naRep !== 'string') throw new DuskSchemaError(`${call}: naRep must be a string, not ${JSON.stringify(naRep)}`);
  return write(frame, path, { kind: 'csv', header, separator, naRep, compression }, overwrite, call);
}
