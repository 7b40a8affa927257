// Bundles the tsc output (dist/) into a few files, run by `npm run build` after tsc.
//
// Why: Node's ES module loader costs about 1 ms of CPU per file (resolve, stat, read, compile,
// link), and Dusk is ~190 files: importing it cost 175–240 ms of CPU, bundled 65–100 ms; each
// worker thread paid it again. The entry points keep their paths (package.json's exports, the
// bin, the worker programs), so nothing that names a file changes; code that several entries
// use goes into shared chunks (dist/chunks/), so a thread has one instance of each module —
// a task module's `import 'dusk'` inside a worker shares the worker's state. The per-file
// modules and .d.ts files tsc wrote stay beside them (types, source maps); dependencies stay
// external, and apache-arrow stays a lazy import (src/core/to-arrow.ts).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// ml/cv-task is an entry so that the chunk holding crossValidate's task exports it: workers
// import the module the task's import.meta.url names (that chunk) and look for it among its exports.
const entries = ['index', 'random/index', 'ml/cv-task', 'cli/main', 'scheduler/worker-entry', 'scheduler/process-worker-entry'];
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(entries.map((e) => [e, `dist/${e}.js`])),
  outdir: 'dist',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});

// workerProgram (src/scheduler/process-spawn.ts) finds the worker programs from dist/chunks/.
const { readdirSync, readFileSync } = await import('node:fs');
const home = readdirSync('dist/chunks').filter((f) => f.endsWith('.js') && readFileSync(`dist/chunks/${f}`, 'utf8').includes('function workerProgram('));
if (home.length !== 1) throw new Error(`scripts/bundle.mjs: workerProgram must be in exactly one chunk of dist/chunks/ (found in ${home.length})`);
