import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvParser, type ParseSpec } from '../../../src/sources/csv/csv-parser.js';
import { DuskParseError } from '../../../src/core/errors.js';
import { batchRows, rng } from '../../helpers.js';

function stringSpec(fieldCount: number, overrides: Partial<ParseSpec> = {}): ParseSpec {
  return {
    delimiter: ',',
    fieldCount,
    columns: Array.from({ length: fieldCount }, (_, index) => ({ index, name: `c${index}`, dtype: 'string' as const })),
    naValues: [],
    encoding: 'utf8',
    onBadLines: 'error',
    batchRows: 7, // small batches: exercise batch boundaries too
    ...overrides,
  };
}

/** Parses `text` fed in pieces cut at the given offsets. */
function parseInPieces(text: string, spec: ParseSpec, cuts: number[]) {
  const bytes = new TextEncoder().encode(text);
  const parser = new CsvParser(spec, { path: 'generated.csv', firstLine: 1 });
  const out = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...parser.push(bytes.subarray(prev, cut)));
    prev = cut;
  }
  out.push(...parser.finish());
  return batchRows(out);
}

function randomField(next: () => number): string {
  const r = next();
  if (r < 0.3) return String(Math.floor(next() * 2000) - 1000);
  if (r < 0.45) return (next() * 1e4).toFixed(3);
  if (r < 0.55) return '';
  const alphabet = ['a', 'b', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '€', 'x'];
  let s = '';
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

function quoteIfNeeded(field: string, next: () => number): string {
  const must = /[",\r\n]/.test(field);
  if (must || next() < 0.1) return `"${field.replace(/"/g, '""')}"`;
  return field;
}

function randomCsv(seed: number, quotes = true): { text: string; fields: number } {
  const next = rng(seed);
  const fields = 2 + Math.floor(next() * 5);
  const eol = next() < 0.5 ? '\n' : '\r\n';
  const rows: string[] = [];
  const n = 1 + Math.floor(next() * 60);
  for (let r = 0; r < n; r++) {
    rows.push(Array.from({ length: fields }, () => (quotes ? quoteIfNeeded(randomField(next), next) : randomField(next).replace(/[",\r\n]/g, ''))).join(','));
  }
  const finalNewline = next() < 0.5;
  return { text: rows.join(eol) + (finalNewline ? eol : ''), fields };
}

describe('CsvParser against papaparse (reference parser)', () => {
  it('gives the same rows on 300 generated CSVs cut into random chunks', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { text, fields } = randomCsv(seed);
      const reference = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false }).data.filter((row) => !(row.length === 1 && row[0] === ''));
      const next = rng(seed * 7919);
      const length = new TextEncoder().encode(text).length;
      const cuts = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * length)).sort((a, b) => a - b);
      const ours = parseInPieces(text, stringSpec(fields), cuts);
      expect(ours, `seed ${seed}`).toEqual(reference);
    }
  });

  it('gives the same rows on 300 quote-free CSVs (the unquoted fast path), projected or not', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { text, fields } = randomCsv(seed, false);
      const reference = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false }).data.filter((row) => !(row.length === 1 && row[0] === ''));
      const next = rng(seed * 104729);
      const length = new TextEncoder().encode(text).length;
      const cuts = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * length)).sort((a, b) => a - b);
      expect(parseInPieces(text, stringSpec(fields), cuts), `seed ${seed}`).toEqual(reference);
      // Only the first column projected: the rest of each row is only counted.
      const first = { ...stringSpec(fields), columns: [{ index: 0, name: 'c0', dtype: 'string' as const }] };
      expect(parseInPieces(text, first, cuts), `seed ${seed}, first column`).toEqual(reference.map((row) => [row[0]]));
    }
  });

  it('handles a chunk boundary at every byte of a tricky input', () => {
    const text = 'h1,h2\r\na,b\r\n"x,""y""\r\nz",1\r\n"",\r\n\r\nlast,"q"';
    const expected = [['h1', 'h2'], ['a', 'b'], ['x,"y"\r\nz', '1'], ['', ''], ['last', 'q']];
    for (let cut = 0; cut <= text.length; cut++) {
      expect(parseInPieces(text, stringSpec(2), [cut]), `cut at ${cut}`).toEqual(expected);
    }
  });
});

