import type { ColumnBatch } from '../../core/column-data.js';
import type { ReadContext } from '../source.js';
import type { CsvFormat, CsvPartition } from './csv-source.js';
import { readCsvPartition } from './read-partition.js';

/** The worker side of a CSV source (registered in sources/readers.ts). */
export function readCsvPartitionOf(format: unknown, partition: unknown, columns: readonly string[], ctx: ReadContext, limitRows?: number): AsyncIterable<ColumnBatch> {
  return readCsvPartition(partition as CsvPartition, { source: format as CsvFormat, columns: [...columns] }, ctx, limitRows);
}
