import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { DuskIoError } from '../core/errors.js';
import { lazyModule } from '../core/lazy-module.js';

// Loaded for the first path that may be a pattern, not at import (core/lazy-module.ts).
const tinyglobby = lazyModule<typeof import('tinyglobby')>('tinyglobby');
/** Characters without which no path is a glob pattern (picomatch's syntax): a plain path needs no glob library. */
const GLOB_SYNTAX = /[*?[\]{}()!+@\\]/;

/**
 * Expands paths and glob patterns into a sorted list of existing files.
 * Order is lexical within each pattern so partition numbering is stable across runs.
 */
export function listFiles(paths: string | readonly string[], caller = 'readCsv'): string[] {
  const patterns = typeof paths === 'string' ? [paths] : [...paths];
  if (patterns.length === 0) throw new DuskIoError(`${caller}: no paths given`, { path: '' });
  const files: string[] = [];
  for (const pattern of patterns) {
    if (GLOB_SYNTAX.test(pattern) && tinyglobby().isDynamicPattern(pattern)) {
      // Paths come back in the pattern's own style: absolute for an absolute pattern.
      const matched = tinyglobby().globSync(pattern, { absolute: isAbsolute(pattern), onlyFiles: true, expandDirectories: false });
      if (matched.length === 0) {
        throw new DuskIoError(`${caller}: the pattern '${pattern}' matched no files`, { path: pattern });
      }
      files.push(...matched.sort());
    } else {
      let isFile = false;
      try {
        isFile = statSync(pattern).isFile();
      } catch {
        throw new DuskIoError(`${caller}: file not found: '${pattern}'`, { path: pattern });
      }
      if (!isFile) throw new DuskIoError(`${caller}: '${pattern}' is not a file`, { path: pattern });
      files.push(pattern);
    }
  }
  return files;
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
