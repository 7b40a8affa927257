import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuskIoError } from '../../src/core/errors.js';
import { decodeBz2 } from '../../src/io/codecs/bz2.js';
import { scanBz2Magics } from '../../src/io/codecs/bz2-blocks.js';
import { decodeBz2System, type Bz2Command } from '../../src/io/codecs/bz2-system.js';
import { decodeBz2Wasm } from '../../src/io/codecs/bz2-wasm-stream.js';
import { which } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/bz2');
const good = new Uint8Array(readFileSync(join(FIXTURES, 'multiblock.csv.bz2')));
const magics = scanBz2Magics(good);
const blockStart = (i: number) => magics[i]!.bit >>> 3;
const eos = magics.at(-1)!;

type Decode = (chunks: AsyncIterable<Uint8Array>, path: string) => AsyncIterable<Uint8Array>;
const decoders: Array<[string, Decode]> = [
  ['wasm', (c, p) => decodeBz2Wasm(c, p)],
  ['wasm-libbz2', (c, p) => decodeBz2Wasm(c, p, 'libbz2')],
];
const BZIP2 = which('bzip2');
const LBZIP2 = which('lbzip2');
if (BZIP2) decoders.push(['system bzip2', (c, p) => decodeBz2System(c, p, { file: BZIP2, args: ['-d', '-c'] })]);
if (LBZIP2) decoders.push(['system lbzip2', (c, p) => decodeBz2System(c, p, { file: LBZIP2, args: ['-d', '-c', '-n', '1'] })]);

const dir = mkdtempSync(join(tmpdir(), 'dusk-bz2-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Record<string, { sha256: string }>;
/** The true output of a good fixture (checked against the Python-made manifest). */
async function truthOf(name: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of decodeBz2Wasm(createReadStream(join(FIXTURES, name)), name)) parts.push(c);
  const out = Buffer.concat(parts);
  expect(createHash('sha256').update(out).digest('hex')).toBe(manifest[name]!.sha256);
  return out;
}
const reference = await truthOf('multiblock.csv.bz2');

/**
 * Writes `bytes` to a real file and decodes it from disk; returns the error thrown. Whatever was
 * yielded before the error must be verified data: a prefix of the true output of the good file.
 */
async function decodeError(decode: Decode, name: string, bytes: Uint8Array, truth: Uint8Array = reference): Promise<DuskIoError> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of decode(createReadStream(path, { highWaterMark: 8192 }), path)) parts.push(chunk);
  } catch (err) {
    expect(err).toBeInstanceOf(DuskIoError);
    const e = err as DuskIoError;
    expect(e.path).toBe(path);
    expect(e.message).toContain(path);
    const before = Buffer.concat(parts);
    expect(before.equals(truth.subarray(0, before.length)), 'bytes yielded before the error are verified output').toBe(true);
    return e;
  }
  throw new Error(`no error: ${Buffer.concat(parts).length} bytes decoded`);
}

function flipped(at: number, count = 4): Uint8Array {
  const bad = good.slice();
  for (let i = 0; i < count; i++) bad[at + i] ^= 0x5a;
  return bad;
}

