import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RowSplitter } from '../../../src/sources/csv/row-splitter.js';
import { rng, tempDir } from '../../helpers.js';

interface Split {
  rows: number[][];
  consumed: number;
  stoppedAtQuote: boolean;
}

/** The kernel's contract, written as the simplest byte loop (one row per array: start, field count, then start/end per projected field). */
const PLAIN_INT = /^[+-]?\d{1,9}$/;

function referenceSplit(buf: Uint8Array, from: number, final: boolean, delimiter: number, fieldCount: number, projected: number[], intSlots: boolean[], maxRows: number): Split {
  const rows: number[][] = [];
  let pos = from;
  while (pos < buf.length && rows.length < maxRows) {
    let end = pos;
    let quote = false;
    while (end < buf.length && buf[end] !== 10) if (buf[end++] === 34) quote = true;
    if (quote) return { rows, consumed: pos, stoppedAtQuote: true };
    if (end === buf.length && !final) break;
    const lineEnd = end;
    const starts = [pos];
    for (let i = pos; i < lineEnd; i++) if (buf[i] === delimiter) starts.push(i + 1);
    const ends = starts.slice(1).map((s) => s - 1);
    ends.push(lineEnd > pos && buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd);
    if (starts.length === 1 && ends[0] === pos && (lineEnd === pos || lineEnd === pos + 1)) {
      // "\n" or "\r\n" (or a lone "\r" at the very end): a blank line
      const blank = lineEnd === pos || buf[pos] === 13;
      if (blank) {
        rows.push([pos, 0]);
        pos = Math.min(lineEnd + 1, buf.length);
        continue;
      }
    }
    const row = [pos, starts.length];
    // Field offsets matter only for complete rows: the parser reports any other as a bad line.
    if (starts.length === fieldCount) {
      projected.forEach((field, slot) => {
        const text = String.fromCharCode(...buf.subarray(starts[field]!, ends[field]!));
        // An integer slot's plain integers come parsed: [value, -1].
        row.push(...(intSlots[slot] && PLAIN_INT.test(text) ? [Number.parseInt(text, 10) | 0, -1] : [starts[field]!, ends[field]!]));
      });
    }
    rows.push(row);
    pos = Math.min(lineEnd + 1, buf.length);
  }
  return { rows, consumed: pos, stoppedAtQuote: false };
}

function kernelSplit(splitter: RowSplitter, buf: Uint8Array, from: number, final: boolean, fieldCount: number, projected: number[]): Split {
  const n = splitter.split(from, final);
  const rows: number[][] = [];
  for (let r = 0; r < n; r++) {
    const at = r * splitter.stride;
    const fields = splitter.index[at + 1]!;
    const row = [splitter.index[at]!, fields];
    if (fields === fieldCount) for (let p = 0; p < projected.length; p++) row.push(splitter.index[at + 2 + 2 * p]!, splitter.index[at + 3 + 2 * p]!);
    rows.push(row);
  }
  return { rows, consumed: splitter.consumed, stoppedAtQuote: splitter.stoppedAtQuote };
}

describe('the WASM row splitter', () => {
  it('agrees with a byte-at-a-time reference on random inputs (blank lines, CRLF, ragged rows, quotes, integers parsed in place, every 64-byte alignment)', () => {
    const random = rng(42);
    const alphabet = ['a', 'b', '7', '12', '-', '+', ',', ',', ',', '\n', '\n', '\r\n', '\r', '"', ';', '1234567890'];
    let compared = 0;
    let parsedInts = 0;
    for (let trial = 0; trial < 400; trial++) {
      const fieldCount = 1 + Math.floor(random() * 6);
      const delimiter = random() < 0.8 ? 44 : 59;
      const projected = [...new Set(Array.from({ length: Math.floor(random() * (fieldCount + 1)) }, () => Math.floor(random() * fieldCount)))].sort((a, b) => a - b);
      const intSlots = projected.map(() => random() < 0.5);
      const quoteRate = random() < 0.5 ? 0 : 0.01;
      let text = '';
      const length = Math.floor(random() * (trial % 10 === 0 ? 40_000 : 400));
      while (text.length < length) {
        const ch = alphabet[Math.floor(random() * alphabet.length)]!;
        if (ch === '"' && random() > quoteRate * 12) continue;
        text += ch;
      }
      const buf = new TextEncoder().encode(text);
      const splitter = new RowSplitter(delimiter, fieldCount, projected, intSlots);
      splitter.load(buf);
      for (const final of [false, true]) {
        let from = 0;
        for (;;) {
          const got = kernelSplit(splitter, buf, from, final, fieldCount, projected);
          const want = referenceSplit(buf, from, final, delimiter, fieldCount, projected, intSlots, 2048);
          expect(got, `trial ${trial}, final ${final}, from ${from}`).toEqual(want);
          compared += got.rows.length;
          for (const row of got.rows) for (let k = 3; k < row.length; k += 2) if (row[k] === -1) parsedInts++;
          if (got.rows.length < 2048 || got.stoppedAtQuote) break;
          from = got.consumed;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(parsedInts).toBeGreaterThan(200);
  });

  // Another clang version may emit other (equally valid) bytes: compare only with the compiler that built it.
  const committedSource = readFileSync(join(import.meta.dirname, '..', '..', '..', 'src/sources/csv/wasm/split-rows.wasm.ts'), 'utf8');
  const builtWith = committedSource.match(/^\/\/ Compiler: (.*)$/m)?.[1];
  const localClang = spawnSync('clang', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0];
  const clang = localClang !== undefined && localClang === builtWith && spawnSync('wasm-ld', ['--version']).status === 0;
  it.skipIf(!clang)(`the committed kernel is what scripts/build-wasm.sh builds from its C source (needs ${builtWith} and wasm-ld)`, () => {
    const { dir, remove } = tempDir('wasm-');
    try {
      const root = join(import.meta.dirname, '..', '..', '..');
      execFileSync('bash', [join(root, 'scripts/build-wasm.sh'), dir]);
      const name = 'split-rows.wasm.ts';
      expect(readFileSync(join(dir, name), 'utf8')).toBe(committedSource);
    } finally {
      remove();
    }
  });
});
