/**
 * Error types shared by every layer. Each names where the problem is (file, byte offset,
 * line, column) so a user can go straight to it; messages say what was expected and found.
 */

export class DuskError extends Error {
  override name = 'DuskError';
}

/** A file could not be listed, opened, read or decompressed. */
export class DuskIoError extends DuskError {
  override name = 'DuskIoError';
  readonly path: string;
  /** Byte offset in the file (compressed bytes) where the problem was seen, if known. */
  readonly offset: number | undefined;
  constructor(message: string, where: { path: string; offset?: number }, options?: { cause?: unknown }) {
    super(message, options);
    this.path = where.path;
    this.offset = where.offset;
  }
}

/** A CSV row or value does not fit the schema. */
export class DuskParseError extends DuskError {
  override name = 'DuskParseError';
  readonly path: string;
  /** 1-based line number in the decoded file (the header is line 1). */
  readonly line: number;
  readonly column: string | undefined;
  readonly value: string | undefined;
  constructor(message: string, where: { path: string; line: number; column?: string; value?: string }) {
    super(message);
    this.path = where.path;
    this.line = where.line;
    this.column = where.column;
    this.value = where.value;
  }
}

/** A column name, dtype or option that the data does not have or accept. */
export class DuskSchemaError extends DuskError {
  override name = 'DuskSchemaError';
}

/** A task failed on a worker; carries the task key and the worker's stack. */
export class DuskTaskError extends DuskError {
  override name = 'DuskTaskError';
  readonly taskKey: string;
  readonly workerStack: string | undefined;
  constructor(message: string, taskKey: string, workerStack?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.taskKey = taskKey;
    this.workerStack = workerStack;
  }
}
