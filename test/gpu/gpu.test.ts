/**
 * GPU-offloaded columns (issue 15), through a real WebGPU adapter: Mesa lavapipe on CI (.ci/run
 * installs it and sets VK_DRIVER_FILES). Without an adapter the GPU tests say so and are skipped;
 * the fallback test runs everywhere.
 *
 * The stated bound: f32 on the GPU against float64 on the CPU, for expressions of depth ≤ 3 over
 * values in [-4, 4], |gpu − cpu| ≤ 1e-4·(1 + |cpu|) + 1e-5·max|cpu| of the column. Comparisons,
 * floor/ceil and integer results are exact (their operands are exact in f32 here). Where the CPU
 * gives NaN or ±Infinity the GPU value is unspecified (WGSL may assume finite floats).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bool, Float64, Int32, makeTable, type Table, vectorFromArray } from 'apache-arrow';
import * as ddf from 'dusk';
import { col, type Expr, lit, when } from 'dusk';
import { rng, tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const info = await ddf.gpu.info();
if (info === null) console.log('GPU tests skipped: no WebGPU adapter on this machine (install Mesa lavapipe ≥ 24 and set VK_DRIVER_FILES)');
const gpuIt = info === null ? it.skip : it;

afterAll(() => ddf.shutdown());

const N = 3000;
const random = rng(15);
/** Multiples of 1/8 in [-4, 4]: exact in f32, so inputs and comparisons agree to the bit. */
const quantized = () => Math.round((random() * 8 - 4) * 8) / 8;
const maybeNull = <T>(v: T): T | null => (random() < 0.1 ? null : v);

function table(): Table {
  const f = Array.from({ length: N }, () => maybeNull(quantized()));
  const g = Array.from({ length: N }, () => maybeNull(quantized()));
  const k = Array.from({ length: N }, () => maybeNull(Math.floor(random() * 41) - 20));
  const b = Array.from({ length: N }, () => maybeNull(random() < 0.5));
  return makeTableFrom({ f: vectorFromArray(f, new Float64()), g: vectorFromArray(g, new Float64()), k: vectorFromArray(k, new Int32()), b: vectorFromArray(b, new Bool()) });
}

function makeTableFrom(vectors: Record<string, { readonly data: readonly unknown[] }>): Table {
  return makeTable(Object.fromEntries(Object.entries(vectors).map(([name, v]) => [name, v.data[0]!])) as never) as unknown as Table;
}

const data = table();
const df = ddf.fromArrow(data, { npartitions: 2 });

