import { DuskSchemaError } from '../../errors.js';
import type { CompressionOption } from '../compression.js';
import type { OnBadLines } from './csv-parser.js';
import type { DType, Encoding } from './dtypes.js';

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
  /** Split plain files larger than this into line-aligned byte ranges; null = one partition per file. Default '64MB'. */
  blocksize?: number | string | null;
  /** Add a column with each row's file path (named 'path', or the string given). */
  includePathColumn?: boolean | string;
  /** Rows with too many or too few fields: 'error' (default), 'skip' or 'warn' (skip and report). */
  onBadLines?: OnBadLines;
  /** Decoded bytes of the first file sampled to infer dtypes. Default 1 MB. */
  sampleBytes?: number;
}

export const DEFAULT_NA_VALUES: readonly string[] = ['', 'NA', 'NaN', 'null'];
export const DEFAULT_BLOCKSIZE = 64_000_000;

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
