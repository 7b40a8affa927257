import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import { emptyMetrics, noProgress } from '../../../src/io/io-metrics.js';
import { formatOf, resolveCsvSource } from '../../../src/sources/csv/csv-source.js';
import { readCsvPartition } from '../../../src/sources/csv/read-partition.js';
import { scanBz2Magics } from '../../../src/io/codecs/bz2-blocks.js';
import { rng, tempDir, which } from '../../helpers.js';

afterAll(() => ddf.shutdown());
const { dir, remove } = tempDir('csv-edge-');
afterAll(remove);

let fileCount = 0;
/** Writes a file in the temp folder and returns its path. */
function file(content: string | Uint8Array, ext = 'csv'): string {
  const path = join(dir, `f${fileCount++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Table rows as plain objects with JS values. */
async function rows(df: ddf.DataFrame, scheduler: 'sync' | 'threads' = 'sync'): Promise<Record<string, unknown>[]> {
  const table = await df.toArrow().compute({ scheduler });
  return table.toArray().map((r) => ({ ...r.toJSON() }));
}

async function failure(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, got a result');
}

/** Generated rows: an id, an integer, a float and a word (some with commas or quotes when quoted is set). */
function generate(n: number, seed: number): { id: number; x: number; y: number; w: string }[] {
  const random = rng(seed);
  return Array.from({ length: n }, (_, id) => ({
    id,
    x: Math.floor(random() * 2000) - 1000,
    y: Math.round(random() * 1e6) / 1000,
    w: `w${Math.floor(random() * 1e6)}`,
  }));
}

describe('CR line ends (old Mac files)', () => {
  it('reads lines ended by a lone CR, as pandas does, and keeps a CR inside quotes', async () => {
    // pandas 1.5.3: read_csv of b'a,b\r1,2\r3,4\r' gives [[1, 2], [3, 4]].
    expect(await rows(ddf.readCsv(file('a,b\r1,2\r3,4\r')))).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    // pandas: b'a,b\r1,"x\ry"\r3,4\r' gives b = ['x\ry', '4']; blank lines (\r\r) are skipped.
    const quoted = ddf.readCsv(file('a,b\r1,"x\ry"\r\r\r3,4'));
    expect(quoted.dtypes).toEqual({ a: 'int32', b: 'string' });
    expect(await rows(quoted)).toEqual([
      { a: 1, b: 'x\ry' },
      { a: 3, b: '4' },
    ]);
  });

  it('gives the same rows as the LF file, whole, split into byte ranges and gzipped, on threads', async () => {
    const data = generate(30_000, 1);
    const text = (eol: string) => `id,x,y,w${eol}${data.map((r) => `${r.id},${r.x},${r.y},"${r.w}"`).join(eol)}${eol}`;
    const lf = await rows(ddf.readCsv(file(text('\n'))));
    expect(lf).toHaveLength(data.length);
    expect(lf[12_345]).toEqual(data[12_345]);
    const crPath = file(text('\r'));
    // Byte ranges start anywhere, inside quotes too: a range starting just after a closing quote
    // lost a row until ranges began at the first line end whatever the quotes.
    for (const options of [{ blocksize: null }, { blocksize: 50_000 }, { blocksize: 33_333 }, { blocksize: 4099 }]) {
      const df = ddf.readCsv(crPath, options);
      expect(await rows(df, 'threads'), JSON.stringify(options)).toEqual(lf);
    }
    expect(ddf.readCsv(crPath, { blocksize: 50_000 }).npartitions).toBeGreaterThan(10);
    expect(await rows(ddf.readCsv(file(gzipSync(text('\r')), 'csv.gz')))).toEqual(lf);
  });

  it('names the line of a bad row in a CR file, in a later byte range too', async () => {
    const lines = ['a,b', ...Array.from({ length: 3000 }, (_, i) => `${i},${i * 2}`)];
    lines[2500] = '2499,oops';
    const path = file(lines.join('\r') + '\r');
    for (const blocksize of [null, 4096]) {
      const df = ddf.readCsv(path, { blocksize, dtype: { b: 'int32' } });
      await expect(df.col('b').sum()).rejects.toMatchObject({ name: 'DuskParseError', line: 2501, column: 'b', value: 'oops' });
    }
  });

  it('refuses a CR file among LF files, naming it, instead of reading it as one long line', async () => {
    const sub = join(dir, 'mixed');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.csv'), 'a,b\n1,2\n');
    writeFileSync(join(sub, 'b.csv'), 'a,b\r3,4\r');
    const error = await failure(ddf.readCsv(join(sub, '*.csv')).col('a').sum());
    expect(error).toBeInstanceOf(ddf.DuskSchemaError);
    expect(error.message).toMatch(/b\.csv: its lines end in a lone CR/);
  });
});

describe('duplicate and empty column names', () => {
  it('renames repeats as pandas does (a, a.1, …) and keeps every column’s data', async () => {
    const df = ddf.readCsv(file('a,a,b\n1,2,3\n4,5,6\n'));
    expect(df.columns).toEqual(['a', 'a.1', 'b']);
    expect(await rows(df)).toEqual([
      { a: 1, 'a.1': 2, b: 3 },
      { a: 4, 'a.1': 5, b: 6 },
    ]);
    const mixed = ddf.readCsv(file('a,a\n1,x\n'));
    expect(mixed.dtypes).toEqual({ a: 'int32', 'a.1': 'string' });
    // Twice: the second read used to fail on the column that had two dtypes under one name.
    expect(await rows(mixed)).toEqual([{ a: 1, 'a.1': 'x' }]);
    expect(await rows(mixed, 'threads')).toEqual([{ a: 1, 'a.1': 'x' }]);
    expect(await mixed.col('a.1').count()).toBe(1);
  });

  it('gives the names pandas 1.5.3 gives (checked with pandas), also across several files', async () => {
    // header → pandas.read_csv(...).columns, run on pandas 1.5.3.
    const cases: [string, string[]][] = [
      ['a,a,a.1', ['a', 'a.2', 'a.1']],
      ['a,a.1,a', ['a', 'a.1', 'a.2']],
      ['a,a.1,a,a', ['a', 'a.1', 'a.2', 'a.3']],
      ['a,,b,', ['a', 'Unnamed: 1', 'b', 'Unnamed: 3']],
      [',a,', ['Unnamed: 0', 'a', 'Unnamed: 2']],
      ['a,,Unnamed: 1', ['a', 'Unnamed: 1.1', 'Unnamed: 1']],
      ['a,a,a,a.1,a.2', ['a', 'a.3', 'a.4', 'a.1', 'a.2']],
      ['x.1,x,x', ['x.1', 'x', 'x.2']],
      ['a,a.1,a.1,a', ['a', 'a.1', 'a.1.1', 'a.2']],
    ];
    for (const [header, names] of cases) {
      const width = header.split(',').length;
      const row = Array.from({ length: width }, (_, i) => i).join(',');
      const df = ddf.readCsv(file(`${header}\n${row}\n`));
      expect(df.columns, header).toEqual(names);
      const values = Object.values((await rows(df))[0]!);
      expect(values, header).toEqual(Array.from({ length: width }, (_, i) => i));
    }
    const sub = join(dir, 'dups');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    writeFileSync(join(sub, '1.csv'), 'k,k\n1,2\n');
    writeFileSync(join(sub, '2.csv'), 'k,k\n3,4\n');
    expect(await ddf.readCsv(join(sub, '*.csv')).col('k.1').sum()).toBe(6);
  });
});

describe('a file changed after readCsv', () => {
  const make = (n: number) => `id,x\n${Array.from({ length: n }, (_, i) => `${i},${i % 7}`).join('\n')}\n`;

  it('truncated, appended to or rewritten: the compute fails naming the file, never a partial result', async () => {
    for (const blocksize of [null, 20_000]) {
      for (const change of ['truncate', 'append', 'rewrite'] as const) {
        const path = file(make(20_000));
        const df = ddf.readCsv(path, { blocksize });
        const { mtime } = statSync(path);
        if (change === 'truncate') truncateSync(path, 100_000);
        if (change === 'append') appendFileSync(path, '20000,1\n');
        if (change === 'rewrite') {
          writeFileSync(path, make(20_000).replace('1,1\n', '1,2\n'));
          utimesSync(path, mtime, new Date(mtime.getTime() + 5000));
        }
        const error = await failure(df.col('x').sum().compute({ scheduler: 'threads', inlineBelowBytes: 0 }));
        expect(error, `${change} ${blocksize}`).toBeInstanceOf(ddf.DuskIoError);
        expect(error.message).toContain(path);
        expect(error.message).toMatch(/changed since readCsv listed it.*Re-run readCsv/);
      }
    }
  });

  it('a compressed file too', async () => {
    const path = file(gzipSync(make(5000)), 'csv.gz');
    const df = ddf.readCsv(path);
    appendFileSync(path, gzipSync('5000,1\n'));
    await expect(df.col('x').sum()).rejects.toThrow(/changed since readCsv/);
  });

  it('truncated while a partition is being read: a short read is an error', async () => {
    const path = file(make(400_000)); // ~3.3 MB: several reads
    const source = resolveCsvSource(path, { blocksize: null });
    const scan = { source: formatOf(source), columns: ['x'], batchRows: 1000 };
    let rowsRead = 0;
    const read = async () => {
      for await (const batch of readCsvPartition(source.partitions[0]!, scan, { metrics: emptyMetrics(), progress: noProgress })) {
        if (rowsRead === 0) truncateSync(path, 1_500_000);
        rowsRead += batch.length;
      }
    };
    const error = await failure(read());
    expect(error).toBeInstanceOf(ddf.DuskIoError);
    expect(error.message).toMatch(/changed since readCsv listed it .*now it ends at byte \d+/);
    expect(rowsRead).toBeLessThan(400_000);
  });
});

describe('inference never picks a dtype that changes or refuses a sampled value', () => {
  it('numbers beyond float64 or int64 keep their column as text (pandas: object)', async () => {
    const df = ddf.readCsv(file('a,b,c,d\n1.7976931348623157e309,99999999999999999999,1e308,9223372036854775807\n2,1,-1e-400,-1\n'));
    expect(df.dtypes).toEqual({ a: 'string', b: 'string', c: 'float64', d: 'int64' });
    expect(await rows(df)).toEqual([
      { a: '1.7976931348623157e309', b: '99999999999999999999', c: 1e308, d: 9223372036854775807n },
      { a: '2', b: '1', c: -0, d: -1n },
    ]);
  });

  it('a float64 value beyond the range is an error naming file, line, column and value; inf literals are infinities', async () => {
    const path = file('a\n1.5\ninf\n-Infinity\n+INF\n1.8e308\n');
    const error = await failure(ddf.readCsv(path, { dtype: { a: 'float64' } }).col('a').max());
    expect(error).toMatchObject({ name: 'DuskParseError', line: 6, column: 'a', value: '1.8e308' });
    expect(error.message).toContain(`${path}, line 6, column 'a': value '1.8e308' is beyond the float64 range`);
    const infinities = ddf.readCsv(file('a\n1.5\ninf\n-Infinity\n+INF\n'));
    expect(infinities.dtypes.a).toBe('float64');
    expect((await rows(infinities)).map((r) => r.a)).toEqual([1.5, Infinity, -Infinity, Infinity]);
    // int64 beyond its range names the dtype that keeps the value exactly.
    await expect(ddf.readCsv(file('a\n1\n99999999999999999999\n'), { dtype: { a: 'int64' } }).col('a').max()).rejects.toThrow(
      /line 3, column 'a': value '99999999999999999999' does not fit int64; pass dtype: \{ a: 'string' \}/,
    );
  });

  it('only ASCII spaces may surround a number (pandas reads 1\\u00a0 as text, in UTF-8 or latin1)', async () => {
    const expected = [
      { a: '1\u00a0', b: 2 },
      { a: '3', b: 4 },
    ];
    const utf8 = ddf.readCsv(file('a,b\n1\u00a0, 2\t\n3,4\n'));
    expect(utf8.dtypes).toEqual({ a: 'string', b: 'int32' });
    expect(await rows(utf8)).toEqual(expected);
    // latin1 0xA0 is the same no-break space: pandas (encoding='latin1') keeps the column as text.
    const latin1 = ddf.readCsv(file(Buffer.from('a,b\n1\xa0, 2\t\n3,4\n', 'latin1')), { encoding: 'latin1' });
    expect(latin1.dtypes).toEqual({ a: 'string', b: 'int32' });
    expect(await rows(latin1)).toEqual(expected);
    // Given as an integer, it is refused like any other text.
    await expect(ddf.readCsv(file(Buffer.from('a\n1\xa0\n', 'latin1')), { encoding: 'latin1', dtype: { a: 'int32' } }).col('a').sum()).rejects.toThrow(
      /line 2, column 'a': value '1\u00a0' is not a valid int32/,
    );
  });
});

describe('a schema sample that ends inside a quoted field', () => {
  it('is extended to the end of the record: a 10 MB quoted field, and long multi-line fields', async () => {
    const big = 'x'.repeat(5_000_000) + '\n' + 'y'.repeat(5_000_000);
    const df = ddf.readCsv(file(`id,text,n\n1,"${big}",7\n2,short,8\n`));
    expect(df.dtypes).toEqual({ id: 'int32', text: 'string', n: 'int32' });
    const got = await rows(df);
    expect(got.map((r) => r.n)).toEqual([7, 8]);
    expect(got[0]!.text).toBe(big);

    const random = rng(3);
    const records = Array.from({ length: 40 }, (_, i) => ({ i, text: Array.from({ length: 2000 }, () => 'word, "quoted"\n'.slice(0, 1 + Math.floor(random() * 15))).join('') }));
    const path = file(`i,text\n${records.map((r) => `${r.i},"${r.text.replaceAll('"', '""')}"`).join('\n')}\n`);
    for (const sampleBytes of [1000, 65_536, 300_000]) {
      const long = ddf.readCsv(path, { sampleBytes });
      expect(long.dtypes).toEqual({ i: 'int32', text: 'string' });
      expect(await rows(long), String(sampleBytes)).toEqual(records);
    }
  });

  it('beyond the cap (64 MiB) is a clear error', async () => {
    // An opening quote that is never closed, in 70 MB of text (a small .gz file).
    const path = file(gzipSync(`a,b\n1,"${'z'.repeat(70_000_000)}\n`), 'csv.gz');
    expect(() => ddf.readCsv(path)).toThrow(/the first 67108864 bytes end inside a quoted field of the record that starts at line 2 .*a quote that is never closed/);
  });
});