// Random expressions over the supported subset, by result type.
type Kind = 'float' | 'int' | 'bool';
function pick<T>(items: T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
function exprOf(kind: Kind, depth: number): Expr {
  const leaf = depth <= 0 || random() < 0.2;
  if (kind === 'bool') {
    if (leaf) return pick([() => col('b'), () => col('f').gt(quantized()), () => col('k').le(3), () => col('f').isNull(), () => col('g').ne(col('f'))])();
    return pick([
      () => exprOf('bool', depth - 1).and(exprOf('bool', depth - 1)),
      () => exprOf('bool', depth - 1).or(exprOf('bool', depth - 1)),
      () => exprOf('bool', depth - 1).not(),
      () => col('f').add(col('g')).lt(col('k').cast('float64')),
      () => col('k').abs().ge(lit(7)),
      () => col('b').eq(exprOf('bool', depth - 1)),
    ])();
  }
  if (kind === 'int') {
    if (leaf) return pick([() => col('k'), () => lit(5)])();
    return pick([
      () => exprOf('int', depth - 1).abs(),
      () => exprOf('int', depth - 1).neg(),
      () => when(exprOf('bool', depth - 1)).then(exprOf('int', depth - 1)).otherwise(exprOf('int', depth - 1)),
      () => exprOf('int', depth - 1).fillNull(-1),
      () => col('k').floor(),
    ])();
  }
  if (leaf) return pick([() => col('f'), () => col('g'), () => lit(quantized()), () => col('k').cast('float64')])();
  const a = () => exprOf('float', depth - 1);
  return pick([
    () => a().add(a()),
    () => a().sub(a()),
    () => a().mul(a()),
    () => a().div(col('g').abs().add(1)),
    () => col('f').exp().mul(a()),
    () => a().sin(),
    () => a().cos(),
    () => a().abs().sqrt(),
    () => a().abs().add(1).log(),
    () => a().neg(),
    () => col('g').floor().add(col('f').ceil()),
    () => when(exprOf('bool', depth - 1)).then(a()).otherwise(a()),
    () => a().fillNull(0.5),
    () => col('k').div(col('f').abs().add(2)),
  ])();
}

function valuesOf(t: Table, name: string): (number | boolean | null)[] {
  const v = t.getChild(name)!;
  return Array.from({ length: t.numRows }, (_, i) => v.get(i) as number | boolean | null);
}

/** Compares a GPU result column with the CPU's under the stated bound; returns the mismatches. */
function mismatches(gpu: (number | boolean | null)[], cpu: (number | boolean | null)[]): string[] {
  const bad: string[] = [];
  const finite = cpu.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const scale = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  cpu.forEach((c, i) => {
    const g = gpu[i]!;
    if (c === null || g === null) {
      if (c !== g) bad.push(`row ${i}: cpu ${c} gpu ${g}`);
      return;
    }
    if (typeof c === 'boolean' || typeof g === 'boolean') {
      if (c !== g) bad.push(`row ${i}: cpu ${c} gpu ${g}`);
      return;
    }
    if (!Number.isFinite(c)) return;
    if (!(Math.abs(g - c) <= 1e-4 * (1 + Math.abs(c)) + 1e-5 * scale)) bad.push(`row ${i}: cpu ${c} gpu ${g}`);
  });
  return bad;
}

describe('GPU pipelines equal the CPU path within the f32 bound', () => {
  gpuIt('random expressions over random columns with nulls (select and filter), each kernel on the GPU', async () => {
    const kinds: Kind[] = ['float', 'float', 'float', 'int', 'bool'];
    for (let round = 0; round < 4; round++) {
      const outputs: Record<string, Expr> = {};
      for (let e = 0; e < 10; e++) outputs[`e${e}`] = exprOf(kinds[e % kinds.length]!, 3);
      const filter = exprOf('bool', 2);
      const frame = df.filter(filter).select(outputs);
      const gpu = await frame.toArrow().compute({ device: 'gpu', gpuFloat32: true, scheduler: 'sync' });
      expect(ddf.lastComputeReport()!.gpuTasks).toBe(2); // one per partition
      const cpu = await frame.toArrow().compute({ device: 'cpu', scheduler: 'sync' });
      expect(ddf.lastComputeReport()!.gpuTasks).toBe(0);
      expect(gpu.numRows).toBe(cpu.numRows);
      expect(gpu.numRows).toBeGreaterThan(0);
      for (const [name, expr] of Object.entries(outputs)) {
        const bad = mismatches(valuesOf(gpu, name), valuesOf(cpu, name));
        expect(bad.slice(0, 3), `${expr.toString()} (filter ${filter.toString()})`).toEqual([]);
        expect(gpu.getChild(name)!.type.toString()).toBe(cpu.getChild(name)!.type.toString());
      }
    }
  });

  gpuIt('reductions: a fused filter → expression → partial reduce per partition (only partials come back)', async () => {
    const filtered = df.filter(col('f').gt(-2).and(col('b').not()));
    const value = col('f').exp().add(col('f').sin().mul(3));
    const s = filtered.withColumns({ v: value }).col('v');
    const ints = filtered.col('k');
    const targets = [s.sum(), s.mean(), s.min(), s.max(), s.count(), s.std(), ints.sum(), ints.count(), ints.max()];
    const gpu = await ddf.compute(targets, { device: 'gpu', gpuFloat32: true, scheduler: 'sync' });
    // One fused kernel per partition and pipeline: sum, mean, min, max, count and std of v share one, those of k another.
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(2 * 2);
    const cpu = await ddf.compute(targets, { device: 'cpu', scheduler: 'sync' });
    (gpu[0] as number[]).forEach((g, i) => {
      const c = (cpu[0] as number[])[i]!;
      expect(Math.abs(g - c), `target ${i}: gpu ${g} cpu ${c}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(c)) * Math.sqrt(N));
    });
    // Counts, and min/max of an int column, are exact.
    expect(gpu[0]![4]).toBe(cpu[0]![4]);
    expect(gpu[0]![7]).toBe(cpu[0]![7]);
    expect(gpu[0]![8]).toBe(cpu[0]![8]);
    expect(gpu[0]![6]).toBe(cpu[0]![6]); // an int sum below 2^24 per partial is exact in f32
  });

  gpuIt('columns larger than the storage-binding limit go in chunks, with the same results', async () => {
    const rows = 20_000;
    const x = Float64Array.from({ length: rows }, (_, i) => ((i * 37) % 64) / 8 - 4);
    const big = ddf.fromColumns({ x }, { npartitions: 1 });
    const frame = big.filter(col('x').ge(-3)).withColumns({ y: col('x').exp().add(col('x').sin().mul(3)) });
    const sum = frame.col('y').sum();
    const options = { device: 'gpu', gpuFloat32: true, scheduler: 'sync' } as const;
    const whole = await ddf.compute(frame.toArrow(), sum, options);
    expect(ddf.lastComputeReport()!.gpuChunks).toBe(2);
    process.env.DUSK_GPU_BINDING_CAP = String(16 * 1024); // 4,096 f32 values per binding: 20,000 rows → 5 chunks per kernel
    try {
      const chunked = await ddf.compute(frame.toArrow(), sum, options);
      expect(ddf.lastComputeReport()!.gpuChunks).toBe(10);
      expect(valuesOf(chunked[0], 'y')).toEqual(valuesOf(whole[0], 'y'));
      expect(Math.abs(chunked[1] - whole[1])).toBeLessThanOrEqual(1e-6 * Math.abs(whole[1]));
    } finally {
      delete process.env.DUSK_GPU_BINDING_CAP;
    }
  });

  gpuIt('a GPU task and CPU worker tasks in one graph (threads scheduler)', async () => {
    const gpuSum = df.withColumns({ v: col('f').mul(col('g')).onDevice('gpu') }).col('v').sum();
    const cpuMax = df.col('g').max();
    const square = ddf.delayed((n: number) => n * n)(12);
    const [s, m, sq] = await ddf.compute(gpuSum, cpuMax, square, { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0, gpuFloat32: true });
    const report = ddf.lastComputeReport()!;
    expect(report.gpuTasks).toBe(2);
    expect(report.workerTasks).toBeGreaterThanOrEqual(3);
    expect(report.gpu).toBe(info!.adapter);
    const [s2, m2] = await ddf.compute(gpuSum, cpuMax, { scheduler: 'sync', device: 'cpu' });
    expect(Math.abs(s - s2)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(s2)));
    expect(m).toBe(m2);
    expect(sq).toBe(144);
  });

  gpuIt('a CSV file read on worker threads and processes feeds GPU kernels on the calling process', async () => {
    const { dir, remove } = tempDir('dusk-gpu-csv-');
    try {
      const r = rng(7);
      const lines = ['a,b,s'];
      for (let i = 0; i < 5000; i++) lines.push(`${r() < 0.1 ? '' : (Math.round(r() * 64) / 8 - 4).toFixed(3)},${Math.floor(r() * 100) - 50},${r() < 0.5 ? 'x' : 'y'}`);
      for (const part of [0, 1]) writeFileSync(join(dir, `part-${part}.csv`), `${lines.join('\n')}\n`);
      const frame = ddf.readCsv(join(dir, '*.csv')).filter(col('b').gt(-10)).withColumns({ z: col('a').exp().sub(col('b').cast('float64').div(7)) });
      const targets = [frame.col('z').sum(), frame.col('z').max(), frame.select('z', 's').toArrow()];
      const [cpu] = (await ddf.compute(targets, { device: 'cpu', scheduler: 'sync' })) as unknown as [[number, number, Table]];
      for (const scheduler of ['threads', 'processes'] as const) {
        const [gpu] = (await ddf.compute(targets, { device: 'gpu', gpuFloat32: true, scheduler, numWorkers: 2, inlineBelowBytes: 0 })) as unknown as [[number, number, Table]];
        const report = ddf.lastComputeReport()!;
        expect(report.gpuTasks, scheduler).toBe(4); // per file: one fused reduce, one map
        expect(report.workerTasks, scheduler).toBe(2); // the two scans
        expect(Math.abs(gpu[0] - cpu[0])).toBeLessThanOrEqual(1e-4 * Math.abs(cpu[0]));
        expect(Math.abs(gpu[1] - cpu[1])).toBeLessThanOrEqual(1e-6 * Math.abs(cpu[1]));
        const [g, c] = [gpu[2], cpu[2]];
        expect(mismatches(valuesOf(g, 'z'), valuesOf(c, 'z'))).toEqual([]);
        expect(valuesOf(g, 's')).toEqual(valuesOf(c, 's'));
      }
    } finally {
      remove();
    }
  });

  gpuIt('explain says which pipeline runs where, and why one stays on the CPU', () => {
    const text = ddf.explain(df.withColumns({ v: col('f').exp() }).col('v').sum(), df.filter(col('k').add(1).gt(3)).toArrow(), { device: 'gpu' });
    expect(text).toMatch(/device: CPU: \[v: col\("f"\)\.exp\(\)\] → stats\(v\) — column 'f' is float64: .*gpuFloat32/);
    expect(text).toMatch(/device: CPU: filter .* — .*int64, which the GPU does not run/);
    const allowed = ddf.explain(df.withColumns({ v: col('f').exp() }).col('v').sum(), { device: 'gpu', gpuFloat32: true });
    expect(allowed).toContain(`device: GPU (${info!.adapter}): [v: col("f").exp()] → stats(v)`);
    expect(allowed).toMatch(/2 on the GPU/);
  });
});

describe('ddf.gpu.map and ddf.gpu.matmul', () => {
  gpuIt('gpu.map (scenario 1D) equals the CPU path within the bound, also in chunks', async () => {
    const n = 10_000;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 4);
    const expr = col('x').exp().add(col('x').sin().mul(3));
    const onGpu = (await ddf.gpu.map(expr, { x })) as Float32Array;
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(1);
    const onCpu = (await ddf.gpu.map(expr, { x }).compute({ device: 'cpu', scheduler: 'sync' })) as Float32Array;
    expect(onGpu).toBeInstanceOf(Float32Array);
    expect(onGpu.length).toBe(n);
    for (let i = 0; i < n; i++) expect(Math.abs(onGpu[i]! - onCpu[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(onCpu[i]!)));
    process.env.DUSK_GPU_BINDING_CAP = String(8 * 1024);
    try {
      expect(await ddf.gpu.map(expr, { x })).toEqual(onGpu);
      expect(ddf.lastComputeReport()!.gpuChunks).toBe(5); // 2,048 f32 values per binding
    } finally {
      delete process.env.DUSK_GPU_BINDING_CAP;
    }
  });

  gpuIt('a gpu.map the GPU cannot run goes to the CPU workers, and explain says why', async () => {
    const k = Int32Array.from([1, -2, 3]);
    const lazy = ddf.gpu.map(col('k').add(1), { k });
    expect(lazy.explain()).toMatch(/device: CPU: ArrayMap \(col\("k"\) \+ 1\) over 3 values — .*int64/);
    const out = await lazy.compute({ scheduler: 'sync' });
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(0);
    expect(out).toEqual(BigInt64Array.from([2n, -1n, 4n]));
    expect(await ddf.gpu.map(col('k').abs(), { k })).toEqual(Int32Array.from([1, 2, 3]));
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(1);
  });

  gpuIt('gpu.matmul equals the blocked CPU matmul (sizes off the 64-tile grid; row blocks past the binding limit)', async () => {
    const [m, k, n] = [130, 70, 90];
    const r = rng(3);
    const a = Float32Array.from({ length: m * k }, () => r() * 2 - 1);
    const b = Float32Array.from({ length: k * n }, () => r() * 2 - 1);
    const c = await ddf.gpu.matmul(a, b, { m, k, n });
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(1);
    const cpu = await ddf.gpu.matmul(a, b, { m, k, n }).compute({ device: 'cpu', scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
    expect(ddf.lastComputeReport()!.workerTasks).toBe(2);
    let exact = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * n + j]!;
        exact = Math.max(exact, Math.abs(c[i * n + j]! - s), Math.abs(cpu[i * n + j]! - Math.fround(s)));
      }
    }
    expect(exact).toBeLessThanOrEqual(k * 2 ** -23);
    process.env.DUSK_GPU_BINDING_CAP = String(100 * 4 * 90); // 100 rows of A·B per block: 2 blocks
    try {
      expect(await ddf.gpu.matmul(a, b, { m, k, n })).toEqual(c);
      expect(ddf.lastComputeReport()!.gpuChunks).toBe(2);
    } finally {
      delete process.env.DUSK_GPU_BINDING_CAP;
    }
  });
});

describe('expr.onDevice and the device options', () => {
  it('onDevice leaves values unchanged on the CPU, and its device and the options are checked', async () => {
    const frame = ddf.fromColumns({ x: [1.5, null, -2] });
    const t = await frame.select({ y: col('x').mul(2).onDevice('cpu') }).toArrow().compute({ scheduler: 'sync' });
    expect(valuesOf(t, 'y')).toEqual([3, null, -4]);
    expect(() => frame.select({ y: col('x').onDevice('tpu' as 'gpu') }).toArrow().explain()).toThrow(/onDevice: device must be 'gpu' or 'cpu'; got "tpu"/);
    expect(() => ddf.config.set({ device: 'tpu' as 'gpu' })).toThrow(/device must be 'auto', 'gpu' or 'cpu'; got 'tpu'/);
    expect(() => ddf.config.set({ gpuFloat32: 1 as unknown as boolean })).toThrow(/gpuFloat32 must be true or false/);
    expect(col('x').exp().onDevice('gpu').toString()).toBe('col("x").exp().onDevice("gpu")');
  });

  gpuIt("onDevice('cpu') keeps a pipeline on the CPU under device 'gpu', onDevice('gpu') sends one there without it", async () => {
    const kept = df.withColumns({ v: col('f').abs().onDevice('cpu') }).col('v').sum();
    await kept.compute({ device: 'gpu', gpuFloat32: true, scheduler: 'sync' });
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(0);
    const sent = df.withColumns({ v: col('f').abs().onDevice('gpu') }).col('v').sum();
    await sent.compute({ gpuFloat32: true, scheduler: 'sync' });
    expect(ddf.lastComputeReport()!.gpuTasks).toBe(2);
    ddf.config.set({ device: 'gpu', gpuFloat32: true });
    try {
      await df.withColumns({ v: col('f').abs() }).col('v').sum().compute({ scheduler: 'sync' });
      expect(ddf.lastComputeReport()!.gpuTasks).toBe(2);
    } finally {
      ddf.config.reset();
    }
  });
});

describe('without a GPU adapter', () => {
  it('runs the same pipeline on the CPU workers and says so in one line', () => {
    const script = `import * as ddf from 'dusk';
const { col } = ddf;
const df = ddf.fromColumns({ x: Float64Array.from({ length: 1000 }, (_, i) => i / 100) }, { npartitions: 2 });
const s = df.withColumns({ y: col('x').exp() }).col('y').sum();
const a = await s.compute({ device: 'gpu', gpuFloat32: true, scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
const r1 = ddf.lastComputeReport();
const b = await s.compute({ device: 'gpu', gpuFloat32: true, scheduler: 'sync' });
const m = await ddf.gpu.map(col('x').mul(2), { x: new Float32Array([1, 2, 3]) });
console.log(JSON.stringify({ a, b, gpuTasks: r1.gpuTasks, workerTasks: r1.workerTasks, fallback: r1.gpuFallback, info: await ddf.gpu.info(), m: Array.from(m) }));
await ddf.shutdown();
`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, DUSK_GPU: '0' }, encoding: 'utf8', timeout: 60_000 });
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout.trim());
    let exact = 0;
    for (let i = 0; i < 1000; i++) exact += Math.exp(i / 100);
    expect(Math.abs(result.a - exact)).toBeLessThanOrEqual(1e-9 * exact);
    expect(result.b).toBe(result.a);
    expect(result).toMatchObject({ gpuTasks: 0, workerTasks: 2, fallback: 'DUSK_GPU=0 in the environment', info: null, m: [2, 4, 6] });
    const lines = out.stderr.split('\n').filter((l) => l.includes('GPU'));
    expect(lines).toEqual(['dusk: a GPU was asked for but none is available (DUSK_GPU=0 in the environment); running on the CPU workers']);
  });

  gpuIt('a script that used the GPU exits by itself, normally', () => {
    const script = `import * as ddf from 'dusk';\nconst y = await ddf.gpu.map(ddf.col('x').add(1), { x: new Float32Array([1, 2]) });\nconsole.log(Array.from(y).join(','));\n`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('2,3');
  });
});

// The package self-reference resolves to dist/: make sure it was built (npm test builds first).
createRequire(import.meta.url).resolve('dusk');
