import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuskIoError } from '../../src/core/errors.js';
import { decodeBz2, resolveBz2Decoder } from '../../src/io/codecs/bz2.js';

const root = mkdtempSync(join(tmpdir(), 'dusk-bz2-path-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A PATH directory holding executables with the given names (scripts that decode nothing). */
function pathWith(...names: string[]): string {
  const dir = join(root, names.join('+') || 'none');
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 3\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('resolveBz2Decoder', () => {
  const saved = { PATH: process.env['PATH'], DUSK_BZ2_DECODER: process.env['DUSK_BZ2_DECODER'] };
  beforeEach(() => {
    delete process.env['DUSK_BZ2_DECODER'];
  });
  afterEach(() => {
    process.env['PATH'] = saved.PATH;
    if (saved.DUSK_BZ2_DECODER === undefined) delete process.env['DUSK_BZ2_DECODER'];
    else process.env['DUSK_BZ2_DECODER'] = saved.DUSK_BZ2_DECODER;
  });

  it("'auto' is Dusk's WASM decoder whatever is on PATH (measured faster per core than lbzip2 -n 1)", () => {
    for (const tools of [['lbzip2', 'bzip2'], ['bzip2'], []]) {
      process.env['PATH'] = pathWith(...tools);
      const r = resolveBz2Decoder();
      expect(r, tools.join('+')).toMatchObject({ decoder: 'wasm', reason: expect.stringMatching(/faster per core than lbzip2/) });
      expect(r.command).toBeUndefined();
    }
  });

  it("'system' runs lbzip2 (single-threaded) when it is on PATH, else bzip2", () => {
    const dir = pathWith('lbzip2', 'bzip2');
    process.env['PATH'] = dir;
    process.env['DUSK_BZ2_DECODER'] = 'system';
    expect(resolveBz2Decoder().command).toBe(`${join(dir, 'lbzip2')} -d -c -n 1`);
    process.env['PATH'] = pathWith('bzip2');
    expect(resolveBz2Decoder().command).toMatch(/bzip2 -d -c$/);
  });

  it('obeys DUSK_BZ2_DECODER', () => {
    process.env['PATH'] = pathWith('lbzip2');
    process.env['DUSK_BZ2_DECODER'] = 'wasm';
    expect(resolveBz2Decoder().decoder).toBe('wasm');
    process.env['DUSK_BZ2_DECODER'] = 'wasm-libbz2';
    expect(resolveBz2Decoder()).toMatchObject({ decoder: 'wasm-libbz2', reason: expect.stringMatching(/libbz2/) });
    process.env['PATH'] = pathWith('bzip2');
    process.env['DUSK_BZ2_DECODER'] = 'system';
    expect(resolveBz2Decoder()).toMatchObject({ decoder: 'system', command: expect.stringMatching(/bzip2 -d -c$/) });
    process.env['PATH'] = pathWith();
    expect(() => resolveBz2Decoder()).toThrow(/neither lbzip2 nor bzip2 is on PATH/);
    process.env['DUSK_BZ2_DECODER'] = 'fast';
    expect(() => resolveBz2Decoder()).toThrow(/DUSK_BZ2_DECODER must be/);
  });

  it("decodeBz2 with decoder 'system' and no tool fails naming the file; 'wasm' needs no tool", async () => {
    process.env['PATH'] = pathWith();
    const path = join(import.meta.dirname, '../../fixtures/bz2/latin1.txt.bz2');
    expect(() => decodeBz2((async function* () {})(), { path, decoder: 'system' })).toThrow(DuskIoError);
    let n = 0;
    const bytes = new Uint8Array(readFileSync(path));
    for await (const c of decodeBz2((async function* () { yield bytes; })(), { path })) {
      n += c.length;
    }
    expect(n).toBe(10261);
  });

  it('a failing system decoder surfaces as a DuskIoError with its exit status', async () => {
    // pathWith's lbzip2 exits 3 without output: 'system' picks it and must report the failure.
    process.env['PATH'] = pathWith('lbzip2');
    const path = join(import.meta.dirname, '../../fixtures/bz2/latin1.txt.bz2');
    const bytes = new Uint8Array(readFileSync(path));
    const run = async () => {
      for await (const _ of decodeBz2((async function* () { yield bytes; })(), { path, decoder: 'system' })) void _;
    };
    await expect(run()).rejects.toThrow(/bz2 decoding failed: .*lbzip2 -d -c -n 1 failed \(exit status 3\)/);
  });
});
