/**
 * How many partitions each file of a readCsv call gets.
 *
 * A compute's wall time is its slowest worker's: with dynamic allocation (a worker takes the next
 * partition when it is free) that is about total / workers only when the partitions are of
 * near-equal size and their count is a multiple of the workers. Cutting every file into
 * fixed-size blocks gives neither (an 83 MB file at 32 MB blocks is 32 + 32 + 19: on 2 workers
 * one does 64 MB while the other idles after 19), and a file under one block is never split, so
 * one large file runs on one worker. So the plan:
 *  1. every splittable file gets at least ceil(decoded / blocksize) partitions (blocksize stays
 *     the largest partition), every other file one (its size then does not matter);
 *  2. the total is raised to at least `workers` when the data holds `workers` partitions of
 *     minPartitionBytes, then rounded up to a multiple of `workers` (as long as partitions stay
 *     over minPartitionBytes);
 *  3. the partitions added go, one at a time, to the splittable file whose partitions are then
 *     the largest, so sizes even out across files (a large shard among small ones is cut into
 *     pieces the size of the small ones) and within each file (equal cuts);
 *  4. a few more rounds of `workers` partitions are tried, and kept when reading the partitions
 *     in order on `workers` workers (simulated, with a fixed cost per partition) ends sooner. Sizes are decoded
 *     bytes for every codec: a bz2 byte costs more to read than a plain one, so mixed plain and
 *     bz2 reads balance less well; one codec per read is the usual case.
 * The count of workers is the configured default at readCsv time (the partition list is fixed
 * then, as Dask's is): a compute with another count still reads the same rows, in the same
 * order, with the same results; only the balance differs.
 */

/** What planning knows of a file: its size and whether it can be cut. */
export interface PlannedFile {
  /** Estimated decoded (CSV) bytes: the file size for plain files, size × sampled ratio for bz2. */
  decodedBytes: number;
  /** Plain and bz2 files can be cut (byte ranges, runs of blocks); gzip cannot, nor any file under blocksize null. */
  splittable: boolean;
  /** The largest partition of this file, decoded bytes (readCsv's blocksize; a larger default for bz2). */
  blocksize: number;
  /**
   * What a partition of this file costs beyond its bytes, in decoded bytes of reading: a task,
   * and for bz2 the block decoded again at each cut (PARTITION_COST).
   */
  partitionCost: number;
}

/** partitionCost by codec: a task's round trip (~1 ms: ~256 kB parsed); bz2 adds a block (up to 900 kB). */
export const PARTITION_COST = { none: 256 << 10, gzip: 256 << 10, bz2: 1 << 20 } as const;

export interface PartitionPlanOptions {
  /** Workers a compute is expected to use (config numWorkers at readCsv time). */
  workers: number;
  /** Files are not cut into partitions smaller than this (decoded bytes); see DEFAULT_MIN_PARTITION_BYTES. */
  minPartitionBytes: number;
}

/**
 * Files are not cut below this many decoded bytes to fill workers: each cut costs a task and, for
 * bz2, decoding once more the block in which the cut row ends (up to 900 kB of CSV: up to 11% of
 * an 8 MB partition), so cutting smaller data gains less than it costs.
 */
export const DEFAULT_MIN_PARTITION_BYTES = 8 << 20;

/** The number of partitions of each file (same order), by the plan above. */
export function partitionCounts(files: readonly PlannedFile[], options: PartitionPlanOptions): number[] {
  const { minPartitionBytes } = options;
  const workers = Math.max(1, Math.floor(options.workers));
  const counts = files.map((f) => (f.splittable && f.decodedBytes > f.blocksize ? Math.ceil(f.decodedBytes / f.blocksize) : 1));
  const splittableBytes = files.reduce((sum, f) => sum + (f.splittable ? f.decodedBytes : 0), 0);
  const fixed = files.reduce((n, f) => n + (f.splittable ? 0 : 1), 0);
  let total = counts.reduce((a, b) => a + b, 0);
  // Enough data to keep every worker busy with partitions of at least minPartitionBytes.
  const fillable = fixed + Math.floor(splittableBytes / Math.max(1, minPartitionBytes));
  let want = Math.max(total, Math.min(workers, fillable));
  if (want >= workers) want = Math.min(Math.ceil(want / workers) * workers, Math.max(want, fillable));
  /** Adds partitions one at a time where they are largest, up to `want`; false when no cut is left over the minimum. */
  const grow = (): boolean => {
    for (; total < want; total++) {
      let best = -1;
      let bestSize = 0;
      files.forEach((f, i) => {
        if (!f.splittable) return;
        const size = f.decodedBytes / counts[i]!;
        if (size > bestSize && f.decodedBytes / (counts[i]! + 1) >= minPartitionBytes) {
          best = i;
          bestSize = size;
        }
      });
      if (best < 0) return false;
      counts[best]!++;
    }
    return true;
  };
  if (!grow() || workers === 1) return counts;
  // Equal sizes within each file may still leave the workers uneven across files (a large shard
  // in 3 pieces among small shards: the last piece runs alone). Try a few more rounds of
  // `workers` partitions and keep the plan whose simulated wall time is lowest, counting each
  // partition's fixed cost, so more cuts are made only where they pay.
  let best = counts.slice();
  let bestTime = simulatedWall(files, counts, workers);
  for (let round = 0; round < MAX_EXTRA_ROUNDS; round++) {
    want = total + workers;
    if (!grow()) break;
    const time = simulatedWall(files, counts, workers);
    if (time < bestTime * 0.995) {
      best = counts.slice();
      bestTime = time;
    }
  }
  return best;
}

/** Rounds of `workers` extra partitions tried beyond the first plan. */
const MAX_EXTRA_ROUNDS = 8;

/**
 * The wall time, in decoded bytes, of reading the partitions in order on `workers` workers that
 * each take the next partition when free (the scheduler's dynamic allocation); each partition
 * costs its bytes plus its file's partitionCost.
 */
function simulatedWall(files: readonly PlannedFile[], counts: readonly number[], workers: number): number {
  const free = new Float64Array(workers);
  files.forEach((f, i) => {
    const cost = f.decodedBytes / counts[i]! + f.partitionCost;
    for (let k = 0; k < counts[i]!; k++) {
      let w = 0;
      for (let j = 1; j < workers; j++) if (free[j]! < free[w]!) w = j;
      free[w]! += cost;
    }
  });
  return Math.max(...free);
}
/**
 * `parts` byte ranges of near-equal size over a plain file of `size` bytes: [start, end), end null
 * for the last. A range holds the rows that start in it (read-partition.ts), so rows are whole.
 */
export function equalByteRanges(size: number, parts: number): { start: number; end: number | null }[] {
  const n = Math.max(1, Math.min(parts, size));
  const ranges: { start: number; end: number | null }[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * size) / n);
    const end = Math.floor(((i + 1) * size) / n);
    ranges.push({ start, end: i === n - 1 ? null : end });
  }
  return ranges;
}
