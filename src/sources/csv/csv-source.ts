import { statSync } from 'node:fs';
import { DuskIoError, DuskSchemaError } from '../../core/errors.js';
import { type Compression, resolveCompression } from '../../io/compression.js';
import { type Bz2BlockRange, planBz2BlockRanges } from '../../io/codecs/bz2-block-range.js';
import { bz2PrefixSync, decodedPrefixSync } from '../../io/decode.js';
import { listFiles } from '../../io/list-files.js';
import { checkOptionNames, DEFAULT_BLOCKSIZE, DEFAULT_BZ2_BLOCKSIZE, DEFAULT_NA_VALUES, parseBytes, type ReadCsvOptions, singleCharOption } from './csv-options.js';
import { CsvParser, type OnBadLines, type ParseSpec } from './csv-parser.js';
import { checkDType, type DType, type Encoding } from '../../core/dtypes.js';
import { DTypeSniffer } from './infer-dtype.js';
import { splitHeaderLine, uniqueColumnNames } from './header.js';
import { RecordScanner } from './record-scan.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { DEFAULT_MIN_PARTITION_BYTES, equalByteRanges, PARTITION_COST, partitionCounts } from './partition-plan.js';

/**
 * One unit of parallel work: a whole file, a line-aligned byte range of a plain file, or a run
 * of whole blocks of a .bz2 file.
 */
export interface CsvPartition {
  index: number;
  path: string;
  compression: Compression;
  /** Plain files: start of the byte range rows may start in (0 for a whole file or a bz2 block range). */
  start: number;
  /** Exclusive end of the range rows may start in; null = to the end of the file (and for a bz2 block range). */
  end: number | null;
  /**
   * A .bz2 file split by blocks: the compressed byte range in which this partition's blocks start
   * (bz2-block-range.ts). It owns the rows whose preceding newline lies in its blocks' decoded
   * bytes (and, for the file's first partition, the first row after the header).
   */
  bz2Blocks?: Bz2BlockRange;
  /**
   * The file's size and modification time when readCsv listed it. The read checks them (at open,
   * and that the file still ends there), so a file changed since then fails the read with a
   * DuskIoError instead of giving rows that the schema and partitions were not made for.
   */
  fileSize: number;
  fileMtimeMs: number;
}

/**
 * How lines end: 'lf' (LF or CRLF, the usual), or 'cr' for old-Mac files whose lines end in a
 * lone CR: their line-ending CRs are turned into LFs as they are read (RecordScanner).
 */
export type LineTerminator = 'lf' | 'cr';

/** How to parse the files of one readCsv call: what every partition task needs to know. */
export interface CsvFormat {
  /** Every column name in file order: the first file's header made unique as pandas does (uniqueColumnNames). */
  header: string[];
  hasHeader: boolean;
  /** Columns the DataFrame exposes (usecols, plus the path column). */
  columns: string[];
  dtypes: Record<string, DType>;
  pathColumn: string | null;
  delimiter: string;
  encoding: Encoding;
  naValues: string[];
  onBadLines: OnBadLines;
  lineTerminator: LineTerminator;
  /** The comment character (option `comment`), or null. */
  comment: string | null;
  /** The decimal separator of floats (option `decimal`). */
  decimal: string;
}

/** A resolved readCsv call: files, partitions and format. Plain data. */
export interface CsvSource extends CsvFormat {
  kind: 'csv';
  /** Text columns whose sampled values look like numbers, each with how to read it as numbers (Schema.numericTextHints). */
  numericTextHints: Record<string, string>;
  files: string[];
  /** Sizes and modification times: part of task keys, so a changed file is not a cache hit. */
  fingerprint: string;
  partitions: CsvPartition[];
}

/** The part of a source that partition tasks carry (not the list of every partition). */
export function formatOf(source: CsvSource): CsvFormat {
  const { kind: _kind, files: _files, fingerprint: _fingerprint, partitions: _partitions, numericTextHints: _hints, ...format } = source;
  return format;
}

const DEFAULT_SAMPLE_BYTES = 1 << 20;

/** Lines in `bytes` (newlines, plus a last line without one): at least its records. */
function lineCount(bytes: Uint8Array): number {
  let lines = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
  return lines;
}

