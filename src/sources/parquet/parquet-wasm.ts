import { openAsBlob } from 'node:fs';
import type { Table } from 'apache-arrow';
import { lazyModule } from '../../core/lazy-module.js';
import { loadArrow } from '../../core/to-arrow.js';

/**
 * The adapter: the one file that knows parquet-wasm (pinned in package.json; its releases are
 * slow, so a replacement — hyparquet, a native reader — changes this file only). It decodes one
 * row group at a time: parquet-wasm's 32-bit WebAssembly memory (4 GiB at most, and it never
 * shrinks) then holds one row group's pages and Arrow buffers, never a whole large file. The file
 * is read through a Blob (fs.openAsBlob), so only the footer and the byte ranges of the wanted
 * column chunks are read from disk, not the whole file.
 */

type ParquetWasm = typeof import('parquet-wasm/node');

// The Node build instantiates its WebAssembly synchronously on load: first use only.
const parquetWasm = lazyModule<ParquetWasm>('parquet-wasm/node');

export interface RowGroupDecoder {
  /** Row group `index`'s `columns` as an Arrow table (in batches of at most batchRows rows). */
  readRowGroup(index: number, columns: readonly string[], batchRows: number): Promise<Table>;
  close(): void;
}

export async function openRowGroupDecoder(path: string): Promise<RowGroupDecoder> {
  const arrow = await loadArrow();
  const wasm = parquetWasm();
  const file = await wasm.ParquetFile.fromFile(await openAsBlob(path));
  return {
    async readRowGroup(index, columns, batchRows) {
      const table = await file.read({ rowGroups: [index], columns: [...columns], batchSize: batchRows });
      // IPC bytes out of WebAssembly memory (one copy), then Arrow JS views over them.
      const ipc = table.intoIPCStream();
      return arrow.tableFromIPC(ipc);
    },
    close() {
      file.free();
    },
  };
}

/** Compression codecs toParquet offers (parquet-wasm's names for them in `CODECS`). */
export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'brotli' | 'lz4' | 'none';

export interface ParquetEncodeOptions {
  compression: ParquetCompression;
  /** Rows per row group: what WebAssembly memory holds of the file being written, at most. */
  rowGroupSize: number;
}

/**
 * Encodes a stream of Arrow IPC streams (each one or more record batches, all of one schema) as
 * the bytes of one Parquet file, given out as row groups are completed: parquet-wasm's 32-bit
 * memory then holds one input batch and the row group being built, never the whole file. The
 * input is pulled only as the output is read (back-pressure).
 */
export async function* encodeParquet(ipcStreams: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ParquetEncodeOptions): AsyncGenerator<Uint8Array> {
  const wasm = parquetWasm();
  const codec = {
    snappy: wasm.Compression.SNAPPY,
    zstd: wasm.Compression.ZSTD,
    gzip: wasm.Compression.GZIP,
    brotli: wasm.Compression.BROTLI,
    // LZ4 (the old framing) is deprecated in the format; LZ4_RAW is what readers expect now.
    lz4: wasm.Compression.LZ4_RAW,
    none: wasm.Compression.UNCOMPRESSED,
  }[options.compression];
  const properties = new wasm.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(options.rowGroupSize).setCreatedBy('dusk').build();
  const input = Symbol.asyncIterator in ipcStreams ? ipcStreams[Symbol.asyncIterator]() : (ipcStreams as Iterable<Uint8Array>)[Symbol.iterator]();
  const batches = new ReadableStream({
    async pull(controller) {
      try {
        const next = await input.next();
        if (next.done) return controller.close();
        const table = wasm.Table.fromIPCStream(next.value);
        for (const batch of table.recordBatches()) controller.enqueue(batch);
        table.free();
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await input.return?.();
    },
  });
  const bytes = (await wasm.transformParquetStream(batches, properties)) as ReadableStream<Uint8Array>;
  // Read by hand (not for await): breaking out of the loop must cancel the encoder and its input.
  const reader = bytes.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
