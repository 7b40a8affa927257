import { statSync } from 'node:fs';
import { DuskIoError, DuskSchemaError } from '../../core/errors.js';
import { type Compression, resolveCompression } from '../../io/compression.js';
import { type Bz2BlockRange, planBz2BlockRanges } from '../../io/codecs/bz2-block-range.js';
import { bz2PrefixSync, decodedPrefixSync } from '../../io/decode.js';
import { listFiles } from '../../io/list-files.js';
import { DEFAULT_BLOCKSIZE, DEFAULT_BZ2_BLOCKSIZE, DEFAULT_NA_VALUES, parseBytes, type ReadCsvOptions } from './csv-options.js';
import { CsvParser, type OnBadLines, type ParseSpec } from './csv-parser.js';
import { isValid } from '../../core/column-data.js';
import { checkDType, type DType, type Encoding } from '../../core/dtypes.js';
import { DTypeSniffer } from './infer-dtype.js';
import { splitHeaderLine } from './header.js';
import { unknownColumnError } from '../../core/unknown-column.js';

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
}

/** How to parse the files of one readCsv call: what every partition task needs to know. */
export interface CsvFormat {
  /** Every field name in file order (from the first file's header). */
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
}

/** A resolved readCsv call: files, partitions and format. Plain data. */
export interface CsvSource extends CsvFormat {
  kind: 'csv';
  files: string[];
  /** Sizes and modification times: part of task keys, so a changed file is not a cache hit. */
  fingerprint: string;
  partitions: CsvPartition[];
}

/** The part of a source that partition tasks carry (not the list of every partition). */
export function formatOf(source: CsvSource): CsvFormat {
  const { kind: _kind, files: _files, fingerprint: _fingerprint, partitions: _partitions, ...format } = source;
  return format;
}

const DEFAULT_SAMPLE_BYTES = 1 << 20;

/** Infers each wanted column's dtype from the non-missing values of a sample of rows. */
function sniffDTypes(sample: Uint8Array, delimiter: string, naValues: string[], header: string[], wanted: readonly string[], firstLine: number, path: string): Record<string, DType> {
  const spec: ParseSpec = {
    delimiter,
    fieldCount: header.length,
    columns: wanted.map((name) => ({ index: header.indexOf(name), name, dtype: 'string' as const })),
    naValues,
    // latin1 never fails: the real read checks the encoding of the columns actually used.
    encoding: 'latin1',
    onBadLines: 'skip',
    batchRows: 1 << 16,
  };
  const parser = new CsvParser(spec, { path, firstLine });
  const sniffers = wanted.map(() => new DTypeSniffer());
  for (const batch of parser.finish(parser.push(sample))) {
    batch.columns.forEach((col, i) => {
      if (col.dtype !== 'string') return;
      for (let r = 0; r < col.length; r++) if (isValid(col.validity, r)) sniffers[i]!.add(col.data, col.offsets[r]!, col.offsets[r + 1]!);
    });
  }
  return Object.fromEntries(wanted.map((name, i) => [name, sniffers[i]!.dtype]));
}

/** Drops the row cut at the end of a sample so it is not mistaken for a short row. */
function completeRowsOnly(sample: Uint8Array, isWholeFile: boolean): Uint8Array {
  if (isWholeFile) return sample;
  const lastNewline = sample.lastIndexOf(10);
  return lastNewline < 0 ? sample : sample.subarray(0, lastNewline + 1);
}

/** Decoded / compressed bytes of the first blocks of a .bz2 file (when the first file was not bz2). */
function sampledBz2Ratio(path: string, sampleBytes: number): number {
  const { decoded, compressedBytes } = bz2PrefixSync(path, Math.min(sampleBytes, DEFAULT_SAMPLE_BYTES));
  return compressedBytes > 0 ? decoded.length / compressedBytes : 1;
}