describe('CsvParser with a comment character', () => {
  it('gives the rows of the file without its comments, for random chunk cuts (200 generated CSVs)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = rng(seed * 31);
      const fieldCount = 2 + Math.floor(next() * 4);
      const eol = next() < 0.5 ? '\n' : '\r\n';
      const rows = Array.from({ length: 1 + Math.floor(next() * 40) }, () =>
        Array.from({ length: fieldCount }, () => randomField(next) + (next() < 0.1 ? '#in quotes' : '')),
      );
      // A '#' in a field is data only inside quotes: such fields are quoted.
      const render = (row: string[]) => row.map((f) => (f.includes('#') ? `"${f.replace(/"/g, '""')}"` : quoteIfNeeded(f, next))).join(',');
      const lines = rows.map((row) => {
        const line = render(row);
        const r = next();
        if (r < 0.15) return `# a comment, with "a quote${eol}${line}`;
        if (r < 0.3) return `${line}# trailing "comment`;
        return line;
      });
      const text = lines.join(eol) + (next() < 0.5 ? eol : '');
      const length = new TextEncoder().encode(text).length;
      const cuts = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * length)).sort((a, b) => a - b);
      expect(parseInPieces(text, stringSpec(fieldCount, { comment: '#' }), cuts), `seed ${seed}`).toEqual(rows);
    }
  });
});

describe('CsvParser typed columns', () => {
  const spec: ParseSpec = {
    delimiter: ',',
    fieldCount: 4,
    columns: [
      { index: 1, name: 'f', dtype: 'float64' },
      { index: 3, name: 'i', dtype: 'int32' },
    ],
    naValues: ['', 'NA'],
    encoding: 'utf8',
    onBadLines: 'error',
    batchRows: 1000,
  };

  it('parses only the projected columns, with nulls for NA markers', () => {
    const parser = new CsvParser(spec, { path: 't.csv', firstLine: 2 });
    const text = 'skip,1.5,"q,uoted",7\nx,NA,y,-3\nx,-2e-3,y,\nx,0.1,y,2147483647\n';
    const [batch] = parser.finish(parser.push(new TextEncoder().encode(text)));
    expect(batch!.names).toEqual(['f', 'i']);
    const [f, i] = batch!.columns;
    expect(f!.dtype === 'float64' && Array.from(f.values)).toEqual([1.5, 0, -0.002, 0.1]);
    expect(f!.nullCount).toBe(1);
    expect(i!.dtype === 'int32' && Array.from(i.values)).toEqual([7, -3, 0, 2147483647]);
    expect(i!.nullCount).toBe(1);
  });

  it('parses decimal text to the same double as Number()', () => {
    const next = rng(42);
    const values: string[] = [];
    for (let k = 0; k < 5000; k++) {
      const digits = String(Math.floor(next() * 10 ** (1 + Math.floor(next() * 17))));
      const point = Math.floor(next() * (digits.length + 1));
      let s = `${digits.slice(0, point)}.${digits.slice(point)}`;
      if (next() < 0.3) s += `e${Math.floor(next() * 40) - 20}`;
      if (next() < 0.5) s = `-${s}`;
      values.push(s);
    }
    const one: ParseSpec = { ...spec, fieldCount: 1, columns: [{ index: 0, name: 'v', dtype: 'float64' }], batchRows: 10000 };
    const parser = new CsvParser(one, { path: 'v.csv', firstLine: 1 });
    const [batch] = parser.finish(parser.push(new TextEncoder().encode(values.join('\n'))));
    const col = batch!.columns[0]!;
    expect(col.dtype === 'float64' && Array.from(col.values)).toEqual(values.map(Number));
  });

  it('names the file, line, column, value and the dtype that would accept it', () => {
    const parser = new CsvParser(spec, { path: 'data/t.csv', firstLine: 2 });
    const text = 'x,1,y,2\nx,2,y,3\nx,abc,y,4\n';
    let error: unknown;
    try {
      parser.push(new TextEncoder().encode(text));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DuskParseError);
    const e = error as DuskParseError;
    expect(e.line).toBe(4);
    expect(e.column).toBe('f');
    expect(e.value).toBe('abc');
    expect(e.message).toContain('data/t.csv, line 4');
    expect(e.message).toContain("dtype: { f: 'string' }");
  });

  it('reports int32 overflow and suggests int64; decimals in an int column suggest float64', () => {
    const parse = (text: string) => {
      const parser = new CsvParser(spec, { path: 't.csv', firstLine: 2 });
      return () => parser.finish(parser.push(new TextEncoder().encode(text)));
    };
    expect(parse('x,1,y,2147483648\n')).toThrow(/does not fit int32; pass dtype: \{ i: 'int64' \}/);
    expect(parse('x,1,y,2.5\n')).toThrow(/not a valid int32; pass dtype: \{ i: 'float64' \}/);
  });

  it('rejects an unterminated quoted field at the end of input', () => {
    const parser = new CsvParser(stringSpec(2), { path: 'q.csv', firstLine: 1 });
    parser.push(new TextEncoder().encode('a,b\nc,"never closed\n'));
    expect(() => parser.finish()).toThrow(/q\.csv, line 2: a quoted field is never closed/);
  });
});