describe('compressed files: the codec is checked before the CSV', () => {
  /** A gzip file of stored (uncompressed) deflate blocks: a flipped bit changes the CSV, not the deflate data. */
  const stored = (text: string) => gzipSync(text, { level: 0 });
  const csv = `id,x,w\n${generate(150_000, 9)
    .map((r) => `${r.id},${r.x},${r.w}`)
    .join('\n')}\n`;

  it('one flipped bit: a CRC error with the compressed offset, not the CSV error the bad bytes cause', async () => {
    const good = stored(csv);
    const bad = Buffer.from(good);
    const at = bad.indexOf(',', 2_000_000); // past the sample: the read meets it
    bad[at] = bad[at]! ^ 0x01; // ',' → '-': a row with too few fields
    const path = file(bad, 'csv.gz');
    const error = await failure(ddf.readCsv(path).col('x').sum().compute({ scheduler: 'threads', inlineBelowBytes: 0 }));
    expect(error).toBeInstanceOf(ddf.DuskIoError);
    expect(error.message).toMatch(/CRC-32 mismatch in the trailer of the member that starts at byte 0/);
    expect((error as ddf.DuskIoError).offset).toBe(good.length - 8);
    // The same flip in a plain file is the CSV error.
    const plain = Buffer.from(csv);
    plain[plain.indexOf(',', 2_000_000)] = 0x2d;
    await expect(ddf.readCsv(file(plain)).col('x').sum()).rejects.toMatchObject({ name: 'DuskParseError' });
  });

  it('trailing garbage is an error at the offset where the gzip data ends; zero padding is fine', async () => {
    const good = gzipSync(csv);
    const path = file(Buffer.concat([good, Buffer.from('garbage!')]), 'csv.gz');
    const error = await failure(ddf.readCsv(path).col('x').sum());
    expect(error).toBeInstanceOf(ddf.DuskIoError);
    expect((error as ddf.DuskIoError).offset).toBe(good.length);
    expect(error.message).toContain(`trailing garbage: the gzip data ends at byte ${good.length}`);
    expect(error.message).toContain(`(compressed byte ${good.length})`);
    // Small enough for the schema sample: readCsv itself says so.
    const small = gzipSync('a\n1\n');
    expect(() => ddf.readCsv(file(Buffer.concat([small, Buffer.from([0x1f, 0x8c, 1])]), 'csv.gz'))).toThrow(`trailing garbage: the gzip data ends at byte ${small.length}`);
    const padded = file(Buffer.concat([good, Buffer.alloc(1000)]), 'csv.gz');
    expect(await ddf.readCsv(padded).col('id').count()).toBe(150_000);
  });

  const BZIP2 = which('bzip2');
  const SYSTEM_BZ2 = which('lbzip2') ?? BZIP2; // what DUSK_BZ2_DECODER=system runs
  it.skipIf(!BZIP2)('bz2: a corrupt block is a codec error with every decoder, also when the system decoder has already written its garbage', async () => {
    // Good blocks for the schema sample, then rows of long runs: bzip2 (which sizes blocks after
    // its run-length step) makes them one block that decodes to ~8 MB, which lbzip2 and bzip2
    // write out before they find its CRC wrong: far more than their output is held back.
    const random = rng(21);
    const head = Array.from({ length: 100_000 }, (_, i) => `${i},${i % 97},w${Math.floor(random() * 1e9)}`);
    const runs = Array.from({ length: 30_000 }, (_, i) => `${i},${i % 97},${String.fromCharCode(97 + (i % 26)).repeat(250)}`);
    const headText = `id,x,pad\n${head.join('\n')}\n`;
    const plain = file(`${headText}${runs.join('\n')}\n`);
    execFileSync(BZIP2!, ['-k', '-9', plain]);
    const good = new Uint8Array(readFileSync(`${plain}.bz2`));
    const magics = scanBz2Magics(good);
    const lastBlock = magics.filter((m) => m.kind === 'block').at(-1)!.bit >>> 3;
    const eos = magics.at(-1)!.bit >>> 3;
    // A flipped bit whose garbage the decoder writes, holding CSV errors, before it fails.
    const runRow = /^\d+,\d+,[a-z]*$/;
    let bad: Buffer | null = null;
    for (let at = lastBlock + 1000; at < eos - 100 && bad === null; at += 1999) {
      const candidate = Buffer.from(good);
      candidate[at] = candidate[at]! ^ 0x08;
      try {
        execFileSync(SYSTEM_BZ2!, ['-d', '-c'], { input: candidate, maxBuffer: 1 << 26, stdio: ['pipe', 'pipe', 'ignore'] });
      } catch (err) {
        const out = (err as { stdout?: Buffer }).stdout ?? Buffer.alloc(0);
        const written = out.subarray(headText.length, Math.max(headText.length, out.length - (2 << 20))).toString('latin1').split('\n').slice(0, -1);
        if (written.some((line) => !runRow.test(line))) bad = candidate;
      }
    }
    expect(bad, 'a flip whose garbage the decoder writes before it fails').not.toBeNull();
    const path = file(bad!, 'csv.bz2');
    const saved = process.env['DUSK_BZ2_DECODER'];
    try {
      for (const decoder of ['system', 'wasm']) {
        process.env['DUSK_BZ2_DECODER'] = decoder;
        const error = await failure(ddf.readCsv(path, { blocksize: null }).col('x').sum().compute({ scheduler: 'sync' }));
        expect(error, decoder).toBeInstanceOf(ddf.DuskIoError);
        expect(error.message, decoder).toMatch(/corrupt bz2 data/);
        expect(error.message).toContain(path);
      }
    } finally {
      if (saved === undefined) delete process.env['DUSK_BZ2_DECODER'];
      else process.env['DUSK_BZ2_DECODER'] = saved;
    }
  });
});

