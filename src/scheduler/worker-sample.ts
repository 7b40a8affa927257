import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import type { WorkerSample } from './events.js';
import { now, WORKER } from './run-invocation.js';

/**
 * A function that samples this thread's memory and CPU; each call measures the CPU share since
 * the previous one. A process's CPU clock counts all its threads, so a worker thread reports
 * its event loop's busy share instead (Node 20 has no per-thread CPU clock).
 */
export function workerSampler(kind: WorkerSample['kind'] = isMainThread ? 'process' : 'thread'): () => WorkerSample {
  let lastCpu = process.cpuUsage();
  let lastAt = now();
  let lastLoop = performance.eventLoopUtilization();
  return () => {
    const at = now();
    let cpu: number;
    if (kind === 'process') {
      const used = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      cpu = at > lastAt ? (used.user + used.system) / 1000 / (at - lastAt) : 0;
    } else {
      const loop = performance.eventLoopUtilization();
      cpu = performance.eventLoopUtilization(loop, lastLoop).utilization;
      lastLoop = loop;
    }
    lastAt = at;
    const heap = getHeapStatistics();
    const memory = process.memoryUsage();
    return { type: 'worker-sample', worker: WORKER, kind, at, rss: memory.rss, heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, external: memory.external, cpu: Math.max(0, kind === 'thread' ? Math.min(cpu, 1) : cpu) };
  };
}
