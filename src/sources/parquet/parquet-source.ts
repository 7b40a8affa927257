import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { basename } from 'node:path';
import { type DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import { schemaOf, type Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { listFiles } from '../../io/list-files.js';
import type { PushdownCapabilities, Source } from '../source.js';
import { readFooter } from './footer.js';
import type { ParquetFormat, ParquetPartition, PlannedRowGroup } from './parquet-reader.js';

export interface ReadParquetOptions {
  /** Columns to expose (others are never decoded); default: every column. */
  columns?: string[];
  /**
   * Runs of consecutive row groups of one file are joined into a partition while their
   * compressed size stays under this many bytes (a row group is never split). Default 64 MiB.
   */
  blocksize?: number;
}

/** Every ReadParquetOptions key (checked against the interface both ways). */
const OPTION_NAMES = ['columns', 'blocksize'] as const satisfies readonly (keyof ReadParquetOptions)[];
true satisfies ListsEveryKey<ReadParquetOptions, typeof OPTION_NAMES>;
/** A compressed Parquet byte costs about as much to decode as this many bytes of CSV text to parse. */
const DECODE_COST = 4;
const DEFAULT_BLOCKSIZE = 64 << 20;

/** A readParquet call as a Source: files' footers read, row groups planned into partitions. */
export class ParquetTable implements Source {
  readonly kind = 'parquet';
  readonly schema: Schema;
  readonly format: ParquetFormat;
  readonly partitions: ParquetPartition[];
  readonly fingerprint: string;
  readonly pushdown: PushdownCapabilities = { projection: true, limit: true, predicate: true };
  readonly badLines = 'error' as const;
  private readonly files: string[];

  workBytes(): number {
    let total = 0;
    for (const p of this.partitions) for (const g of p.rowGroups) for (const c of this.schema.columns) total += g.bytes[c] ?? 0;
    return total * DECODE_COST;
  }

  constructor(paths: string | string[], options: ReadParquetOptions = {}) {
    checkOptions('readParquet', options, OPTION_NAMES);
    const blocksize = options.blocksize ?? DEFAULT_BLOCKSIZE;
    if (!(blocksize > 0)) throw new DuskSchemaError(`readParquet: blocksize must be a positive number of bytes, not ${String(blocksize)}`);
    this.files = listFiles(paths, 'readParquet');
    const partitions: ParquetPartition[] = [];
    const stamps: string[] = [];
    let columns: string[] | null = null;
    let dtypes: Record<string, DType> = {};
    let firstFile = '';
    let firstStamp = { fileSize: 0, fileMtimeMs: 0 };
    for (const path of this.files) {
      const { footer, size, mtimeMs } = readFooter(path);
      stamps.push(`${path}:${size}:${mtimeMs}`);
      const byName = new Map(footer.columns.map((c) => [c.name, c]));
      if (columns === null) {
        firstFile = path;
        const all = footer.columns.map((c) => c.name);
        columns = options.columns ? [...options.columns] : all;
        for (const name of columns) if (!byName.has(name)) throw unknownColumnError(name, all, ` in ${path}`);
        for (const name of columns) {
          const column = byName.get(name)!;
          if (column.dtype === null) {
            const others = columns.filter((c) => byName.get(c)!.dtype !== null);
            throw new DuskSchemaError(
              `${path}: column '${name}' has Parquet type ${column.type}, which Dusk cannot read (it reads booleans, integers, floats and UTF-8 strings); ` +
                `leave it out with columns: ${JSON.stringify(others)}`,
            );
          }
        }
        dtypes = Object.fromEntries(columns.map((c) => [c, byName.get(c)!.dtype!]));
      } else {
        for (const name of columns) {
          const column = byName.get(name);
          if (!column) throw new DuskSchemaError(`${path}: no column '${name}', which ${firstFile} has (every file of a readParquet call needs the columns read)`);
          if (column.dtype !== dtypes[name]) {
            throw new DuskSchemaError(`${path}: column '${name}' is ${column.type} (read as ${column.dtype ?? 'nothing Dusk supports'}), but ${dtypes[name]} in ${firstFile}`);
          }
        }
      }
      const stamp = { fileSize: size, fileMtimeMs: mtimeMs };
      if (path === firstFile) firstStamp = stamp;
      let run: PlannedRowGroup[] = [];
      let runBytes = 0;
      const flush = () => {
        if (run.length > 0) partitions.push({ index: partitions.length, path, rowGroups: run, ...stamp });
        run = [];
        runBytes = 0;
      };
      footer.rowGroups.forEach((rg, index) => {
        const bytes = Object.fromEntries(columns!.map((c) => [c, rg.bytes[c] ?? 0]));
        const stats = Object.fromEntries(columns!.filter((c) => rg.stats[c]).map((c) => [c, rg.stats[c]!]));
        const total = Object.values(rg.bytes).reduce((a, b) => a + b, 0);
        if (run.length > 0 && runBytes + total > blocksize) flush();
        run.push({ index, numRows: rg.numRows, bytes, stats });
        runBytes += total;
      });
      flush();
    }
    // Files without row groups (no rows): one empty partition keeps the frame's shape.
    if (partitions.length === 0) {
      partitions.push({ index: 0, path: firstFile, rowGroups: [], ...firstStamp });
    }
    this.partitions = partitions;
    this.fingerprint = stamps.join('|');
    this.format = { columns: columns!, dtypes };
    this.schema = schemaOf(columns!, dtypes);
  }

  describe(): string {
    const what = this.files.length === 1 ? this.files[0] : `${this.files.length} files (${this.files[0]} …)`;
    const rowGroups = this.partitions.reduce((n, p) => n + p.rowGroups.length, 0);
    return `parquet ${what}, ${this.partitions.length} partitions of ${rowGroups} row groups; skips row groups by min/max`;
  }

  partitionLabel(i: number): string {
    const p = this.partitions[i]!;
    const first = p.rowGroups[0]?.index;
    const last = p.rowGroups.at(-1)?.index;
    return `${basename(p.path)} rg ${first === last ? String(first) : `${first}–${last}`}`;
  }
}