describe('readCsv options', () => {
  it('comment: as pandas (checked with pandas 1.5.3)', async () => {
    // pandas.read_csv(..., comment='#'): a = ['1', '3', '5#', '7'], b = [2, 4, 6, NaN].
    const df = ddf.readCsv(file('# top\na,b#x\n1,2 # c\n#only\n3,4\n"5#",6\n7,#\n'), { comment: '#' });
    expect(df.columns).toEqual(['a', 'b']);
    expect(await rows(df)).toEqual([
      { a: '1', b: 2 },
      { a: '3', b: 4 },
      { a: '5#', b: 6 },
      { a: '7', b: null },
    ]);
  });

  it('comment: the same rows as the file without comments, for any chunking and blocksize', async () => {
    const random = rng(11);
    const data = generate(20_000, 4);
    const lines = data.map((r) => `${r.id},${r.x},"${r.w} #not a comment"`);
    const withComments = lines.map((l) => (random() < 0.05 ? `# comment "${l}\n${l}` : random() < 0.05 ? `${l}# trailing, "quote` : l));
    const expected = await rows(ddf.readCsv(file(`id,x,w\n${lines.join('\n')}\n`)));
    const path = file(`# leading comment\nid,x,w\n${withComments.join('\n')}\n`);
    for (const blocksize of [null, 30_000]) {
      expect(await rows(ddf.readCsv(path, { comment: '#', blocksize }), 'threads')).toEqual(expected);
    }
  });

  it('decimal: European floats (pandas: decimal=",", sep=";")', async () => {
    // pandas 1.5.3: a = [1.5, 3.0, -1500.0], b = [2.0, 4.25, 1.0]; '1.5' is not a number then.
    const df = ddf.readCsv(file('a;b\n1,5;2\n3;4,25\n-1,5e3;1\n'), { delimiter: ';', decimal: ',' });
    expect(df.dtypes).toEqual({ a: 'float64', b: 'float64' });
    expect(await rows(df)).toEqual([
      { a: 1.5, b: 2 },
      { a: 3, b: 4.25 },
      { a: -1500, b: 1 },
    ]);
    expect(ddf.readCsv(file('a;b\n1.5;2\n'), { delimiter: ';', decimal: ',' }).dtypes.a).toBe('string');
    await expect(ddf.readCsv(file('a;b\n1,5;2\n2.5;3\n'), { delimiter: ';', decimal: ',', dtype: { a: 'float64' } }).col('a').sum()).rejects.toThrow(
      /line 3, column 'a': value '2\.5' is not a valid float64/,
    );
  });

  it('an unknown option is refused, naming it and the closest valid one', () => {
    const path = file('a,b\n1,2\n');
    const refuse = (options: object) => () => ddf.readCsv(path, options as ddf.ReadCsvOptions);
    expect(refuse({ sep: ';' })).toThrow(ddf.DuskSchemaError);
    expect(refuse({ sep: ';' })).toThrow(/unknown option 'sep'\. Did you mean 'delimiter'\?/);
    expect(refuse({ na_values: ['x'] })).toThrow(/unknown option 'na_values'\. Did you mean 'naValues'\?/);
    expect(refuse({ usecol: ['a'] })).toThrow(/unknown option 'usecol'\. Did you mean 'usecols'\?/);
    expect(refuse({ skiprows: 1 })).toThrow(/unknown option 'skiprows'\. Options: compression, encoding/);
    expect(refuse({ comment: '##' })).toThrow(/comment must be a single ASCII character/);
    expect(refuse({ comment: ',' })).toThrow(/comment "," cannot be the delimiter/);
    expect(refuse({ decimal: ',' })).toThrow(/decimal "," cannot be the delimiter/);
  });
});
