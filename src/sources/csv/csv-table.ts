import { basename } from 'node:path';
import { schemaOf, type Schema } from '../../core/schema.js';
import type { PushdownCapabilities, Source } from '../source.js';
import { type CsvFormat, type CsvPartition, type CsvSource, formatOf } from './csv-source.js';

/**
 * What reading a compressed byte costs, in plain bytes read in the same CPU time, one worker
 * (bench/README.md: plain ≈ 1.5 GB/s of text per core; gzip ≈ 0.38 GB/s of text at ≈ 4.5×
 * compression; bz2 ≈ 65 MB/s of text at ≈ 6.4×).
 */
const DECODE_COST: Record<CsvPartition['compression'], number> = { none: 1, gzip: 16, bz2: 128 };

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

  workBytes(): number {
    let total = 0;
    for (const p of this.csv.partitions) {
      const range = p.bz2Blocks ?? (p.compression === 'none' ? p : { start: 0, end: null });
      total += ((range.end ?? p.fileSize) - range.start) * DECODE_COST[p.compression];
    }
    return total;
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
