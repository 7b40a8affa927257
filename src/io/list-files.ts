import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { DuskIoError } from '../core/errors.js';

/**
 * Expands paths and glob patterns into a sorted list of existing files.
 * Order is lexical within each pattern so partition numbering is stable across runs.
 */
export function listFiles(paths: string | readonly string[]): string[] {
  const patterns = typeof paths === 'string' ? [paths] : [...paths];
  if (patterns.length === 0) throw new DuskIoError('readCsv: no paths given', { path: '' });
  const files: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      // Paths come back in the pattern's own style: absolute for an absolute pattern.
      const matched = globSync(pattern, { absolute: isAbsolute(pattern), onlyFiles: true, expandDirectories: false });
      if (matched.length === 0) {
        throw new DuskIoError(`readCsv: the pattern '${pattern}' matched no files`, { path: pattern });
      }
      files.push(...matched.sort());
    } else {
      let isFile = false;
      try {
        isFile = statSync(pattern).isFile();
      } catch {
        throw new DuskIoError(`readCsv: file not found: '${pattern}'`, { path: pattern });
      }
      if (!isFile) throw new DuskIoError(`readCsv: '${pattern}' is not a file`, { path: pattern });
      files.push(pattern);
    }
  }
  return files;
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
