import { type ReadParquetOptions, ParquetTable } from '../sources/parquet/parquet-source.js';
import { DataFrame } from './data-frame.js';

/**
 * A lazy DataFrame over Parquet files (a glob, a path, or a list). Reads each file's footer
 * (schema, row groups, statistics) now; partitions are runs of row groups, decoded in the
 * workers only when a result is computed: only the columns used, and only the row groups whose
 * min/max statistics let a row pass the filters.
 */
export function readParquet(paths: string | string[], options: ReadParquetOptions = {}): DataFrame {
  return DataFrame.fromSource(new ParquetTable(paths, options));
}
