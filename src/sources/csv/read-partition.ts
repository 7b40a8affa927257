import { closeSync, openSync, readSync } from 'node:fs';
import { DuskIoError, DuskParseError, DuskSchemaError } from '../../core/errors.js';
import { concatBytes } from '../../io/concat-bytes.js';
import { Bz2LineCounter } from '../../io/codecs/bz2-lines.js';
import { decodedBz2BlockRange, decodedChunks } from '../../io/decode.js';
import type { IoMetrics, ProgressSink } from '../../io/io-metrics.js';
import type { ColumnBatch, ColumnData } from '../../core/column-data.js';
import type { CsvFormat, CsvPartition } from './csv-source.js';
import { CsvParser, type ParseSpec } from './csv-parser.js';
import { splitHeaderLine, uniqueColumnNames } from './header.js';
import { crLinesToLf, firstLineEnd, RecordScanner } from './record-scan.js';
import { unknownColumnError } from '../../core/unknown-column.js';

export const DEFAULT_BATCH_ROWS = 1 << 16;

/** What a scan of one partition reads: the source and the columns wanted (projection). */
export interface CsvScanSpec {
  source: CsvFormat;
  columns: string[];
  batchRows?: number;
}

export interface ScanContext {
  metrics: IoMetrics;
  progress: ProgressSink;
}

function parseSpecFor(scan: CsvScanSpec): ParseSpec {
  const { source } = scan;
  const columns = scan.columns
    .filter((name) => name !== source.pathColumn)
    .map((name) => {
      const index = source.header.indexOf(name);
      if (index < 0 || !(name in source.dtypes)) throw unknownColumnError(name, source.columns);
      return { index, name, dtype: source.dtypes[name]! };
    });
  return {
    delimiter: source.delimiter,
    fieldCount: source.header.length,
    columns,
    naValues: source.naValues,
    encoding: source.encoding,
    onBadLines: source.onBadLines,
    batchRows: scan.batchRows ?? DEFAULT_BATCH_ROWS,
    comment: source.comment,
    decimal: source.decimal,
  };
}

/**
 * Counts line ends before `offset` in a plain file: the line number for an error in a byte
 * range. In CR mode the line-ending CRs are counted, found as the partition found them.
 */
function lineAtOffset(path: string, offset: number, format: CsvFormat): number {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    const scanner = format.lineTerminator === 'cr' ? new RecordScanner(format.delimiter.charCodeAt(0), format.comment?.charCodeAt(0) ?? -1) : null;
    let line = 1;
    for (let pos = 0; pos < offset; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (n === 0) break;
      // A CR at the end of a read waits for the next byte (it may start a CRLF): it is read again.
      const counted = scanner === null ? n : Math.max(1, scanner.translateLoneCrs(buf.subarray(0, n), pos + n >= offset));
      for (let i = 0; i < counted; i++) if (buf[i] === 10) line++;
      pos += counted;
    }
    return line;
  } finally {
    closeSync(fd);
  }
}

/** In LF mode, a file whose first bytes have CRs but no LF: its lines end in lone CRs. */
function crOnlyFileError(path: string): DuskSchemaError {
  return new DuskSchemaError(
    `${path}: its lines end in a lone CR (old Mac line ends), but the first file's end in LF or CRLF; read files with different line ends in separate readCsv calls`,
  );
}

/**
 * After a CSV error in decoded bytes, finishes the decoder (to the end of the data, or until
 * `enough` says the bytes given to the parser are all checked) so that a corrupt compressed file
 * is reported as such, with its offset, and not as the CSV error its damaged bytes caused: gzip
 * checks its CRC only at the end of a member, and an external bz2 decoder at its exit.
 */
async function codecErrorFirst(chunks: AsyncIterator<Uint8Array>, dataError: unknown, enough: () => boolean): Promise<unknown> {
  try {
    while (!enough()) if ((await chunks.next()).done) break;
  } catch (codecError) {
    if (codecError instanceof DuskIoError) return codecError;
  }
  return dataError;
}

function pathColumn(path: string, length: number): ColumnData {
  return { dtype: 'category', length, nullCount: 0, validity: null, indices: new Int32Array(length), dictionary: [path] };
}

/** Orders a batch's columns as the scan asked, adding the path column where requested. */
function arrange(batch: ColumnBatch, scan: CsvScanSpec, path: string): ColumnBatch {
  const { pathColumn: pathName } = scan.source;
  if (pathName === null || !scan.columns.includes(pathName)) return batch;
  const columns = scan.columns.map((name) => (name === pathName ? pathColumn(path, batch.length) : batch.columns[batch.names.indexOf(name)]!));
  return { length: batch.length, names: [...scan.columns], columns };
}

