/**
 * What the io layer did for one task: which files it opened and how many bytes it read.
 * Tasks return these with their results so the scheduler can report (and tests can prove)
 * that a compute call reads each input once, on any scheduler.
 */
export interface IoMetrics {
  /** path → number of times the file was opened. */
  opens: Record<string, number>;
  /** Bytes read from disk (compressed). */
  bytesRead: number;
  /** Bytes after decompression. */
  bytesDecoded: number;
  /** Rows skipped by onBadLines 'skip' / 'warn', with the first few locations. */
  badLines: number;
  badLineSamples: string[];
  /** Bytes of shuffled rows written to scratch files (ComputeOptions.shuffleMemory). */
  bytesSpilled: number;
}

export function emptyMetrics(): IoMetrics {
  return { opens: {}, bytesRead: 0, bytesDecoded: 0, badLines: 0, badLineSamples: [], bytesSpilled: 0 };
}

export function mergeMetrics(into: IoMetrics, from: IoMetrics): void {
  for (const [path, n] of Object.entries(from.opens)) into.opens[path] = (into.opens[path] ?? 0) + n;
  into.bytesRead += from.bytesRead;
  into.bytesDecoded += from.bytesDecoded;
  into.badLines += from.badLines;
  into.bytesSpilled += from.bytesSpilled;
  for (const s of from.badLineSamples) if (into.badLineSamples.length < 10) into.badLineSamples.push(s);
}

/** Live byte counts for progress bars, updated while a task runs (possibly in another thread). */
export interface ProgressSink {
  addBytesRead(n: number): void;
}

export const noProgress: ProgressSink = { addBytesRead() {} };
