/**
 * The task of the course unit's scenario 6: a fake "analysis" of a big array that reports
 * which copy of the array it saw and where it ran. Workers import this module to find the
 * task: keep it free of top-level work.
 */
import { threadId } from 'node:worker_threads';
import * as ddf from 'dusk';

/** Object ids, like Python's id(x): a number per distinct array object this thread has seen. */
const ids = new WeakMap<object, number>();
let lastId = 0;

export interface AnalysisResult {
  i: number;
  /** Which array object the task got: equal ids in one thread = the same object (no new copy). */
  objectId: number;
  pid: number;
  threadId: number;
  /** Whether the array's memory is shared (a SharedArrayBuffer): threads then read one buffer. */
  sharedMemory: boolean;
  mean: number;
  /** Resident memory of the process the task ran in, in MB. */
  rssMB: number;
}

/** The unit's do_analysis(i, x): prints (here: returns) object id and process id, returns mean(x). */
export const doAnalysis = ddf.task(import.meta.url, function doAnalysis(i: number, x: Float64Array): AnalysisResult {
  let objectId = ids.get(x);
  if (objectId === undefined) ids.set(x, (objectId = ++lastId));
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k]!;
  return {
    i,
    objectId,
    pid: process.pid,
    threadId,
    sharedMemory: x.buffer instanceof SharedArrayBuffer,
    mean: sum / x.length,
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
});