/**
 * Streams one partition as column batches of the projected columns. A byte-range partition
 * owns the rows that start inside its range: it skips the row cut at its start and reads past
 * its end to finish its last row. Each file's header is checked against the first file's.
 *
 * A bz2 block-range partition (part.bz2Blocks) applies the same rule in decoded bytes, moved by
 * one byte: it owns the rows whose preceding newline lies in its own blocks' decoded bytes. (A
 * plain range reads from start - 1 to see whether a row starts exactly at `start`; the byte
 * before a bz2 partition's first block is the last byte of the previous block, which it does not
 * decode.) So a later partition drops everything up to and including the first newline of its
 * output (that row belongs to the partition before), and after its own blocks it decodes the
 * following block(s) only up to the first newline there, which ends its last row. Only the
 * file's first partition reads (and checks) the header.
 */
export async function* readCsvPartition(part: CsvPartition, scan: CsvScanSpec, ctx: ScanContext, limitRows = Infinity): AsyncGenerator<ColumnBatch> {
  const { source } = scan;
  const spec = parseSpecFor(scan);
  const blocks = part.bz2Blocks;
  const ranged = blocks ? blocks.start > 0 : part.start > 0;
  // Offsets below are decoded offsets: in the file for plain files, from the partition's first
  // block for a bz2 block range.
  const readFrom = blocks || !ranged ? 0 : part.start - 1;
  // Rows starting at or after this offset belong to the next partition. For a bz2 block range:
  // the decoded length of its own blocks + 1, set when the first block past its range arrives.
  let stopAt = blocks ? null : part.end;
  let ownedEnd: number | null = null;
  let firstBlockBit = -1;
  let lines: Bz2LineCounter | null = null; // made by the first error message that needs a line number
  let parser: CsvParser | null = null;
  let position = readFrom; // offset (decoded) of the next byte to look at
  let pending: Uint8Array | null = null; // bytes before the first row is known to start
  let finished = false;
  let emitted = 0;

  const lineAt = (dataStart: number): ((offset: number) => number) | undefined => {
    if (part.compression === 'none') return (offset) => lineAtOffset(part.path, dataStart + offset, source);
    if (!blocks || !ranged) return undefined; // firstLine is known
    return (offset) => {
      lines ??= new Bz2LineCounter(
        part.path,
        firstBlockBit,
        () => {
          ctx.metrics.opens[part.path] = (ctx.metrics.opens[part.path] ?? 0) + 1;
        },
        source.lineTerminator,
      );
      return lines.lineAt(dataStart + offset);
    };
  };
  const disposeLines = (): void => lines?.dispose();
  const makeParser = (dataStart: number, firstLine: number): CsvParser =>
    new CsvParser(spec, {
      path: part.path,
      firstLine: ranged ? null : firstLine,
      lineAt: lineAt(dataStart),
    });
  /** Checks a file's header against the first file's; returns the line number of its first data row. */
  const checkHeader = (header: NonNullable<ReturnType<typeof splitHeaderLine>>): number => {
    const names = uniqueColumnNames(header.fields);
    if (names.join('\u0000') !== source.header.join('\u0000')) {
      throw new DuskSchemaError(
        `${part.path}: its header (${header.fields.join(', ')}) differs from the first file's (${source.header.join(', ')}); read files with different columns separately`,
      );
    }
    return header.lines + 1;
  };

  /** A bz2 block range's decoded bytes, noting where its own blocks end. */
  async function* bz2Chunks(range: NonNullable<CsvPartition['bz2Blocks']>): AsyncGenerator<Uint8Array> {
    let at = 0;
    for await (const c of decodedBz2BlockRange(part.path, range, ctx.metrics, ctx.progress, expected)) {
      if (firstBlockBit < 0) firstBlockBit = c.blockBit;
      if (!c.owned && ownedEnd === null) ownedEnd = at;
      at += c.bytes.length;
      yield c.bytes;
    }
  }

  // The file as readCsv listed it: a read checks it has not changed since.
  const expected = { size: part.fileSize, mtimeMs: part.fileMtimeMs };
  let decoded: AsyncIterable<Uint8Array> = blocks ? bz2Chunks(blocks) : decodedChunks(part.path, part.compression, { start: readFrom, end: null }, ctx.metrics, ctx.progress, expected);
  const crLines = source.lineTerminator === 'cr';
  if (crLines) decoded = crLinesToLf(decoded, new RecordScanner(source.delimiter.charCodeAt(0), source.comment?.charCodeAt(0) ?? -1, ranged));
  const chunks = decoded[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      let chunk = next.value;
      if (stopAt === null && ownedEnd !== null) stopAt = ownedEnd + 1;
      ctx.metrics.bytesDecoded += chunk.length;
      position += chunk.length;
      if (parser === null) {
        if (pending !== null) chunk = concatBytes([pending, chunk]);
        const base = position - chunk.length;
        let dataStart: number;
        let firstLine = 1;
        if (ranged) {
          const newline = chunk.indexOf(10);
          if (newline < 0) {
            pending = chunk;
            continue;
          }
          dataStart = newline + 1;
        } else {
          let offset = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
          if (source.hasHeader) {
            const header = splitHeaderLine(chunk.subarray(offset), source.delimiter, source.encoding, { comment: source.comment });
            if (header === null) {
              if (source.lineTerminator === 'lf' && chunk.length >= 1 << 16 && chunk.indexOf(10) < 0 && chunk.indexOf(13) >= 0) throw crOnlyFileError(part.path);
              pending = chunk;
              continue;
            }
            firstLine = checkHeader(header);
            offset += header.end;
          }
          dataStart = offset;
        }
        pending = null;
        parser = makeParser(base + dataStart, firstLine);
        chunk = chunk.subarray(dataStart);
        if (stopAt !== null && base + dataStart >= stopAt) {
          finished = true;
          break;
        }
      }
      // Feed only up to the end of the row that straddles stopAt, then finish. A chunk that ends
      // exactly at stopAt counts: when its last byte ends a row, the next row is not ours.
      let feed = chunk;
      if (stopAt !== null && position >= stopAt) {
        const cut = Math.max(0, stopAt - 1 - (position - chunk.length));
        const newline = crLines ? firstLineEnd(chunk, cut) : chunk.indexOf(10, cut);
        if (newline >= 0) {
          feed = chunk.subarray(0, newline + 1);
          finished = true;
        }
      }
      for (const batch of parser.push(feed)) {
        yield* limit(arrange(batch, scan, part.path));
        if (emitted >= limitRows) break;
      }
      if (finished || emitted >= limitRows) break;
    }
    if (parser === null && pending !== null && !ranged) {
      // The whole file is shorter than its first line's end: a header without a newline (or,
      // with header: false, one row without one).
      let offset = pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf ? 3 : 0;
      let firstLine = 1;
      if (source.hasHeader) {
        const header = splitHeaderLine(pending.subarray(offset), source.delimiter, source.encoding, { comment: source.comment, final: true });
        if (header === null) throw new DuskIoError(`${part.path}: no header line (the file holds only blank or comment lines)`, { path: part.path });
        if (source.lineTerminator === 'lf' && pending.indexOf(10) < 0 && pending.indexOf(13) >= 0) throw crOnlyFileError(part.path);
        firstLine = checkHeader(header);
        offset += header.end;
      }
      parser = makeParser(position - pending.length + offset, firstLine);
      if (offset < pending.length) for (const batch of parser.push(pending.subarray(offset))) yield* limit(arrange(batch, scan, part.path));
    }
    if (parser !== null && emitted < limitRows) {
      for (const batch of parser.finish()) yield* limit(arrange(batch, scan, part.path));
    }
    if (parser !== null) {
      ctx.metrics.badLines += parser.badLines.count;
      for (const s of parser.badLines.samples) if (ctx.metrics.badLineSamples.length < 10) ctx.metrics.badLineSamples.push(s);
    } else if (!ranged && pending === null) {
      throw new DuskIoError(`${part.path}: the file is empty (no header line)`, { path: part.path });
    }
  } catch (err) {
    // A CSV error in the output of a decoder whose checks have not all passed yet: its bytes
    // may be corrupt, so the decoder's verdict comes first.
    if (part.compression !== 'none' && (err instanceof DuskParseError || err instanceof DuskSchemaError)) {
      throw await codecErrorFirst(chunks, err, () => blocks !== undefined && ownedEnd !== null);
    }
    throw err;
  } finally {
    // Stopped early (a limit, an error, or the consumer): close the file and end the decoder.
    await chunks.return?.();
    disposeLines();
  }

  function* limit(batch: ColumnBatch): Generator<ColumnBatch> {
    if (emitted >= limitRows) return;
    const take = Math.min(batch.length, limitRows - emitted);
    emitted += take;
    yield take === batch.length ? batch : sliceBatch(batch, take);
  }
}

