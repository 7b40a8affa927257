/**
 * Bench: 10**7 standard normals and 10**7 uniforms from Generator(PCG64), against numpy on
 * the same machine (python3 subprocess). Prints best-of-N wall times and the ratio to numpy.
 *   npx tsx bench/random.ts [n]
 */
import { spawnSync } from 'node:child_process';
import { Generator, PCG64 } from '../src/random/index.js';

const N = Number(process.argv[2] ?? 1e7);
const REPEATS = 3;

function best(f: () => unknown): number {
  let t = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    f();
    t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return t;
}

function numpyTimes(): Record<string, number> | string {
  const code = `
import json, time, numpy as np
g = np.random.Generator(np.random.PCG64(1))
out = np.empty(${N})
def best(f):
    t = float('inf')
    for _ in range(${REPEATS}):
        t0 = time.perf_counter(); f(); t = min(t, (time.perf_counter() - t0) * 1000)
    return t
print(json.dumps({'numpy': np.__version__,
  'random': best(lambda: g.random(${N})),
  'random out=': best(lambda: g.random(out=out)),
  'standard_normal': best(lambda: g.standard_normal(${N})),
  'standard_normal out=': best(lambda: g.standard_normal(out=out)),
  'normal': best(lambda: g.normal(0, 1, ${N})),
  'standard_exponential': best(lambda: g.standard_exponential(${N}))}))
`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `python3/numpy unavailable (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
  return JSON.parse(r.stdout) as Record<string, number>;
}

const g = new Generator(new PCG64(1));
g.random(1000); // build the WebAssembly kernel and warm up the JIT outside the timings
g.standardNormal(1000);
const out = new Float64Array(N);
const dusk: Record<string, number> = {
  random: best(() => g.random(N)),
  'random out=': best(() => g.random(undefined, 'float64', out)),
  standard_normal: best(() => g.standardNormal(N)),
  'standard_normal out=': best(() => g.standardNormal(undefined, 'float64', out)),
  normal: best(() => g.normal(0, 1, N)),
  standard_exponential: best(() => g.standardExponential(N)),
};
const np = numpyTimes();
console.log(`n = ${N}, best of ${REPEATS}, node ${process.version}`);
console.log('(plain calls allocate a fresh array each time; "out=" rows fill a preallocated one, as numpy\'s out=)');
if (typeof np === 'string') console.log(`numpy baseline skipped: ${np}`);
else console.log(`numpy ${np.numpy}`);
for (const [k, t] of Object.entries(dusk)) {
  const base = typeof np === 'string' ? undefined : np[k];
  const ratio = base === undefined ? '' : `  numpy ${base.toFixed(1)} ms  ratio ${(t / base).toFixed(2)}x`;
  console.log(`${k.padEnd(22)} dusk ${t.toFixed(1)} ms${ratio}`);
}
