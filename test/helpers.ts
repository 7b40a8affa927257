import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnBatch } from '../src/core/column-data.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Rows of string columns as JS arrays (null for missing), for comparing parsers. */
export function batchRows(batches: ColumnBatch[]): (string | null)[][] {
  const decoder = new TextDecoder();
  const rows: (string | null)[][] = [];
  for (const batch of batches) {
    for (let r = 0; r < batch.length; r++) {
      rows.push(
        batch.columns.map((col) => {
          if (col.dtype !== 'string') throw new Error('batchRows reads string columns only');
          if (col.validity !== null && (col.validity[r >> 3]! & (1 << (r & 7))) === 0) return null;
          return decoder.decode(col.data.subarray(col.offsets[r]!, col.offsets[r + 1]!));
        }),
      );
    }
  }
  return rows;
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = 'dusk-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small deterministic PRNG (mulberry32) for generated test inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The path of a program on PATH, or undefined. */
export function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The error a call throws (fails the test when it throws none). */
export function errorOf(call: () => unknown): Error {
  try {
    call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
