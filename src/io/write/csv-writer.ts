import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ColumnBatch, ColumnData } from '../../core/column-data.js';
import { DuskIoError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';

const zlib = lazyModule<typeof import('node:zlib')>('node:zlib');

/** How toCsv writes text (checked by the caller; plain data, it travels to workers). */
export interface CsvWriteFormat {
  kind: 'csv';
  header: boolean;
  /** One ASCII character, not a quote, CR or LF. */
  separator: string;
  /** Written for a missing value and for NaN. */
  naRep: string;
  compression: 'none' | 'gzip';
}

/** What writing one file did. */
export interface WrittenFile {
  /** The file's name in its directory. */
  file: string;
  rows: number;
  /** Bytes on disk (compressed, when compressed). */
  bytes: number;
}

/** Rows encoded per chunk: a chunk of text stays a few MB, whatever the batch size. */
const CHUNK_ROWS = 8192;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const encoder = new TextEncoder();

/**
 * A float as Python's repr writes it (what pandas' to_csv writes, through numpy): the shortest
 * digits that read back as the same double, fixed notation for 1e-4 ≤ |x| < 1e16 with at least
 * one digit after the point ('3.0': read back as a float, not an integer), else 'd.ddde±XX'.
 * NaN and ±Infinity are the caller's (naRep, 'inf', '-inf').
 */
export function pythonFloatRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // JS writes these in fixed notation (it switches to exponents below 1e-6 and from 1e21).
    const text = String(x);
    return Number.isInteger(x) ? `${text}.0` : text;
  }
  // toExponential() without digits: the shortest digits that round-trip, as repr.
  const [mantissa, exponent] = abs.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  const sign = x < 0 ? '-' : '';
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** A growing byte buffer: a chunk of CSV text is built as bytes, never as a JS string. */
class ByteBuilder {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  push(byte: number): void {
    this.reserve(1);
    this.bytes[this.length++] = byte;
  }
  /** ASCII text (numbers, True/False). */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }
  /** UTF-8 bytes as a field: quoted (quotes doubled) when they hold the separator, a quote, CR or LF. */
  field(data: Uint8Array, start: number, end: number, separator: number): void {
    let quote = false;
    for (let i = start; i < end; i++) {
      const b = data[i]!;
      if (b === separator || b === QUOTE || b === CR || b === LF) {
        quote = true;
        break;
      }
    }
    if (!quote) {
      this.reserve(end - start);
      this.bytes.set(data.subarray(start, end), this.length);
      this.length += end - start;
      return;
    }
    this.reserve(2 * (end - start) + 2);
    this.bytes[this.length++] = QUOTE;
    for (let i = start; i < end; i++) {
      const b = data[i]!;
      if (b === QUOTE) this.bytes[this.length++] = QUOTE;
      this.bytes[this.length++] = b;
    }
    this.bytes[this.length++] = QUOTE;
  }
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** A text as a CSV field's bytes (header names, naRep, category values). */
function fieldBytes(text: string, separator: number): Uint8Array {
  const builder = new ByteBuilder();
  const utf8 = encoder.encode(text);
  builder.field(utf8, 0, utf8.length, separator);
  return builder.take();
}

/**
 * Encodes batches as CSV as pandas' to_csv(index=False) writes them, so that pd.read_csv reads
 * the same frame back: fields quoted only when needed, floats as Python's repr, bools as
 * True/False, int64 exactly, missing values (and NaN) as naRep, inf as inf/-inf, LF line ends.
 */
export class CsvEncoder {
  private readonly separator: number;
  private readonly na: Uint8Array;

  constructor(
    private readonly names: readonly string[],
    private readonly format: CsvWriteFormat,
  ) {
    this.separator = format.separator.charCodeAt(0);
    this.na = fieldBytes(format.naRep, this.separator);
  }

