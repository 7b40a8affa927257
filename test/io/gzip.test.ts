import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { GzipDecoder } from '../../src/io/codecs/gzip.js';
import { rng, tempDir } from '../helpers.js';

afterAll(() => ddf.shutdown());

describe('readCsv: gzip', () => {
  const { dir, remove } = tempDir('gzip-');
  afterAll(remove);
  const random = rng(7);
  const rows = Array.from({ length: 200_000 }, (_, i) => [i, Math.floor(random() * 2000) - 1000, `w${Math.floor(random() * 1e9)}`]);
  const csv = (part: typeof rows): string => part.map((r) => r.join(',')).join('\n') + '\n';

  it('reads every member of a multi-member file, as gzip -d does', async () => {
    const path = join(dir, 'members.csv.gz');
    const half = rows.length / 2;
    writeFileSync(path, Buffer.concat([gzipSync('id,x,w\n' + csv(rows.slice(0, half))), gzipSync(csv(rows.slice(half)))]));
    const df = ddf.readCsv(path);
    const [count, sum, max] = await ddf.compute(df.col('id').count(), df.col('x').sum(), df.col('id').max());
    expect(count).toBe(rows.length);
    expect(sum).toBe(rows.reduce((s, r) => s + (r[1] as number), 0));
    expect(max).toBe(rows.length - 1);
    const table = await df.toArrow();
    expect(table.getChild('w')!.get(rows.length - 1)).toBe(rows[rows.length - 1]![2]);
  });

  it('corrupt compressed data fails with the file and the compressed offset', async () => {
    const path = join(dir, 'corrupt.csv.gz');
    const good = gzipSync('id,x,w\n' + csv(rows));
    const bad = Buffer.from(good);
    // Past the prefix readCsv samples (1 MB of compressed bytes), so the read itself meets it.
    expect(good.length).toBeGreaterThan(1_300_000);
    for (let i = 1_200_000; i < 1_200_400; i++) bad[i] = 0xff - bad[i]!;
    writeFileSync(path, bad);
    const error = await ddf
      .readCsv(path, { dtype: { id: 'int32', x: 'int32', w: 'string' } })
      .col('x')
      .sum()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ddf.DuskIoError);
    expect((error as Error).message).toMatch(/corrupt\.csv\.gz: corrupt gzip data.*compressed byte \d+/);
    expect((error as ddf.DuskIoError).offset).toBeGreaterThan(1_000_000);
  });
});

describe('GzipDecoder', () => {
  const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i},${i * 3}`).join('\n'));
  /** A member with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC), as gzip tools may write. */
  function fullHeaderMember(): Buffer {
    const extra = Buffer.from([4, 0, 65, 66, 67, 68]);
    const header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3]), extra, Buffer.from('name.csv\0comment\0'), Buffer.from([0, 0])]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(text), 0);
    trailer.writeUInt32LE(text.length, 4);
    return Buffer.concat([header, deflateRawSync(text), trailer]);
  }
  const decode = (bytes: Uint8Array, step: number): Buffer => {
    const decoder = new GzipDecoder('t.gz');
    const out: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += step) out.push(...decoder.push(bytes.subarray(at, at + step)));
    out.push(...decoder.end());
    decoder.close();
    return Buffer.concat(out);
  };

  it('reads optional header fields and several members, however the bytes are cut', () => {
    const file = Buffer.concat([fullHeaderMember(), gzipSync(text), Buffer.alloc(3)]);
    for (const step of [1, 7, 1000, file.length]) expect(decode(file, step).equals(Buffer.concat([text, text])), `step ${step}`).toBe(true);
  });

  it('a file cut anywhere is an error at or before the cut, never a shorter result', () => {
    const file = gzipSync(text);
    for (let cut = 0; cut < file.length; cut += cut < 64 ? 1 : 97) {
      let error: unknown = null;
      try {
        decode(file.subarray(0, cut), 4096);
      } catch (err) {
        error = err;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(ddf.DuskIoError);
      expect((error as ddf.DuskIoError).offset!, `cut at ${cut}`).toBeLessThanOrEqual(cut);
      expect((error as Error).message).toMatch(/truncated gzip stream|empty/);
    }
  });
});
