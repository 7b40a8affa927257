import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from './helpers.js';

// What a fresh script loads, main thread and worker threads alike, recorded by a preload that
// every thread runs (workers inherit --import): ES module resolutions through a loader hook,
// require() calls through Module._load. Runs the built package (npm test builds first).
const ROOT = join(import.meta.dirname, '..');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'airline', 'expected.json'), 'utf8')) as { columns: Record<string, Record<string, number>> };

const PRELOAD = `
import { register, Module } from 'node:module';
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
const log = process.env.DUSK_TEST_LOAD_LOG;
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(\${JSON.stringify(log)}, '\${threadId} ' + resolved.url + '\\\\n');
  return resolved;
}\`));
const load = Module._load;
Module._load = function (request, ...rest) {
  appendFileSync(log, threadId + ' ' + request + '\\n');
  return load.call(this, request, ...rest);
};
`;

describe.runIf(existsSync(join(ROOT, 'dist', 'index.js')))('what a fresh script loads', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  writeFileSync(join(tmp.dir, 'preload.mjs'), PRELOAD);

  /** Runs `body` (with ddf imported) in a fresh node; returns its output and, per thread id, what that thread loaded. */
  function run(name: string, body: string): { out: string; loads: Map<string, string[]> } {
    const script = join(tmp.dir, `${name}.mjs`);
    const log = join(tmp.dir, `${name}.log`);
    writeFileSync(script, `import * as ddf from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};\n${body}`);
    writeFileSync(log, '');
    const out = execFileSync(process.execPath, ['--import', join(tmp.dir, 'preload.mjs'), script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DUSK_TEST_LOAD_LOG: log }, timeout: 60_000 });
    const loads = new Map<string, string[]>();
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
      const [thread, what] = line.split(' ') as [string, string];
      loads.set(thread, [...(loads.get(thread) ?? []), what]);
    }
    return { out, loads };
  }
  const loaded = (list: string[] | undefined, name: string) => (list ?? []).some((what) => what === name || what.includes(`/node_modules/${name}/`));

  it('a reduction on worker threads loads neither apache-arrow nor the dependencies it does not use, in any thread', () => {
    const file = join(FIXTURES, 'airline', 'none', '2001.csv');
    const { out, loads } = run('reduce', `console.log(await ddf.readCsv(${JSON.stringify(file)}, { encoding: 'latin1' }).col('DepDelay').max().compute({ scheduler: 'threads', numWorkers: 1, inlineBelowBytes: 0 }));`);
    expect(Number(out)).toBeGreaterThan(0);
    const workers = [...loads].filter(([, list]) => list.some((w) => w.endsWith('/dist/scheduler/worker-entry.js')));
    expect(workers).toHaveLength(1); // the preload saw the worker thread too
    expect(loads.has('0')).toBe(true);
    for (const [thread, list] of loads) {
      for (const dependency of ['apache-arrow', 'acorn', 'acorn-walk', 'tinyglobby', 'minizlib', 'ws']) {
        expect(loaded(list, dependency), `thread ${thread} loaded ${dependency}`).toBe(false);
      }
    }
  });

  it('a table loads apache-arrow in the main thread only, where the table is built; a glob of one directory does not load tinyglobby', () => {
    const glob = join(FIXTURES, 'airline', 'none', '*.csv');
    const { out, loads } = run('table', `const df = ddf.readCsv(${JSON.stringify(glob)}, { encoding: 'latin1' });\nconst [max, table] = await ddf.compute(df.col('DepDelay').max(), df.head(5), { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });\nconsole.log(JSON.stringify([max, table.numRows]));`);
    expect(JSON.parse(out)).toEqual([expected.columns.DepDelay!.max, 5]);
    expect(loaded(loads.get('0'), 'apache-arrow')).toBe(true);
    expect(loaded(loads.get('0'), 'tinyglobby')).toBe(false); // io/list-files.ts simpleGlob
    const workers = [...loads.keys()].filter((t) => t !== '0');
    expect(workers.length).toBeGreaterThan(0);
    for (const thread of workers) expect(loaded(loads.get(thread), 'apache-arrow'), `worker thread ${thread}`).toBe(false);
  });
});
