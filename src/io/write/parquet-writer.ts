import { open } from 'node:fs/promises';
import type { ColumnBatch } from '../../core/column-data.js';
import type { DType } from '../../core/dtypes.js';
import { DuskIoError } from '../../core/errors.js';
import { arrowModule, batchesToTable } from '../../core/to-arrow.js';

/** How toParquet writes (plain data, it travels to workers). */
export interface ParquetWriteFormat {
  kind: 'parquet';
  compression: 'snappy' | 'zstd' | 'gzip' | 'brotli' | 'lz4' | 'none';
  rowGroupSize: number;
}

/**
 * The Parquet encoder (the parquet-wasm adapter, sources/parquet/parquet-wasm.ts): Arrow IPC
 * streams in, the file's bytes out as row groups complete. Passed in, so this layer does not
 * depend on which library encodes.
 */
export type ParquetEncoder = (ipcStreams: Iterable<Uint8Array>, options: { compression: ParquetWriteFormat['compression']; rowGroupSize: number }) => AsyncIterable<Uint8Array>;

/** Rows per Arrow IPC message handed to the encoder: bounds the copy in WebAssembly memory. */
const IPC_ROWS = 1 << 16;

/** A partition's batches as Arrow IPC streams of at most IPC_ROWS rows, made one at a time as the encoder asks. */
function* ipcStreams(batches: readonly ColumnBatch[], names: readonly string[], dtypes: Readonly<Record<string, DType>>): Generator<Uint8Array> {
  const arrow = arrowModule();
  let any = false;
  for (const batch of batches) {
    if (batch.length === 0) continue;
    any = true;
    // One table per batch: a category column's dictionary belongs to its batch.
    const table = batchesToTable([batch], names, dtypes);
    for (let start = 0; start < batch.length; start += IPC_ROWS) {
      yield arrow.tableToIPC(start === 0 && batch.length <= IPC_ROWS ? table : table.slice(start, start + IPC_ROWS), 'stream');
    }
  }
  // No rows: a file with the schema and no row group (the encoder learns the schema from a batch).
  if (!any) yield arrow.tableToIPC(batchesToTable([], names, dtypes), 'stream');
}

/**
 * Writes rows to one Parquet file: batches go to the encoder as Arrow IPC, and each row group's
 * bytes are written to disk as the encoder gives them out. Errors name the file.
 */
export async function writeParquetFile(
  path: string,
  names: readonly string[],
  dtypes: Readonly<Record<string, DType>>,
  batches: readonly ColumnBatch[],
  format: ParquetWriteFormat,
  encode: ParquetEncoder,
): Promise<{ rows: number; bytes: number }> {
  let handle;
  try {
    handle = await open(path, 'w');
  } catch (cause) {
    throw new DuskIoError(`${path}: cannot create the Parquet file: ${(cause as Error).message}`, { path }, { cause });
  }
  let bytes = 0;
  try {
    for await (const chunk of encode(ipcStreams(batches, names, dtypes), { compression: format.compression, rowGroupSize: format.rowGroupSize })) {
      for (let done = 0; done < chunk.length; ) done += (await handle.write(chunk, done)).bytesWritten;
      bytes += chunk.length;
    }
  } catch (cause) {
    throw new DuskIoError(`${path}: cannot write the Parquet file: ${(cause as Error).message}`, { path }, { cause });
  } finally {
    await handle.close();
  }
  return { rows: batches.reduce((n, b) => n + b.length, 0), bytes };
}
