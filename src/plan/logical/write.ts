import { schemaOf, type Schema } from '../../core/schema.js';
import type { CsvWriteFormat } from '../../io/write/csv-writer.js';
import type { ParquetWriteFormat } from '../../io/write/parquet-writer.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/** The file format of a write and its settings (plain data: it travels to the workers). */
export type WriteFormat = CsvWriteFormat | ParquetWriteFormat;

/** What a write gives back: one row per file written. */
export const WRITE_RESULT_SCHEMA: Schema = schemaOf(['file', 'rows', 'bytes'], { file: 'string', rows: 'int64', bytes: 'int64' });

/**
 * Every row of the input written to a directory, one file per partition (toParquet, toCsv).
 * Its result is a small table: one row per file (name, rows, bytes), one partition. The files
 * appear in `target` only once all of them are complete (lowerings/write.ts).
 */
export class Write extends UnaryPlan {
  readonly schema = WRITE_RESULT_SCHEMA;

  constructor(
    readonly input: LogicalPlan,
    /** Absolute path of the directory to write. */
    readonly target: string,
    readonly format: WriteFormat,
    readonly overwrite: boolean,
    /** The user's call, for messages ("toParquet('out/x')"). */
    readonly call: string,
  ) {
    super();
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Write(input, this.target, this.format, this.overwrite, this.call);
  }
  // Every column of the input is written (the default childColumnsRequired: all of them).
  override partitionCount(): number {
    return 1;
  }
  describe(): string {
    return `Write ${this.format.kind} to ${this.target} (one file per partition${this.overwrite ? ', overwrite' : ''})`;
  }
}