/** Infers each wanted column's dtype from the non-missing values of a sample of rows. */
function sniffDTypes(sample: Uint8Array, format: Pick<CsvFormat, 'delimiter' | 'naValues' | 'comment' | 'decimal'>, header: string[], wanted: readonly string[], firstLine: number, path: string): Map<string, DTypeSniffer> {
  const spec: ParseSpec = {
    delimiter: format.delimiter,
    fieldCount: header.length,
    columns: wanted.map((name) => ({ index: header.indexOf(name), name, dtype: 'string' as const })),
    naValues: format.naValues,
    // latin1 never fails: the real read checks the encoding of the columns actually used.
    encoding: 'latin1',
    onBadLines: 'skip',
    // The builders are allocated for a batch: as many rows as the sample can hold, not 65,536
    // (a 29-column sample of 20 rows otherwise allocates 22 MB).
    batchRows: Math.min(1 << 16, lineCount(sample)),
    comment: format.comment,
  };
  const parser = new CsvParser(spec, { path, firstLine });
  const sniffers = wanted.map(() => new DTypeSniffer(format.decimal));
  for (const batch of parser.finish(parser.push(sample))) {
    batch.columns.forEach((col, i) => {
      if (col.dtype === 'string') sniffers[i]!.addColumn(col.data, col.offsets, col.validity, col.length);
    });
  }
  return new Map(wanted.map((name, i) => [name, sniffers[i]!]));
}

/**
 * For each text column whose sampled values look like numbers (all, or but a few markers), how
 * to read it as numbers: errors about a text column where numbers are needed suggest it.
 */
function numericTextHints(sniffers: Map<string, DTypeSniffer>, dtypes: Record<string, DType>, naValues: readonly string[]): Record<string, string> {
  const hints: Record<string, string> = {};
  for (const [name, sniffer] of sniffers) {
    const look = sniffer.numericLook;
    if (look === null || (dtypes[name] !== 'string' && dtypes[name] !== 'category')) continue;
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    const dtype = `dtype: { ${key}: '${look.dtype}' }`;
    hints[name] =
      look.others.length === 0
        ? `its sampled values all look like numbers: to read them as numbers, pass ${dtype} to readCsv`
        : `its sampled values look like numbers apart from ${look.others.map((o) => `'${o}'`).join(', ')}: to read them as numbers with those missing, pass naValues: ${JSON.stringify([...naValues, ...look.others])} and ${dtype} to readCsv`;
  }
  return hints;
}

/** Decoded / compressed bytes of the first blocks of a .bz2 file (when the first file was not bz2). */
function sampledBz2Ratio(path: string, sampleBytes: number): number {
  const { decoded, compressedBytes } = bz2PrefixSync(path, Math.min(sampleBytes, DEFAULT_SAMPLE_BYTES));
  return compressedBytes > 0 ? decoded.length / compressedBytes : 1;
}

/**
 * A sample may be extended up to this many decoded bytes (or sampleBytes, if larger) to reach
 * the end of a record: a sample that ends inside a quoted field would cut that record off.
 */
export const MAX_SAMPLE_BYTES = 64 << 20;

interface Sample {
  /** Decoded bytes from the start of the file (BOM removed, CR line ends turned into LFs). */
  bytes: Uint8Array;
  /** Whether `bytes` is the whole file. */
  whole: boolean;
  lineTerminator: LineTerminator;
  /** Decoded bytes per compressed byte of bz2 data, from the sampled blocks. */
  bz2Ratio?: number;
}

/** The first `want` decoded bytes of a file, with its line terminator detected. */
function readSample(path: string, compression: Compression, want: number, delimiter: number, comment: number): Sample {
  let bytes: Uint8Array;
  let bz2Ratio: number | undefined;
  if (compression === 'bz2') {
    const { decoded, compressedBytes } = bz2PrefixSync(path, want);
    bytes = decoded;
    if (compressedBytes > 0) bz2Ratio = decoded.length / compressedBytes;
  } else {
    bytes = decodedPrefixSync(path, compression, want);
  }
  const whole = compression === 'none' ? statSync(path).size <= want : bytes.length < want;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  // Old-Mac files: no LF anywhere, but CRs. (pandas reads a lone CR as a line end too.)
  const lineTerminator: LineTerminator = bytes.indexOf(10) < 0 && bytes.indexOf(13) >= 0 ? 'cr' : 'lf';
  if (lineTerminator === 'cr') new RecordScanner(delimiter, comment).translateLoneCrs(bytes, whole);
  return bz2Ratio === undefined ? { bytes, whole, lineTerminator } : { bytes, whole, lineTerminator, bz2Ratio };
}

/** What partition planning takes from outside readCsv's options (partition-plan.ts). */
export interface PartitionPlanHints {
  /** Workers a compute is expected to use: readCsv passes the configured numWorkers. Default 1. */
  workers?: number;
  /** Default DEFAULT_MIN_PARTITION_BYTES. */
  minPartitionBytes?: number;
}

/**
 * Whether the sample has a newline inside a quoted field. Only a sample with a quote can; the
 * scan starts after the header, at a record start.
 */