function sliceColumn(col: ColumnData, n: number): ColumnData {
  const validity = col.validity === null ? null : col.validity.slice(0, (n + 7) >> 3);
  let nullCount = 0;
  if (validity !== null) for (let i = 0; i < n; i++) if ((validity[i >> 3]! & (1 << (i & 7))) === 0) nullCount++;
  switch (col.dtype) {
    case 'string':
      return { ...col, length: n, nullCount, validity, offsets: col.offsets.slice(0, n + 1), data: col.data.slice(0, col.offsets[n]!) };
    case 'category':
      return { ...col, length: n, nullCount, validity, indices: col.indices.slice(0, n) };
    case 'bool':
      return { ...col, length: n, nullCount, validity, values: col.values.slice(0, (n + 7) >> 3) };
    case 'float64':
      return { ...col, length: n, nullCount, validity, values: col.values.slice(0, n) };
    case 'int32':
      return { ...col, length: n, nullCount, validity, values: col.values.slice(0, n) };
    case 'int64':
      return { ...col, length: n, nullCount, validity, values: col.values.slice(0, n) };
  }
}

export function sliceBatch(batch: ColumnBatch, n: number): ColumnBatch {
  return { length: n, names: batch.names, columns: batch.columns.map((c) => sliceColumn(c, n)) };
}