/** Lists files, samples the first one for the header and dtypes, and plans partitions. */
export function resolveCsvSource(paths: string | readonly string[], options: ReadCsvOptions = {}): CsvSource {
  const files = listFiles(paths);
  const encoding = options.encoding ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'latin1') throw new DuskSchemaError(`encoding must be 'utf8' or 'latin1', not '${String(encoding)}'`);
  const delimiter = options.delimiter ?? ',';
  const hasHeader = options.header ?? true;
  const naValues = [...(options.naValues ?? DEFAULT_NA_VALUES)];
  const onBadLines = options.onBadLines ?? 'error';
  if (!['error', 'skip', 'warn'].includes(onBadLines)) throw new DuskSchemaError(`onBadLines must be 'error', 'skip' or 'warn', not '${onBadLines}'`);

  const first = files[0]!;
  const firstCompression = resolveCompression(first, options.compression);
  const sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
  let sample: Uint8Array;
  /** Decoded bytes per compressed byte of bz2 data, from a sample: sizes bz2 partitions. */
  let bz2Ratio: number | undefined;
  if (firstCompression === 'bz2') {
    const { decoded, compressedBytes } = bz2PrefixSync(first, sampleBytes);
    sample = decoded;
    if (compressedBytes > 0) bz2Ratio = decoded.length / compressedBytes;
  } else {
    sample = decodedPrefixSync(first, firstCompression, sampleBytes);
  }
  const whole = firstCompression === 'none' ? statSync(first).size <= sampleBytes : sample.length < sampleBytes;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) sample = sample.subarray(3);
  if (sample.length === 0) throw new DuskIoError(`${first}: the file is empty (no header line)`, { path: first });

  const headerLine = splitHeaderLine(sample, delimiter, encoding);
  if (headerLine === null) throw new DuskIoError(`${first}: no complete first line in the first ${sampleBytes} bytes`, { path: first });
  const header = hasHeader ? headerLine.fields : headerLine.fields.map((_, i) => String(i));
  const body = hasHeader ? sample.subarray(headerLine.end) : sample;
  const usecols = options.usecols ?? header;
  for (const name of usecols) if (!header.includes(name)) throw unknownColumnError(name, header, ' in usecols');
  const dtypes = sniffDTypes(completeRowsOnly(body, whole), delimiter, naValues, header, usecols, hasHeader ? 2 : 1, first);
  for (const [name, dtype] of Object.entries(options.dtype ?? {})) {
    if (!header.includes(name)) throw unknownColumnError(name, header, ' in dtype');
    if (name in dtypes) dtypes[name] = checkDType(name, dtype);
  }
  const pathColumn = options.includePathColumn ? (typeof options.includePathColumn === 'string' ? options.includePathColumn : 'path') : null;
  if (pathColumn !== null) {
    if (header.includes(pathColumn)) throw new DuskSchemaError(`includePathColumn: the file already has a column named '${pathColumn}'; pass another name`);
    dtypes[pathColumn] = 'category';
  }

  const blocksize = options.blocksize === null ? null : parseBytes(options.blocksize ?? DEFAULT_BLOCKSIZE);
  const bz2Blocksize = options.blocksize === null ? null : parseBytes(options.blocksize ?? DEFAULT_BZ2_BLOCKSIZE);
  const partitions: CsvPartition[] = [];
  const stamps: string[] = [];
  for (const path of files) {
    const stat = statSync(path);
    stamps.push(`${path}:${stat.size}:${stat.mtimeMs}`);
    const compression = resolveCompression(path, options.compression);
    if (compression === 'none' && blocksize !== null && stat.size > blocksize) {
      for (let start = 0; start < stat.size; start += blocksize) {
        const end = Math.min(start + blocksize, stat.size);
        partitions.push({ index: partitions.length, path, compression, start, end: end === stat.size ? null : end });
      }
      continue;
    }
    if (compression === 'bz2' && bz2Blocksize !== null && stat.size > 0) {
      // Split by blocks when the decoded size, estimated from the sampled blocks' ratio, is over
      // blocksize: a .bz2 file gets about as many partitions as its decompressed copy would.
      bz2Ratio ??= sampledBz2Ratio(path, sampleBytes);
      const estimated = stat.size * bz2Ratio;
      const ranges = estimated > bz2Blocksize ? planBz2BlockRanges(stat.size, Math.ceil(estimated / bz2Blocksize)) : [];
      if (ranges.length > 1) {
        for (const bz2Blocks of ranges) partitions.push({ index: partitions.length, path, compression, start: 0, end: null, bz2Blocks });
        continue;
      }
    }
    // gzip stays one partition per file: deflate has no independently decodable blocks (a
    // block's back-references reach 32 kB into earlier output and blocks are not byte aligned or
    // marked), so decoding cannot start mid-file. Only a multi-member file (pigz -i, bgzip)
    // could be split, at member boundaries; that is not done.
    partitions.push({ index: partitions.length, path, compression, start: 0, end: null });
  }
  return {
    kind: 'csv',
    files,
    fingerprint: stamps.join('|'),
    partitions,
    header,
    hasHeader,
    columns: pathColumn === null ? [...usecols] : [...usecols, pathColumn],
    dtypes,
    pathColumn,
    delimiter,
    encoding,
    naValues,
    onBadLines,
  };
}
