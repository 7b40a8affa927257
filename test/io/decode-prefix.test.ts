import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodedPrefixSync } from '../../src/io/decode.js';
import { tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('decodedPrefixSync (readCsv sample)', () => {
  it('a file smaller than the sample is read into a buffer of its own size, not the sample size', () => {
    const path = join(tmp.dir, 'small.csv');
    const text = 'a,b\n1,2\n3,4\n';
    writeFileSync(path, text);
    const bytes = decodedPrefixSync(path, 'none', 1 << 20);
    expect(new TextDecoder().decode(bytes)).toBe(text);
    expect(bytes.buffer.byteLength).toBe(text.length);
  });

  it('a file larger than the sample gives the sample, and compressed files decode the same', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${i},${i * 7}`).join('\n');
    const path = join(tmp.dir, 'big.csv');
    writeFileSync(path, text);
    expect(new TextDecoder().decode(decodedPrefixSync(path, 'none', 1000))).toBe(text.slice(0, 1000));
    const gz = join(tmp.dir, 'big.csv.gz');
    writeFileSync(gz, gzipSync(text));
    expect(new TextDecoder().decode(decodedPrefixSync(gz, 'gzip', 1 << 20))).toBe(text);
  });
});