describe.each(decoders)('bad bz2 input, %s decoder', (label, decode) => {
  const wasm = label.startsWith('wasm');

  it('a file cut in the middle of a block: truncated, with a compressed offset', async () => {
    const cut = Math.floor((blockStart(2) + blockStart(3)) / 2);
    const e = await decodeError(decode, 'mid-block.bz2', good.subarray(0, cut));
    expect(e.message).toMatch(/truncated/);
    expect(e.offset).toBeTypeOf('number');
    // The WASM path names the start of the block that is cut; the system path says how far it got.
    if (wasm) expect(e.offset).toBe(blockStart(2));
    else expect(e.offset).toBeLessThanOrEqual(cut);
  });

  it('a file cut right after a block (the next block or end-of-stream marker missing): truncated', async () => {
    for (const [name, cut] of [
      ['after-block.bz2', blockStart(3)],
      ['before-eos.bz2', eos.bit >>> 3],
      ['inside-eos.bz2', (eos.bit >>> 3) + 6],
    ] as const) {
      const e = await decodeError(decode, name, good.subarray(0, cut));
      expect(e.message, name).toMatch(/truncated/);
      expect(e.offset, name).toBeTypeOf('number');
      expect(e.offset!, name).toBeLessThanOrEqual(cut);
    }
  });

  it('flipped bytes inside a block: corrupt, with a compressed offset', async () => {
    const at = Math.floor((blockStart(1) + blockStart(2)) / 2);
    const e = await decodeError(decode, 'flipped.bz2', flipped(at));
    expect(e.message).toMatch(/corrupt/);
    expect(e.offset).toBeTypeOf('number');
    if (wasm) expect(e.offset).toBe(blockStart(1));
  });

  it('a corrupt block CRC (data intact): CRC mismatch', async () => {
    const e = await decodeError(decode, 'bad-crc.bz2', flipped(blockStart(1) + 7, 1));
    expect(e.message).toMatch(/corrupt/);
    if (wasm) expect(e.message).toMatch(/CRC/);
  });

  it('a corrupt later stream of a multi-stream file', async () => {
    const bad = Buffer.concat([readFileSync(join(FIXTURES, 'latin1.txt.bz2')), flipped(blockStart(2) + 50)]);
    const e = await decodeError(decode, 'second-stream.bz2', bad, Buffer.concat([await truthOf('latin1.txt.bz2'), reference]));
    expect(e.message).toMatch(/corrupt/);
  });

  it('not a bz2 file at all, and an empty file', async () => {
    const e = await decodeError(decode, 'plain.csv.bz2', new TextEncoder().encode('a,b\n1,2\n'));
    expect(e.message).toMatch(/not a bz2 file/);
    expect(e.message).toMatch(/BZh/);
    expect(e.offset).toBe(0);
    const gz = await decodeError(decode, 'gzip.bz2', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    expect(gz.message).toMatch(/not a bz2 file.*1f 8b 08 00/);
    const empty = await decodeError(decode, 'empty.bz2', new Uint8Array(0));
    expect(empty.message).toMatch(/not a bz2 file: the file is empty/);
  });
});

/** Children of this process named like a bz2 decoder (zombies included: they keep their parent). */
function decoderChildren(): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /bzip2/.test(comm)) found.push(`${pid} ${comm} ${stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe.skipIf(!BZIP2 && !LBZIP2)('system decoder process handling', () => {
  const tool: Bz2Command = LBZIP2 ? { file: LBZIP2, args: ['-d', '-c', '-n', '1'] } : { file: BZIP2!, args: ['-d', '-c'] };
  const bigPath = join(dir, 'big.bz2');
  writeFileSync(bigPath, Buffer.concat(Array.from({ length: 40 }, () => good)));

  it('kills and reaps the child when the consumer stops early, and closes the file', async () => {
    let closed = false;
    async function* source() {
      try {
        for await (const c of createReadStream(bigPath, { highWaterMark: 1 << 16 })) yield c as Uint8Array;
      } finally {
        closed = true;
      }
    }
    let sawChild = false;
    for await (const chunk of decodeBz2System(source(), bigPath, tool)) {
      expect(chunk.length).toBeGreaterThan(0);
      sawChild = decoderChildren().length > 0;
      break;
    }
    expect(sawChild).toBe(true);
    expect(decoderChildren()).toEqual([]);
    expect(closed).toBe(true);
  });

  it('reports a decoder that cannot be started', async () => {
    const e = await decodeError((c, p) => decodeBz2System(c, p, { file: join(dir, 'no-such-bzip2'), args: ['-d'] }), 'x.bz2', good);
    expect(e.message).toMatch(/cannot run the bz2 decoder/);
  });

  it("reports the child's exit status and stderr", async () => {
    // A stand-in decoder that fails the way a real one does.
    const e = await decodeError(
      (c, p) => decodeBz2System(c, p, { file: 'sh', args: ['-c', 'cat > /dev/null; echo "bzip2: Data integrity error when decompressing." >&2; exit 2'] }),
      'child-fails.bz2',
      good,
    );
    expect(e.message).toMatch(/corrupt bz2 data/);
    expect(e.message).toMatch(/exit status 2/);
    expect(e.message).toMatch(/Data integrity error/);
    expect(e.offset).toBe(good.length);
    expect(decoderChildren()).toEqual([]);
  });

  it('reports an error from reading the compressed source, not a decoder failure', async () => {
    async function* failing() {
      yield good.subarray(0, 10_000);
      throw new DuskIoError('read failed', { path: 'src.bz2', offset: 10_000 });
    }
    await expect(collectAll(decodeBz2System(failing(), 'src.bz2', tool))).rejects.toThrow('read failed');
    expect(decoderChildren()).toEqual([]);
  });

  it("decodeBz2 with decoder 'system' names the path on failure", async () => {
    const path = join(dir, 'api-trunc.bz2');
    writeFileSync(path, good.subarray(0, blockStart(3)));
    await expect(collectAll(decodeBz2(createReadStream(path), { path, decoder: 'system' }))).rejects.toThrow(/truncated bz2 file/);
  });
});

async function collectAll(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}
