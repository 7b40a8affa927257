import { DuskError } from '../core/errors.js';
import type { PartitionReader } from './source.js';
import { readCsvPartitionOf } from './csv/csv-reader.js';
import { readMemoryPartition } from './memory/memory-reader.js';
import { readParquetPartition } from './parquet/parquet-reader.js';

/**
 * Partition readers by source kind: the one place a worker finds how to read a partition.
 * A new source is a folder under sources/ plus one line here.
 */
const readers = new Map<string, PartitionReader>();

export function registerReader(kind: string, reader: PartitionReader): void {
  if (readers.has(kind)) throw new DuskError(`a reader for source kind '${kind}' is already registered`);
  readers.set(kind, reader);
}

export function readerFor(kind: string): PartitionReader {
  const reader = readers.get(kind);
  if (!reader) throw new DuskError(`no reader for source kind '${kind}' (known: ${[...readers.keys()].join(', ')})`);
  return reader;
}

registerReader('csv', readCsvPartitionOf);
registerReader('parquet', readParquetPartition);
registerReader('memory', readMemoryPartition);