function hasQuotedNewline(body: Uint8Array, delimiter: number, comment: number): boolean {
  if (body.indexOf(34) < 0) return false;
  const scanner = new RecordScanner(delimiter, comment);
  for (let from = 0; from < body.length; ) {
    const newline = body.indexOf(10, from);
    const end = newline < 0 ? body.length : newline;
    scanner.recordEnds(body.subarray(from, end));
    if (newline < 0) return false;
    if (scanner.inQuotes) return true;
    scanner.recordEnds(body.subarray(newline, newline + 1));
    from = newline + 1;
  }
  return false;
}

/** Lists files, samples the first one for the header and dtypes, and plans partitions (partition-plan.ts). */
export function resolveCsvSource(paths: string | readonly string[], options: ReadCsvOptions = {}, plan: PartitionPlanHints = {}): CsvSource {
  checkOptionNames(options);
  const files = listFiles(paths);
  const encoding = options.encoding ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'latin1') throw new DuskSchemaError(`encoding must be 'utf8' or 'latin1', not '${String(encoding)}'`);
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DuskSchemaError(`readCsv: delimiter must be a single ASCII character other than a quote or line break, not ${JSON.stringify(delimiter)}`);
  }
  const hasHeader = options.header ?? true;
  const naValues = [...(options.naValues ?? DEFAULT_NA_VALUES)];
  const onBadLines = options.onBadLines ?? 'error';
  if (!['error', 'skip', 'warn'].includes(onBadLines)) throw new DuskSchemaError(`onBadLines must be 'error', 'skip' or 'warn', not '${onBadLines}'`);
  const comment = options.comment === undefined ? null : singleCharOption('comment', options.comment, delimiter);
  const decimal = options.decimal === undefined ? '.' : singleCharOption('decimal', options.decimal, delimiter);
  if (comment !== null && comment === decimal) throw new DuskSchemaError(`readCsv: comment and decimal cannot both be '${comment}'`);

  const first = files[0]!;
  const firstCompression = resolveCompression(first, options.compression);
  const sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
  const maxSampleBytes = Math.max(MAX_SAMPLE_BYTES, sampleBytes);
  const delimiterCode = delimiter.charCodeAt(0);
  const commentCode = comment === null ? -1 : comment.charCodeAt(0);
  // Read the sample; while it ends inside a quoted field (or before the header line ends), read
  // a larger one, so the sample ends at the end of a record.
  let sample: Sample;
  let headerLine: ReturnType<typeof splitHeaderLine>;
  let recordsEnd: number;
  for (let want = sampleBytes; ; want = Math.min(maxSampleBytes, want * 4)) {
    sample = readSample(first, firstCompression, want, delimiterCode, commentCode);
    if (sample.bytes.length === 0) throw new DuskIoError(`${first}: the file is empty (no header line)`, { path: first });
    headerLine = splitHeaderLine(sample.bytes, delimiter, encoding, { comment, final: sample.whole });
    if (sample.whole) {
      if (headerLine === null) throw new DuskIoError(`${first}: no header line (the file holds only blank${comment === null ? '' : ' or comment'} lines, or ends inside a quoted header field)`, { path: first });
      recordsEnd = sample.bytes.length;
      break;
    }
    // Quote-aware only where quotes or comments can matter; else the last newline ends a record.
    const scanner = new RecordScanner(delimiterCode, commentCode);
    const needsScan = sample.bytes.indexOf(34) >= 0 || (commentCode >= 0 && sample.bytes.indexOf(commentCode) >= 0);
    recordsEnd = needsScan ? scanner.recordEnds(sample.bytes) : sample.bytes.lastIndexOf(10) + 1;
    if (headerLine !== null && !scanner.inQuotes) break;
    if (want >= maxSampleBytes) {
      const openAt = Math.max(0, recordsEnd);
      let line = 1;
      for (let i = sample.bytes.indexOf(10); i >= 0 && i < openAt; i = sample.bytes.indexOf(10, i + 1)) line++;
      throw new DuskIoError(
        `${first}: the first ${want} bytes end inside a quoted field of the record that starts at line ${line} (decoded byte ${openAt}): ` +
          `a quote that is never closed, or a record over ${want} bytes. Check the quotes there, or pass a larger sampleBytes`,
        { path: first },
      );
    }
  }
  const fields = headerLine?.fields ?? [];
  const header = hasHeader ? uniqueColumnNames(fields) : fields.map((_, i) => String(i));
  const body = hasHeader ? sample.bytes.subarray(headerLine!.end, Math.max(headerLine!.end, recordsEnd)) : sample.bytes.subarray(0, Math.max(0, recordsEnd));
  const lineTerminator = sample.lineTerminator;
  let bz2Ratio = sample.bz2Ratio;
  const usecols = options.usecols ?? header;
  for (const name of usecols) if (!header.includes(name)) throw unknownColumnError(name, header, ' in usecols');
  const sniffers = sniffDTypes(body, { delimiter, naValues, comment, decimal }, header, usecols, hasHeader ? headerLine!.lines + 1 : 1, first);
  const dtypes: Record<string, DType> = Object.fromEntries([...sniffers].map(([name, sniffer]) => [name, sniffer.dtype]));
  for (const [name, dtype] of Object.entries(options.dtype ?? {})) {
    if (!header.includes(name)) throw unknownColumnError(name, header, ' in dtype');
    if (name in dtypes) dtypes[name] = checkDType(name, dtype);
  }
  const pathColumn = options.includePathColumn ? (typeof options.includePathColumn === 'string' ? options.includePathColumn : 'path') : null;
  if (pathColumn !== null) {
    if (header.includes(pathColumn)) throw new DuskSchemaError(`includePathColumn: the file already has a column named '${pathColumn}'; pass another name`);
    dtypes[pathColumn] = 'category';
  }
  const textHints = numericTextHints(sniffers, dtypes, naValues);

  const blocksize = options.blocksize === null ? null : parseBytes(options.blocksize ?? DEFAULT_BLOCKSIZE);
  const bz2Blocksize = options.blocksize === null ? null : parseBytes(options.blocksize ?? DEFAULT_BZ2_BLOCKSIZE);
  const cutEvery = { none: blocksize, bz2: bz2Blocksize, gzip: null } as const;
  // A row cut by a partition edge is found by the first newline after the edge (read-partition.ts):
  // a newline inside a quoted field there would be taken for a row end. So files whose sample
  // shows newlines in quoted fields are cut only when the caller asked for a blocksize.
  const cuttable = options.blocksize !== undefined || !hasQuotedNewline(body, delimiterCode, commentCode);
  const listed = files.map((path) => {
    const stat = statSync(path);
    const compression = resolveCompression(path, options.compression);
    if (compression === 'bz2' && bz2Blocksize !== null && stat.size > 0) bz2Ratio ??= sampledBz2Ratio(path, sampleBytes);
    // Blocksize counts decoded bytes: a .bz2 file is sized by the ratio of the blocks sampled.
    const decodedBytes = compression === 'bz2' ? stat.size * (bz2Ratio ?? 1) : stat.size;
    const fileBlocksize = cutEvery[compression];
    const splittable = cuttable && fileBlocksize !== null && stat.size > 0;
    return { path, compression, stat, decodedBytes, splittable, blocksize: fileBlocksize ?? Number.POSITIVE_INFINITY, partitionCost: PARTITION_COST[compression] };
  });
  const counts = partitionCounts(listed, { workers: plan.workers ?? 1, minPartitionBytes: plan.minPartitionBytes ?? DEFAULT_MIN_PARTITION_BYTES });
  const partitions: CsvPartition[] = [];
  const stamps: string[] = [];
  listed.forEach(({ path, compression, stat }, i) => {
    stamps.push(`${path}:${stat.size}:${stat.mtimeMs}`);
    const stamp = { fileSize: stat.size, fileMtimeMs: stat.mtimeMs };
    const count = counts[i]!;
    if (count > 1 && compression === 'none') {
      for (const { start, end } of equalByteRanges(stat.size, count)) partitions.push({ index: partitions.length, path, compression, start, end, ...stamp });
      return;
    }
    if (count > 1 && compression === 'bz2') {
      // Runs of whole blocks in equal compressed byte ranges (found by each task, not here).
      const ranges = planBz2BlockRanges(stat.size, count);
      if (ranges.length > 1) {
        for (const bz2Blocks of ranges) partitions.push({ index: partitions.length, path, compression, start: 0, end: null, bz2Blocks, ...stamp });
        return;
      }
    }
    // gzip stays one partition per file: deflate has no independently decodable blocks (a
    // block's back-references reach 32 kB into earlier output and blocks are not byte aligned or
    // marked), so decoding cannot start mid-file. Only a multi-member file (pigz -i, bgzip)
    // could be split, at member boundaries; that is not done.
    partitions.push({ index: partitions.length, path, compression, start: 0, end: null, ...stamp });
  });
  return {
    kind: 'csv',
    files,
    fingerprint: stamps.join('|'),
    partitions,
    header,
    hasHeader,
    columns: pathColumn === null ? [...usecols] : [...usecols, pathColumn],
    dtypes,
    numericTextHints: textHints,
    pathColumn,
    delimiter,
    encoding,
    naValues,
    onBadLines,
    lineTerminator,
    comment,
    decimal,
  };
}
