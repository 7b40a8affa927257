import type { ReadCsvOptions } from '../sources/csv/csv-options.js';
import { resolveCsvSource } from '../sources/csv/csv-source.js';
import { DataFrame } from './data-frame.js';
import { CsvTable } from '../sources/csv/csv-table.js';
import { plannedWorkers } from '../scheduler/executors.js';

/**
 * A lazy DataFrame over CSV files (a glob, a path, or a list). Lists the files, reads the
 * header and a sample of the first file to infer dtypes, and plans partitions; the data is
 * read only when a result is computed. Large files are cut into near-equal partitions, at least
 * as many as the workers that will read them when the data is big enough (config numWorkers, or
 * an open distributed client's worker threads).
 */
export function readCsv(paths: string | string[], options: ReadCsvOptions = {}): DataFrame {
  return DataFrame.fromSource(new CsvTable(resolveCsvSource(paths, options, { workers: plannedWorkers() })));
}
