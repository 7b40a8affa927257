import { describe, expect, it } from 'vitest';
import { crLinesToLf, RecordScanner } from '../../../src/sources/csv/record-scan.js';
import { rng } from '../../helpers.js';

const COMMA = 44;
const HASH = 35;
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

/** Translates `input` fed to crLinesToLf in pieces cut at `cuts`. */
async function translated(input: string, cuts: number[], comment = -1): Promise<string> {
  const all = bytes(input);
  async function* pieces() {
    let prev = 0;
    for (const cut of [...cuts, all.length]) {
      yield all.slice(prev, cut); // fresh copies: the translation writes in place
      prev = cut;
    }
  }
  let out = '';
  let length = 0;
  for await (const chunk of crLinesToLf(pieces(), new RecordScanner(COMMA, comment))) {
    out += text(chunk);
    length += chunk.length;
  }
  expect(length).toBe(all.length); // offsets are kept
  return out;
}

describe('RecordScanner', () => {
  it('turns line-ending CRs into LFs, keeps CRLF and CRs inside quotes, as pandas reads them', async () => {
    expect(await translated('a,b\r1,2\r3,4\r', [])).toBe('a,b\n1,2\n3,4\n');
    expect(await translated('a,b\r\n1,"x\ry"\r3,"q""\r"\r', [])).toBe('a,b\r\n1,"x\ry"\n3,"q""\r"\n');
    // A quote inside an unquoted field is data (it opens nothing), as in the parser and pandas.
    expect(await translated('a,b"\r1,2\r', [])).toBe('a,b"\n1,2\n');
    // A comment runs to the line end, quotes and all.
    expect(await translated('a,b#"x\r1,2\r', [], HASH)).toBe('a,b#"x\n1,2\n');
  });

  it('gives the same bytes whatever the chunking, also with a CR at the end of a chunk', async () => {
    const random = rng(8);
    const alphabet = ['a', '1', ',', '"', '\r', '\r\n', '\n', '""', '#'];
    for (let round = 0; round < 300; round++) {
      let input = '';
      while (input.length < 200) input += alphabet[Math.floor(random() * alphabet.length)]!;
      const comment = round % 2 === 0 ? HASH : -1;
      const whole = await translated(input, [], comment);
      const cuts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 6) }, () => 1 + Math.floor(random() * (input.length - 1))))].sort((x, y) => x - y);
      for (let i = 0; i < input.length; i++) if (input[i] === '\r') cuts.push(i + 1); // cut right after every CR
      cuts.sort((x, y) => x - y);
      expect(await translated(input, [...new Set(cuts)], comment), JSON.stringify({ input, cuts })).toBe(whole);
    }
  });

  it('finds the end of the last complete record of a sample, quotes and comments considered', () => {
    const scanner = new RecordScanner(COMMA, HASH);
    const sample = bytes('a,b\n1,"x\ny"\n2,"open\n#"\n3,"still open');
    expect(scanner.recordEnds(sample)).toBe('a,b\n1,"x\ny"\n2,"open\n#"\n'.length);
    expect(scanner.inQuotes).toBe(true);
    const closed = new RecordScanner(COMMA, HASH);
    expect(closed.recordEnds(bytes('a,b # "comment\n1,2'))).toBe('a,b # "comment\n'.length);
    expect(closed.inQuotes).toBe(false);
  });
});
