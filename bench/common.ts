/**
 * Shared by the bench parts (bench/read.ts runs them): settings from the environment, the
 * airline data sets, timing, tables and the targets of issue 5.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const DATA = join(ROOT, 'bench', 'data');
export const SHARDS = Number(process.env.BENCH_SHARDS ?? 8);
export const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
export const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
/** Dusk's own default (DUSK_NUM_WORKERS, else os.availableParallelism()); every peer gets as many cores. */
export const WORKERS = Number(process.env.DUSK_NUM_WORKERS) > 0 ? Number(process.env.DUSK_NUM_WORKERS) : availableParallelism();
export const CORES = availableParallelism();
export const PYTHON = '/usr/bin/python3';

export type Format = 'none' | 'gz' | 'bz2';
export const EXT = { none: '.csv', gz: '.csv.gz', bz2: '.csv.bz2' } as const;
export const FORMAT_NAME = { none: 'plain', gz: 'gzip', bz2: 'bz2' } as const;

export interface Manifest {
  shards: number;
  rows_per_shard: number;
  total: { rows: number; bytes_uncompressed: number; DepDelay: { count: number; min: number; max: number; mean: number } };
}

/** The 8-shard set of issue 5 in one format, generated with scripts/gen_airline.py when absent. */
export function ensureData(format: Format): Manifest {
  const dir = join(DATA, format);
  const manifestPath = join(dir, 'manifest.json');
  const fits = (m: Manifest) => m.shards === SHARDS && m.rows_per_shard === ROWS;
  if (!existsSync(manifestPath) || !fits(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)) {
    console.error(`generating ${SHARDS} × ${ROWS} rows (${format}) in bench/data/${format} …`);
    execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', dir, '--shards', String(SHARDS), '--rows-per-shard', String(ROWS), '--compression', format, '--seed', '42', '--jobs', String(WORKERS)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
}

export function files(format: Format): string[] {
  const dir = join(DATA, format);
  return readdirSync(dir).filter((f) => f.endsWith(EXT[format])).sort().map((f) => join(dir, f));
}

export function glob(format: Format): string {
  return join(DATA, format, `*${EXT[format]}`);
}

/** Best of REPEAT runs, in seconds. */
export async function best(run: () => unknown, repeat = REPEAT): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await run();
    min = Math.min(min, (performance.now() - t) / 1000);
  }
  return min;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds used so far by this process (every thread) and its exited, reaped children (the
 * lbzip2 decoders), from /proc/self/stat; NaN where there is no /proc.
 */
export function cpuSecondsWithChildren(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // after the command: state(0) ppid … utime(11) stime(12) cutime(13) cstime(14)
    return (f[11]! + f[12]! + f[13]! + f[14]!) / CLK_TCK;
  } catch {
    return NaN;
  }
}

export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

export function pythonHas(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** Checks an engine's answer against the generator's exact aggregates. */
export function checkAnswer(engine: string, format: Format, got: { max: number; min: number; mean: number }, manifest: Manifest): void {
  const want = manifest.total.DepDelay;
  if (got.max !== want.max || got.min !== want.min || Math.abs(got.mean - want.mean) > 1e-9 * Math.abs(want.mean)) {
    throw new Error(`${engine} gave a wrong answer on ${format}: ${JSON.stringify(got)}, want ${JSON.stringify({ max: want.max, min: want.min, mean: want.mean })}`);
  }
}

export function markdownTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** One target of issue 5 with what this run measured. */
export interface Target {
  part: string;
  target: string;
  /** What was measured, in the unit of `goal` (a ratio, MB/s, MB). */
  measured: number;
  goal: string;
  met: boolean | null;
  /** Why it was not measured, when `met` is null. */
  note?: string;
}

export function target(part: string, name: string, measured: number, goal: string, pass: (x: number) => boolean, note?: string): Target {
  const ok = Number.isFinite(measured) ? pass(measured) : null;
  return { part, target: name, measured, goal, met: ok, ...(note !== undefined || ok === null ? { note: note ?? 'not measured' } : {}) };
}

export function targetsTable(targets: Target[]): string {
  return markdownTable(
    ['part', 'target', 'measured', 'goal', 'met'],
    targets.map((t) => [t.part, t.target, Number.isFinite(t.measured) ? fmt(t.measured) : '–', t.goal, t.met === null ? `skipped: ${t.note}` : t.met ? 'yes' : `**no**${t.note ? ` (${t.note})` : ''}`]),
  );
}

/** A part's results: markdown for bench/results-<part>.md and the targets it measured. */
export interface PartResult {
  part: string;
  markdown: string;
  targets: Target[];
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function machineLine(): string {
  return `${today()}, ${CORES} cores (${WORKERS} workers), Node ${process.version}`;
}

/** Every descendant of a pid, from /proc/<pid>/stat's parent field. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) out.push(c), stack.push(c);
  return out;
}

export function procStatus(pid: number): { name: string; hwmMB: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { name: /Name:\s+(\S+)/.exec(s)?.[1] ?? '?', hwmMB: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds of this process so far, every thread (worker threads, native thread pools). */
export function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The best wall and the best CPU seconds of `repeat` runs of `run`, and what the last one returned. */
export async function bestWallAndCpu<R>(repeat: number, run: () => Promise<R>): Promise<{ seconds: number; cpu: number; rows: R }> {
  let seconds = Infinity;
  let cpu = Infinity;
  let rows: R | undefined;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const c = processCpuSeconds();
    rows = await run();
    cpu = Math.min(cpu, processCpuSeconds() - c);
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, cpu, rows: rows as R };
}
