import { DuskParseError } from '../../core/errors.js';
import { concatBytes } from '../../io/concat-bytes.js';
import { BatchSlab } from '../../core/batch-slab.js';
import { AppendResult, type ColumnBuilder, makeBuilder } from './column-builders.js';
import type { ColumnBatch } from '../../core/column-data.js';
import type { DType, Encoding } from '../../core/dtypes.js';
import { NaMatcher } from './na-matcher.js';
import { PARSED_INT, RowSplitter } from './row-splitter.js';

export type OnBadLines = 'error' | 'skip' | 'warn';

export interface ProjectedColumn {
  /** Field position in the row. */
  index: number;
  name: string;
  dtype: DType;
}

/** Everything the parser needs; plain data so it can be sent to workers. */
export interface ParseSpec {
  delimiter: string;
  /** Number of fields in every row (from the header). */
  fieldCount: number;
  columns: ProjectedColumn[];
  naValues: string[];
  encoding: Encoding;
  onBadLines: OnBadLines;
  batchRows: number;
  /** The comment character (the rest of a line is ignored; comment-only lines are skipped), or none. */
  comment?: string | null;
  /** The decimal separator of float64 values. Default '.'. */
  decimal?: string;
}

/** Where parsed bytes come from, for error messages. */
export interface ParseSource {
  path: string;
  /** Line number of the first byte given to the parser; null when unknown (a byte-range block). */
  firstLine: number | null;
  /** Turns a decoded byte offset (from the start of this parser's input) into a file line number. */
  lineAt?: (offset: number) => number;
}

