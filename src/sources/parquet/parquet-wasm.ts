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