  /** The header line (empty when there is none). */
  header(): Uint8Array {
    if (!this.format.header) return new Uint8Array(0);
    const out = new ByteBuilder();
    this.names.forEach((name, i) => {
      if (i > 0) out.push(this.separator);
      const bytes = fieldBytes(name, this.separator);
      out.reserve(bytes.length);
      out.bytes.set(bytes, out.length);
      out.length += bytes.length;
    });
    out.push(LF);
    return out.take();
  }

  /** A batch's rows as text, in chunks of at most CHUNK_ROWS rows. */
  *encode(batch: ColumnBatch): Generator<Uint8Array> {
    const columns = this.names.map((name) => batch.columns[batch.names.indexOf(name)]!);
    const writers = columns.map((col) => this.cellWriter(col));
    const out = new ByteBuilder();
    for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
      const end = Math.min(batch.length, start + CHUNK_ROWS);
      for (let row = start; row < end; row++) {
        for (let c = 0; c < writers.length; c++) {
          if (c > 0) out.push(this.separator);
          const validity = columns[c]!.validity;
          const before = out.length;
          if (validity !== null && (validity[row >> 3]! & (1 << (row & 7))) === 0) this.missing(out);
          else writers[c]!(out, row);
          // A row of one empty field would be a blank line, which readers skip: quote it (as Python's csv).
          if (writers.length === 1 && out.length === before) out.ascii('""');
        }
        out.push(LF);
      }
      yield out.take();
    }
  }

  private missing(out: ByteBuilder): void {
    out.reserve(this.na.length);
    out.bytes.set(this.na, out.length);
    out.length += this.na.length;
  }

  private cellWriter(col: ColumnData): (out: ByteBuilder, row: number) => void {
    const sep = this.separator;
    switch (col.dtype) {
      case 'float64': {
        const values = col.values;
        return (out, row) => {
          const x = values[row]!;
          if (Number.isNaN(x)) this.missing(out);
          else if (x === Number.POSITIVE_INFINITY) out.ascii('inf');
          else if (x === Number.NEGATIVE_INFINITY) out.ascii('-inf');
          else out.ascii(pythonFloatRepr(x));
        };
      }
      case 'int32': {
        const values = col.values;
        return (out, row) => out.ascii(String(values[row]!));
      }
      case 'int64': {
        const values = col.values;
        return (out, row) => out.ascii(values[row]!.toString());
      }
      case 'bool': {
        const values = col.values;
        return (out, row) => out.ascii((values[row >> 3]! >> (row & 7)) & 1 ? 'True' : 'False');
      }
      case 'string': {
        const { offsets, data } = col;
        return (out, row) => out.field(data, offsets[row]!, offsets[row + 1]!, sep);
      }
      case 'category': {
        const { indices } = col;
        const encoded = col.dictionary.map((value) => fieldBytes(value, sep));
        return (out, row) => {
          const bytes = encoded[indices[row]!]!;
          out.reserve(bytes.length);
          out.bytes.set(bytes, out.length);
          out.length += bytes.length;
        };
      }
    }
  }
}

/**
 * Writes rows to one CSV file (gzip-compressed or not), chunk by chunk with back-pressure: the
 * text of at most one chunk is in memory at a time. Errors name the file.
 */
export async function writeCsvFile(path: string, names: readonly string[], batches: readonly ColumnBatch[], format: CsvWriteFormat): Promise<{ rows: number; bytes: number }> {
  const encoder = new CsvEncoder(names, format);
  let rows = 0;
  function* chunks(): Generator<Uint8Array> {
    const header = encoder.header();
    if (header.length > 0) yield header;
    for (const batch of batches) {
      yield* encoder.encode(batch);
      rows += batch.length;
    }
  }
  const source = Readable.from(chunks(), { objectMode: false });
  const file = createWriteStream(path, { flags: 'w' });
  try {
    if (format.compression === 'gzip') await pipeline(source, zlib().createGzip(), file);
    else await pipeline(source, file);
    return { rows, bytes: (await stat(path)).size };
  } catch (cause) {
    throw new DuskIoError(`${path}: cannot write the CSV file: ${(cause as Error).message}`, { path }, { cause });
  }
}
