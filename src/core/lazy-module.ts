import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A module loaded on the first call of the returned function, not when Dusk is imported: each
 * of Dusk's dependencies costs 5–40 ms of CPU to load (acorn, tinyglobby, minizlib, the
 * child_process and zlib builtins), paid by every script and every worker thread that starts,
 * while most runs use few of them. Loaded with require (a package's CommonJS build, or a
 * builtin), so the callers stay synchronous.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
