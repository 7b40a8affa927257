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

  /** The file, and for a part of one its byte range: `2001.csv @41514817–83029634`, `2001.csv.bz2 blocks @0–6884009` (compressed bytes). */
  partitionLabel(i: number): string {
    const p = this.csv.partitions[i]!;
    const span = (start: number, end: number | null) => `@${start}–${end ?? p.fileSize}`;
    const range = p.bz2Blocks ? ` blocks ${span(p.bz2Blocks.start, p.bz2Blocks.end)}` : p.start > 0 || p.end !== null ? ` ${span(p.start, p.end)}` : '';
    return `${basename(p.path)}${range}`;
  }
}
