import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { globSync } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, simpleGlob } from '../../src/io/list-files.js';
import { tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('listFiles: simple patterns without the glob library', () => {
  const dir = join(tmp.dir, 'data');
  mkdirSync(join(dir, 'sub.csv'), { recursive: true }); // a directory whose name matches
  for (const name of ['2001.csv', '2002.csv', '2010.csv', 'a b.csv', 'x.csv.gz', '.hidden.csv', 'A.CSV', 'r+e(g)$.csv', 'sub.csv/inner.csv']) writeFileSync(join(dir, name), 'a\n1\n');
  symlinkSync(join(dir, '2001.csv'), join(dir, 'link.csv'));
  symlinkSync(join(dir, 'missing.csv'), join(dir, 'broken.csv'));

  const patterns = ['*.csv', '200?.csv', '20*', '*', '.*.csv', '*.CSV', 'r+e(g)$.csv', 'a b.csv', '*b*', 'nothing-*.csv', '?'];

  it('matches exactly what tinyglobby matches, absolute and relative to the working directory', () => {
    for (const p of patterns) {
      const absolute = join(dir, p);
      const fast = simpleGlob(absolute);
      if (fast === undefined) {
        expect(/[()$+]/.test(p), p).toBe(true); // only patterns with other syntax are left to tinyglobby
        continue;
      }
      expect(fast.sort(), absolute).toEqual(globSync(absolute, { absolute: true, onlyFiles: true, expandDirectories: false }).sort());
      const rel = relative(process.cwd(), absolute);
      if (!rel.startsWith('..')) expect(simpleGlob(rel)!.sort(), rel).toEqual(globSync(rel, { onlyFiles: true, expandDirectories: false }).sort());
    }
    expect(simpleGlob(join(dir, '*.csv'))!.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['2001.csv', '2002.csv', '2010.csv', 'a b.csv', 'link.csv', 'r+e(g)$.csv']);
  });

  it('leaves other patterns to tinyglobby', () => {
    for (const p of ['data/**/*.csv', 'data/{a,b}.csv', 'data/[0-9].csv', 'da*/x.csv', './data/*.csv', '../data/*.csv', 'data/./x/*.csv', 'data//*.csv']) expect(simpleGlob(p), p).toBeUndefined();
    expect(listFiles(join(dir, '**', 'inner.csv'))).toEqual([join(dir, 'sub.csv', 'inner.csv')]);
    expect(listFiles(join(dir, '200*.csv'))).toEqual([join(dir, '2001.csv'), join(dir, '2002.csv')]);
    expect(() => listFiles(join(dir, 'nothing-*.csv'))).toThrow(/matched no files/);
  });
});
