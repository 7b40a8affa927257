import { DuskSchemaError } from '../../core/errors.js';
import type { CompressionOption } from '../../io/compression.js';
import type { OnBadLines } from './csv-parser.js';
import type { DType, Encoding } from '../../core/dtypes.js';
import { checkOptions, type ListsEveryKey } from '../../core/options.js';

/** The readCsv options (see DESIGN.md, "Public contract"). */
export interface ReadCsvOptions {
  /** Default 'infer' from the file extension (.bz2, .gz, else none). */
  compression?: CompressionOption;
  /** Default 'utf8'. Non-UTF-8 bytes in text columns are an error under 'utf8'. */
  encoding?: Encoding;
  /** Per-column dtype; other columns are inferred from a sample of the first file. */
  dtype?: Record<string, DType>;
  /** Keep only these columns. */
  usecols?: string[];
  /** Values read as missing. Default '', 'NA', 'NaN', 'null'. */
  naValues?: string[];
  /** Default ','. */
  delimiter?: string;
  /** Whether the first line of each file names the columns. Default true. */
  header?: boolean;
  /**
   * The most bytes of CSV per partition: files with more are split, into near-equal parts.
   * Default '32MB' for plain files and '64MB' for .bz2 files (see below); null = one partition
   * per file. Under a blocksize, files are also cut so that a read has at least as many
   * partitions as the configured workers (config numWorkers) when the data holds that many of
   * 8 MB, and partition counts even out across files (partition-plan.ts). A partition's rows
   * start at the first newline after its edge, so a newline inside a quoted field near an edge
   * would be taken for a row end: when the sampled rows have newlines in quoted fields, files
   * are cut only if blocksize is given explicitly (as in Dask, the caller vouches for the files).
   *  - plain files: line-aligned byte ranges of near-equal size;
   *  - .bz2 files: runs of whole bz2 blocks holding at most about this many DECOMPRESSED bytes, so a .bz2
   *    file gets about as many partitions as its decompressed copy (a 33 MB .bz2 of 205 MB of
   *    CSV: 4 partitions at 64MB). The decompressed size is estimated from the compressed
   *    size and the ratio of the blocks sampled for the schema; the cut points are compressed
   *    byte offsets found without reading the file. A partition's blocks are re-framed as one
   *    stream for lbzip2 when it is on PATH, else decoded by the bundled WASM libbz2;
   *  - gzip files are never split: deflate cannot be decoded from the middle of a stream.
   */
  blocksize?: number | string | null;
  /** Add a column with each row's file path (named 'path', or the string given). */
  includePathColumn?: boolean | string;
  /** Rows with too many or too few fields: 'error' (default), 'skip' or 'warn' (skip and report). */
  onBadLines?: OnBadLines;
  /**
   * Decoded bytes of the first file sampled to infer dtypes. Default 1 MB. A sample that ends
   * inside a quoted field is extended to the end of that record (up to MAX_SAMPLE_BYTES).
   */
  sampleBytes?: number;
  /**
   * A character that starts a comment, as pandas' `comment`: the rest of the line is ignored,
   * and a line that is only a comment (also before the header) is skipped. Inside a quoted field
   * it is an ordinary character. Default: none. Setting it takes a slower parsing path for the
   * chunks that contain the character.
   */
  comment?: string;
  /**
   * The decimal separator of float values, as pandas' `decimal`: ',' reads European numbers
   * (`1,5` is 1.5; usually with delimiter ';'). With ',' a '.' is not a decimal point, so `1.5`
   * is not a number. Default '.'. Must differ from the delimiter.
   */
  decimal?: string;
}

/** Every option readCsv accepts (an unknown key is refused, not ignored). */
export const READ_CSV_OPTION_KEYS = [
  'compression',
  'encoding',
  'dtype',
  'usecols',
  'naValues',
  'delimiter',
  'header',
  'blocksize',
  'includePathColumn',
  'onBadLines',
  'sampleBytes',
  'comment',
  'decimal',
] as const satisfies readonly (keyof ReadCsvOptions)[];
true satisfies ListsEveryKey<ReadCsvOptions, typeof READ_CSV_OPTION_KEYS>;

/** pandas / Dask names for readCsv options whose spelling is not close to ours. */
const OPTION_ALIASES: Record<string, keyof ReadCsvOptions> = {
  sep: 'delimiter',
  delim: 'delimiter',
  separator: 'delimiter',
  na: 'naValues',
  na_values: 'naValues',
  columns: 'usecols',
  dtypes: 'dtype',
  bad_lines: 'onBadLines',
  error_bad_lines: 'onBadLines',
  on_bad_lines: 'onBadLines',
  include_path_column: 'includePathColumn',
  sample: 'sampleBytes',
  chunksize: 'blocksize',
};

/** Refuses option keys readCsv does not know, naming the closest valid one. */
export function checkOptionNames(options: unknown): void {
  checkOptions('readCsv', options, READ_CSV_OPTION_KEYS, { aliases: OPTION_ALIASES });
}

/** Checks that a one-character option is one ASCII character that does not clash with the CSV syntax. */
export function singleCharOption(name: string, value: unknown, delimiter: string): string {
  if (typeof value !== 'string' || value.length !== 1 || value.charCodeAt(0) > 127) {
    throw new DuskSchemaError(`readCsv: ${name} must be a single ASCII character, not ${JSON.stringify(value)}`);
  }
  if (value === delimiter || value === '"' || value === '\n' || value === '\r') {
    const what = value === delimiter ? `the delimiter ('${delimiter}')` : 'a quote or line break';
    throw new DuskSchemaError(`readCsv: ${name} ${JSON.stringify(value)} cannot be ${what}`);
  }
  return value;
}

export const DEFAULT_NA_VALUES: readonly string[] = ['', 'NA', 'NaN', 'null'];
/**
 * Plain partitions stream (one batch in memory), so they can be small: at 32 MB, 8 files of
 * 51 MB make 16 partitions, and 2 workers finish within a small partition of each other
 * (toArrow: 1.23-1.29 s vs 1.32-1.63 s at 64 MB; reductions unchanged).
 */
export const DEFAULT_BLOCKSIZE = 32_000_000;
/**
 * Each split of a .bz2 file costs a decoder process and one block decoded twice (the partition
 * before decodes the next one's first block, in WASM, to finish its last row): bz2 partitions
 * stay larger than plain ones.
 */
export const DEFAULT_BZ2_BLOCKSIZE = 64_000_000;

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** '64MB' → 64e6, '1 GiB' → 2^30, numbers pass through (as Dask's parse_bytes). */
export function parseBytes(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new DuskSchemaError(`blocksize must be a positive number of bytes, got ${value}`);
    return Math.floor(value);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new DuskSchemaError(`blocksize '${value}' is not a size like 64MB or 1GiB`);
  return parseBytes(Number(m[1]) * unit);
}