export interface BadLineReport {
  count: number;
  samples: string[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * A streaming, column-projecting CSV parser (RFC 4180: quoted delimiters and newlines,
 * doubled quotes, CRLF). It parses only the projected columns, straight from bytes into
 * typed column builders, and emits batches of `batchRows` rows. Unprojected fields are only
 * scanned for their end. Memory is one batch plus the tail of one input chunk.
 */
export class CsvParser {
  private readonly builders: ColumnBuilder[];
  /** Field index → builder index, or -1 for fields that are skipped. */
  private readonly slotOf: Int32Array;
  private readonly delimiter: number;
  /** The comment character's code, or -1. */
  private readonly comment: number;
  private readonly na: NaMatcher;
  private carry: Uint8Array | null = null;
  /** Decoded bytes consumed before the current buffer (for offsets in errors). */
  private consumed = 0;
  /** Lines fully consumed so far (relative to the parser's input). */
  private lines = 0;
  private rows = 0;
  private scratch = new Uint8Array(256);
  private readonly splitter: RowSplitter;
  readonly badLines: BadLineReport = { count: 0, samples: [] };
  /** Total rows emitted. */
  rowsEmitted = 0;

  constructor(
    private readonly spec: ParseSpec,
    private readonly source: ParseSource,
  ) {
    if (spec.delimiter.length !== 1 || spec.delimiter.charCodeAt(0) > 127) {
      throw new DuskParseError(`delimiter must be a single ASCII character, got '${spec.delimiter}'`, { path: source.path, line: 0 });
    }
    this.delimiter = spec.delimiter.charCodeAt(0);
    this.comment = spec.comment ? spec.comment.charCodeAt(0) : -1;
    this.builders = spec.columns.map((c) => makeBuilder(c.dtype, spec.batchRows, spec.encoding, spec.decimal ?? '.'));
    this.slotOf = new Int32Array(spec.fieldCount).fill(-1);
    spec.columns.forEach((c, i) => (this.slotOf[c.index] = i));
    // The kernel parses plain integers of integer columns, unless one could be an NA marker.
    const integerNa = spec.naValues.some((v) => /^[+-]?\d+$/.test(v));
    const intSlots = spec.columns.map((c) => !integerNa && (c.dtype === 'int32' || c.dtype === 'int64'));
    this.splitter = new RowSplitter(this.delimiter, spec.fieldCount, spec.columns.map((c) => c.index), intSlots);
    this.na = new NaMatcher(spec.naValues, spec.encoding);
  }

  /** Feeds decoded bytes; returns the batches completed by them. */
  push(chunk: Uint8Array, out: ColumnBatch[] = []): ColumnBatch[] {
    let buf = chunk;
    if (this.carry !== null) {
      const carry = this.carry;
      this.carry = null;
      const newline = chunk.indexOf(LF);
      if (newline >= 0 && carry.indexOf(QUOTE) < 0 && chunk.subarray(0, newline).indexOf(QUOTE) < 0) {
        // The carried row ends at the chunk's first newline: join only that much, not the whole chunk.
        const head = concatBytes([carry, chunk.subarray(0, newline + 1)]);
        const usedHead = this.parseRows(head, false, out);
        this.consumed += usedHead;
        buf = usedHead === head.length ? chunk.subarray(newline + 1) : concatBytes([head.subarray(usedHead), chunk.subarray(newline + 1)]);
      } else buf = concatBytes([carry, chunk]);
    }
    const used = this.parseRows(buf, false, out);
    this.consumed += used;
    // A copy, never a view: the input buffer may be reused for the next read (and Buffer#slice is a view).
    if (used < buf.length) this.carry = new Uint8Array(buf.subarray(used));
    return out;
  }

  /** Ends the input: parses a last row without a final newline and flushes the last batch. */
  finish(out: ColumnBatch[] = []): ColumnBatch[] {
    if (this.carry !== null) {
      const buf = this.carry;
      this.carry = null;
      const used = this.parseRows(buf, true, out);
      if (used < buf.length) {
        // Only an opening quote that is never closed leaves bytes unparsed at the end.
        const line = this.lineNumber(this.lines, used);
        throw new DuskParseError(`${this.source.path}, line ${line}: a quoted field is never closed (the file ends inside quotes)`, {
          path: this.source.path,
          line,
        });
      }
      this.consumed += used;
    }
    if (this.rows > 0) out.push(this.flush());
    return out;
  }

  /** Decoded bytes consumed so far plus what is carried (everything pushed). */
  get bytesSeen(): number {
    return this.consumed + (this.carry?.length ?? 0);
  }

  private flush(): ColumnBatch {
    const slab = new BatchSlab();
    for (const b of this.builders) b.reserve(slab);
    const batch: ColumnBatch = {
      length: this.rows,
      names: this.spec.columns.map((c) => c.name),
      columns: this.builders.map((b) => b.finish(slab)),
    };
    this.rowsEmitted += this.rows;
    this.rows = 0;
    return batch;
  }

  /** pandas skips blank lines; so do we. Returns the position after a blank line at pos, or pos. */
  private skipBlankLine(buf: Uint8Array, pos: number, final: boolean): number {
    const c = buf[pos];
    if (c === LF) {
      this.lines++;
      return pos + 1;
    }
    if (c === CR && (pos + 1 < buf.length ? buf[pos + 1] === LF : final)) {
      this.lines++;
      return pos + 1 < buf.length ? pos + 2 : pos + 1;
    }
    return pos;
  }

  /** Appends one field's value (null for an NA marker). A value that does not fit its dtype is an error, never skipped. */
  private appendValue(slot: number, buf: Uint8Array, start: number, end: number, rowStart: number): void {
    const builder = this.builders[slot]!;
    if (this.na.matches(buf, start, end)) builder.appendNull();
    else {
      const result = builder.appendField(buf, start, end);
      if (result !== AppendResult.Ok) this.valueError(result, slot, buf, start, end, rowStart);
    }
  }

  /**
   * Parses complete rows from buf; returns the offset of the first byte not consumed. Most data
   * has no quotes at all: the SIMD row splitter takes rows until one holds a quote, and the
   * RFC 4180 loop takes the rest of the buffer from there. With a comment character, the
   * splitter (which knows no comments) stops at the line of its first occurrence.
   */
  private parseRows(buf: Uint8Array, final: boolean, out: ColumnBatch[]): number {
    let splitEnd = buf.length;
    if (this.comment >= 0) {
      const at = buf.indexOf(this.comment);
      if (at >= 0) splitEnd = buf.lastIndexOf(LF, at) + 1;
    }
    if (splitEnd === 0) return this.parseQuotedRows(buf, 0, final, out);
    const pos = this.parseSplitRows(buf, splitEnd, final && splitEnd === buf.length, out);
    return this.splitter.stoppedAtQuote || splitEnd < buf.length ? this.parseQuotedRows(buf, pos, final, out) : pos;
  }

  /**
   * At a comment character outside quotes: the position of the newline that ends its line, or
   * buf.length when the input ends first (final), or -1 when the newline is not in buf yet.
   */
  private commentEnd(buf: Uint8Array, pos: number, final: boolean): number {
    const newline = buf.indexOf(LF, pos);
    if (newline >= 0) return newline;
    return final ? buf.length : -1;
  }

  /** The RFC 4180 row loop (quoted fields, doubled quotes, newlines inside quotes), from `pos`. */
  private parseQuotedRows(buf: Uint8Array, pos: number, final: boolean, out: ColumnBatch[]): number {
    const end = buf.length;
    const delim = this.delimiter;
    const fieldCount = this.spec.fieldCount;
    const slotOf = this.slotOf;
    const builders = this.builders;
    while (pos < end) {
      const rowStart = pos;
      const afterBlank = this.skipBlankLine(buf, pos, final);
      if (afterBlank > pos) {
        pos = afterBlank;
        continue;
      }
      if (buf[pos] === this.comment) {
        // A comment-only line is skipped, as pandas does.
        const newline = this.commentEnd(buf, pos, final);
        if (newline < 0) return rowStart;
        this.lines++;
        pos = newline + 1;
        continue;
      }
      let c: number;
      let field = 0;
      let newlinesInRow = 0;
      let incomplete = false;
      let rowEnded = false;
      let badReason: string | null = null;
      while (!rowEnded) {
        let fieldStart: number;
        let fieldEnd: number;
        let j: number;
        let source = buf;
        if (buf[pos] === QUOTE) {
          // Quoted field: runs to a quote not followed by another quote.
          j = pos + 1;
          let escaped = false;
          for (;;) {
            if (j >= end) {
              incomplete = true;
              break;
            }
            c = buf[j]!;
            if (c === QUOTE) {
              if (j + 1 < end && buf[j + 1] === QUOTE) {
                escaped = true;
                j += 2;
                continue;
              }
              if (j + 1 >= end && !final) {
                incomplete = true;
              }
              break;
            }
            if (c === LF) newlinesInRow++;
            j++;
          }
          if (incomplete) break;
          fieldStart = pos + 1;
          fieldEnd = j;
          j++; // past the closing quote
          if (j < end) {
            c = buf[j]!;
            if (c === CR && j + 1 < end && buf[j + 1] === LF) j++;
            else if (c === CR && j + 1 >= end && !final) {
              incomplete = true;
              break;
            }
            c = buf[j]!;
            if (c === this.comment) {
              // A comment after the closing quote ends the row: go to its newline (or the end).
              j = this.commentEnd(buf, j, final);
              if (j < 0) {
                incomplete = true;
                break;
              }
            } else if (c !== delim && c !== LF && badReason === null) {
              badReason = `unexpected character '${String.fromCharCode(c)}' after a closing quote`;
            }
          }
          if (escaped && slotOf[field]! >= 0) {
            const unquoted = this.unescape(buf, fieldStart, fieldEnd);
            source = unquoted;
            fieldStart = 0;
            fieldEnd = unquoted.length;
          }
          // A quoted empty string is missing too when '' is an NA marker (pandas does the same).
        } else {
          j = pos;
          const comment = this.comment;
          while (j < end) {
            c = buf[j]!;
            if (c === delim || c === LF || c === comment) break;
            j++;
          }
          if (j >= end && !final) {
            incomplete = true;
            break;
          }
          fieldStart = pos;
          fieldEnd = j;
          if (fieldEnd > fieldStart && buf[fieldEnd - 1] === CR && (j >= end || buf[j] === LF)) fieldEnd--;
          if (j < end && buf[j] === comment) {
            // The field ends at the comment, and the row at the comment's newline (or the end).
            j = this.commentEnd(buf, j, final);
            if (j < 0) {
              incomplete = true;
              break;
            }
          }
        }
        if (field < fieldCount) {
          const slot = slotOf[field]!;
          if (slot >= 0 && badReason === null) this.appendValue(slot, source, fieldStart, fieldEnd, rowStart);
        }
        field++;
        if (j >= end) {
          pos = end;
          rowEnded = true;
        } else {
          pos = j + 1;
          rowEnded = buf[j] === LF;
        }
      }
      if (incomplete) {
        for (const b of builders) b.truncate(this.rows);
        return rowStart;
      }
      const rowLine = this.lines;
      this.lines += 1 + newlinesInRow;
      if (field !== fieldCount || badReason !== null) {
        for (const b of builders) b.truncate(this.rows);
        const why = badReason ?? `expected ${fieldCount} fields, found ${field}`;
        this.badLine(why, rowStart, rowLine);
        continue;
      }
      if (++this.rows === this.spec.batchRows) out.push(this.flush());
    }
    return pos;
  }

  /**
   * Rows without quote characters: the WASM-SIMD row splitter finds the row and projected field
   * boundaries; this loop checks field counts and parses the values. Stops at a row with a quote.
   */
  private parseSplitRows(buf: Uint8Array, end: number, final: boolean, out: ColumnBatch[]): number {
    const splitter = this.splitter;
    const fieldCount = this.spec.fieldCount;
    const slots = this.builders.length;
    const stride = splitter.stride;
    splitter.load(end === buf.length ? buf : buf.subarray(0, end));
    let pos = 0;
    do {
      const rows = splitter.split(pos, final);
      const index = splitter.index;
      for (let r = 0, at = 0; r < rows; r++, at += stride) {
        const fields = index[at + 1]!;
        if (fields === 0) {
          this.lines++; // a blank line
          continue;
        }
        const rowStart = index[at]!;
        if (fields !== fieldCount) {
          this.badLine(`expected ${fieldCount} fields, found ${fields}`, rowStart, this.lines++);
          continue;
        }
        for (let slot = 0, entry = at + 2; slot < slots; slot++, entry += 2) {
          const second = index[entry + 1]!;
          if (second === PARSED_INT) this.builders[slot]!.appendInt(index[entry]!);
          else this.appendValue(slot, buf, index[entry]!, second, rowStart);
        }
        this.lines++;
        if (++this.rows === this.spec.batchRows) out.push(this.flush());
      }
      pos = splitter.consumed;
    } while (splitter.full);
    return pos;
  }

  private unescape(buf: Uint8Array, start: number, end: number): Uint8Array {
    if (this.scratch.length < end - start) this.scratch = new Uint8Array((end - start) * 2);
    let w = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      this.scratch[w++] = c;
      if (c === QUOTE) i++;
    }
    return this.scratch.subarray(0, w);
  }

  private lineNumber(relativeLine: number, offset: number): number {
    if (this.source.firstLine !== null) return this.source.firstLine + relativeLine;
    return this.source.lineAt ? this.source.lineAt(this.consumed + offset) : -1;
  }

  private badLine(why: string, rowStart: number, relativeLine: number): void {
    this.badLines.count++;
    // Finding a line inside a block re-reads the file: only for the error and the first samples.
    if (this.spec.onBadLines !== 'error' && this.badLines.samples.length >= 5) return;
    const line = this.lineNumber(relativeLine, rowStart);
    if (this.spec.onBadLines === 'error') {
      throw new DuskParseError(
        `${this.source.path}, line ${line}: ${why}. Fix the file, or pass onBadLines: 'skip' (or 'warn') to drop such rows and count them.`,
        { path: this.source.path, line },
      );
    }
    this.badLines.samples.push(`${this.source.path}:${line} (${why})`);
  }

  private valueError(result: AppendResult, slot: number, buf: Uint8Array, start: number, end: number, rowStart: number): never {
    const column = this.spec.columns[slot]!;
    const raw = buf.subarray(start, end);
    const value = this.spec.encoding === 'latin1' ? String.fromCharCode(...raw.subarray(0, 80)) : new TextDecoder().decode(raw.subarray(0, 80));
    const line = this.lineNumber(this.lines, rowStart);
    const where = `${this.source.path}, line ${line}, column '${column.name}'`;
    let message: string;
    switch (result) {
      case AppendResult.BadEncoding:
        message = `${where}: bytes that are not valid UTF-8 in value ${JSON.stringify(value)}; pass encoding: 'latin1' if the file is latin1`;
        break;
      case AppendResult.OutOfRange:
        message =
          column.dtype === 'float64'
            ? `${where}: value '${value}' is beyond the float64 range (±1.8e308); it would read as an infinity, and only inf/Infinity are read as infinities. Pass dtype: { ${column.name}: 'string' } to read it as text`
            : column.dtype === 'int32'
              ? `${where}: value '${value}' does not fit int32; pass dtype: { ${column.name}: 'int64' }`
              : `${where}: value '${value}' does not fit int64; pass dtype: { ${column.name}: 'string' } to keep it exactly (or 'float64' for an approximation)`;
        break;
      case AppendResult.NotABool:
        message = `${where}: value '${value}' is not a bool (True/False); pass dtype: { ${column.name}: 'string' } to read it as text`;
        break;
      default: {
        const decimal = (this.spec.decimal ?? '.').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const looksFloat = new RegExp(`^[+-]?(\\d+${decimal}?\\d*|${decimal}\\d+)([eE][+-]?\\d+)?$`).test(value.trim());
        const hint =
          column.dtype === 'float64'
            ? `pass dtype: { ${column.name}: 'string' } to read it as text, or naValues: ['${value}'] if it marks a missing value`
            : `pass dtype: { ${column.name}: '${looksFloat ? 'float64' : 'string'}' }`;
        message = `${where}: value '${value}' is not a valid ${column.dtype}; ${hint}`;
      }
    }
    throw new DuskParseError(message, { path: this.source.path, line, column: column.name, value });
  }
}
