import type { ColumnBatch } from '../core/column-data.js';
import type { CsvPartition } from '../sources/csv/csv-source.js';
import { type CsvScanSpec, readCsvPartition, type ScanContext } from '../sources/csv/read-partition.js';
import { accumulateStats, type ColumnStats, emptyStats } from './column-stats.js';

/**
 * What one pass over a partition feeds. Every consumer of a source in one compute call is a
 * sink of the same pass, so the partition is read and parsed once however many results use it.
 */
export type ScanSink =
  | { kind: 'stats'; column: string; countOnly: boolean }
  | { kind: 'collect'; columns: string[] };

export type SinkPartial = ColumnStats | ColumnBatch[];

export interface ScanPartitionArgs {
  scan: CsvScanSpec;
  partition: CsvPartition;
  sinks: ScanSink[];
}

export async function scanPartition(args: ScanPartitionArgs, ctx: ScanContext): Promise<SinkPartial[]> {
  const { scan, partition, sinks } = args;
  const partials: SinkPartial[] = sinks.map((sink) => (sink.kind === 'stats' ? emptyStats() : []));
  for await (const batch of readCsvPartition(partition, scan, ctx)) {
    sinks.forEach((sink, i) => {
      if (sink.kind === 'stats') {
        const col = batch.columns[batch.names.indexOf(sink.column)]!;
        accumulateStats(partials[i] as ColumnStats, col, sink.column, sink.countOnly);
      } else {
        const picked: ColumnBatch = { length: batch.length, names: sink.columns, columns: sink.columns.map((c) => batch.columns[batch.names.indexOf(c)]!) };
        (partials[i] as ColumnBatch[]).push(picked);
      }
    });
  }
  return partials;
}

export interface HeadArgs {
  scan: CsvScanSpec;
  partitions: CsvPartition[];
  n: number;
}

/** The first n rows: reads partitions in order and stops reading as soon as it has them. */
export async function headRows(args: HeadArgs, ctx: ScanContext): Promise<ColumnBatch[]> {
  const out: ColumnBatch[] = [];
  let have = 0;
  for (const partition of args.partitions) {
    if (have >= args.n) break;
    for await (const batch of readCsvPartition(partition, args.scan, ctx, args.n - have)) {
      out.push(batch);
      have += batch.length;
    }
  }
  return out;
}
