import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
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
