import { unshareEverywhere } from '../scheduler/executors.js';
import type { MemoryTable } from '../sources/memory/memory-source.js';

/**
 * In-memory data nobody can reach any more (a fromColumns/fromArrow frame, a persisted one):
 * its columns leave the pools and workers too, when the garbage collector finds the source.
 * Keyed by the source's key in the shared stores.
 */
const dropWhenCollected = new FinalizationRegistry<string>((key) => unshareEverywhere(key));

/** Frees the workers' copies of `source`'s columns once `source` is garbage. */
export function forgetWhenCollected(source: MemoryTable): MemoryTable {
  dropWhenCollected.register(source, source.format.key, source);
  return source;
}

/** Frees them now (unpersist); the collector then has nothing left to do. */
export function forgetNow(source: MemoryTable): void {
  dropWhenCollected.unregister(source);
  unshareEverywhere(source.format.key);
}
