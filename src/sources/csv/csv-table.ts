import { basename } from 'node:path';
import { schemaOf, type Schema } from '../../core/schema.js';
import type { PushdownCapabilities, Source } from '../source.js';
import { type CsvFormat, type CsvPartition, type CsvSource, formatOf } from './csv-source.js';

/** A readCsv call as a Source: the resolved files, partitions and format behind one interface. */
export class CsvTable implements Source {
  readonly kind = 'csv';
  readonly schema: Schema;
  readonly format: CsvFormat;
  readonly pushdown: PushdownCapabilities = { projection: true, limit: true };

  constructor(readonly csv: CsvSource) {
    this.schema = schemaOf(csv.columns, csv.dtypes, csv.numericTextHints);
    this.format = formatOf(csv);
  }

  get partitions(): readonly CsvPartition[] {
    return this.csv.partitions;
  }

  get badLines(): CsvSource['onBadLines'] {
    return this.csv.onBadLines;
  }

  get fingerprint(): string {
    return this.csv.fingerprint;
  }

  describe(): string {
    const { files, partitions } = this.csv;
    const codecs = [...new Set(partitions.map((p) => p.compression))].join('+');
    const what = files.length === 1 ? files[0] : `${files.length} files (${files[0]} …)`;
    return `csv ${what}, ${partitions.length} partitions, ${codecs}`;
  }

  partitionLabel(i: number): string {
    const p = this.csv.partitions[i]!;
    const range = p.bz2Blocks ? ` blocks @${p.bz2Blocks.start}` : p.start > 0 || p.end !== null ? ` @${p.start}` : '';
    return `${basename(p.path)}${range}`;
  }
}
