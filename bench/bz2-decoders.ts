/**
 * Compares bz2 decoders on one file: MB/s of decoded output per core, with ratios against the
 * fastest (by median). Run: `npx tsx bench/bz2-decoders.ts [file.bz2] [--reps N]`.
 * Without a file it generates 300k airline rows into bench/data/ (git-ignored) once.
 *
 * "Per core" is decoded MB divided by the CPU seconds spent by every process involved (our
 * process plus the child decoder, read with the shell's `times`), so a decoder running beside
 * our thread is charged for its own core. Wall-clock MB/s is printed too. The decoders
 * run round-robin, N rounds (default 5), and the median run of each is reported.
 * Optional decoders: seek-bzip (`npm install --no-save seek-bzip`, or NODE_PATH pointing at a
 * node_modules that has it) and lbzip2 (`apt-get install lbzip2`) are skipped when absent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBz2 } from '../src/io/codecs/bz2.js';
import { findSystemDecoder } from '../src/io/codecs/bz2-choice.js';
import { decodeBz2System, type Bz2Command } from '../src/io/codecs/bz2-system.js';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'dusk-bz2-bench-'));

interface Sample {
  wallS: number;
  cpuS: number;
  bytes: number;
}
interface Candidate {
  name: string;
  note: string;
  run: (file: string) => Promise<Sample>;
}

/** CPU seconds of this process (all its threads). */
function ownCpuS(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** Runs `cmd` under sh and returns the children's CPU seconds, as the shell's `times` reports them. */
function shellWithTimes(cmd: string, timesFile: string): { file: string; args: string[] } {
  return { file: 'sh', args: ['-c', `${cmd}; s=$?; times > '${timesFile}'; exit $s`] };
}
function readChildrenCpuS(timesFile: string): number {
  // Second line: children's user and system time, e.g. "0m0.480s 0m0.012s".
  const line = readFileSync(timesFile, 'utf8').trim().split('\n')[1] ?? '';
  let total = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}

async function countStream(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}

function timed(fn: () => Promise<number>, childCpu?: () => number): () => Promise<Sample> {
  return async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const bytes = await fn();
    const wallS = (performance.now() - t0) / 1e3;
    return { wallS, cpuS: ownCpuS(cpu0) + (childCpu ? childCpu() : 0), bytes };
  };
}

const readChunks = (file: string) => createReadStream(file, { highWaterMark: 1 << 20 });

function candidates(): Candidate[] {
  const list: Candidate[] = [];
  list.push({
    name: 'dusk wasm',
    note: "Dusk's decoder (bz2-decode.c, WASM) per block, streaming (the default)",
    run: (file) => timed(() => countStream(decodeBz2(readChunks(file), { path: file, decoder: 'wasm' })))(),
  });
  list.push({
    name: 'dusk wasm-libbz2',
    note: 'libbz2 (WASM) per block, streaming (the reference)',
    run: (file) => timed(() => countStream(decodeBz2(readChunks(file), { path: file, decoder: 'wasm-libbz2' })))(),
  });
  const tools: Array<[string, Bz2Command]> = [];
  const lb = findOnPathVia('lbzip2');
  if (lb) tools.push(['lbzip2', { file: lb, args: ['-d', '-c', '-n', '1'] }]);
  const bz = findOnPathVia('bzip2');
  if (bz) tools.push(['bzip2', { file: bz, args: ['-d', '-c'] }]);
  const sb = findOnPathVia('stdbuf');
  if (bz && sb) tools.push(['stdbuf bzip2', { file: sb, args: ['-o', '1M', bz, '-d', '-c'] }]);
  for (const [name, tool] of tools) {
    const cmd = [tool.file, ...tool.args].join(' ');
    const timesFile = join(scratch, `${name}.times`);
    list.push({
      name: `dusk system ${name}`,
      note: `${cmd} as a child, fed and drained by us`,
      run: (file) =>
        timed(
          () => countStream(decodeBz2System(readChunks(file), file, { ...shellWithTimes(cmd, timesFile) })),
          () => readChildrenCpuS(timesFile),
        )(),
    });
    list.push({
      name: `${name} alone`,
      note: `${cmd} < file > /dev/null (the tool's own limit)`,
      run: (file) =>
        timed(
          () => runToDevNull(shellWithTimes(`${cmd} < '${file}' > /dev/null`, timesFile)).then(() => expectedBytes),
          () => readChildrenCpuS(timesFile),
        )(),
    });
  }
  list.push({
    name: 'unbzip2-stream',
    note: 'pure JS, streaming',
    run: (file) =>
      timed(() => {
        // A classic (`through`) stream, not async-iterable: count its 'data' events.
        const unbzip2 = require('unbzip2-stream') as () => NodeJS.ReadWriteStream;
        return new Promise<number>((ok, fail) => {
          let n = 0;
          const out = readChunks(file).pipe(unbzip2());
          out.on('data', (c: Uint8Array) => (n += c.length));
          out.on('end', () => ok(n));
          out.on('error', fail);
        });
      })(),
  });
  const seek = tryRequire<{ decode(input: Buffer, output?: undefined, multistream?: boolean): Buffer }>('seek-bzip');
  if (seek) {
    list.push({
      name: 'seek-bzip',
      note: 'pure JS, whole file in memory',
      run: (file) => timed(async () => seek.decode(readFileSync(file), undefined, true).length)(),
    });
  }
  const Bzip2 = tryRequire<{ init(): Promise<{ decompress(src: Uint8Array, destSize: number): Uint8Array }> }>('@foxglove/wasm-bz2');
  if (Bzip2) {
    list.push({
      name: 'wasm one-shot',
      note: 'libbz2 (WASM) on the whole file in one call (not streaming; memory = whole output)',
      run: async (file) => {
        const bz = await Bzip2.init();
        return timed(async () => bz.decompress(readFileSync(file), expectedBytes + 1).length)();
      },
    });
  }
  return list;
}

let expectedBytes = 0;

function findOnPathVia(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function tryRequire<T>(id: string): T | undefined {
  try {
    return require(id) as T;
  } catch {
    return undefined;
  }
}

function runToDevNull(cmd: { file: string; args: string[] }): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd.file, cmd.args, { stdio: 'inherit' });
    child.once('error', fail);
    child.once('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd.args.join(' ')} exited ${code}`))));
  });
}

function benchFile(arg: string | undefined): string {
  if (arg) return resolve(arg);
  const dir = join(root, 'bench', 'data', 'bz2bench');
  const file = join(dir, '2001.csv.bz2');
  if (!existsSync(file)) {
    const gen = [join(root, 'scripts', 'gen_airline.py'), join(root, '..', 'shared', 'tools', 'gen_airline.py')].find(existsSync);
    if (!gen) throw new Error('no bench file given and gen_airline.py not found; pass a .bz2 file');
    mkdirSync(dir, { recursive: true });
    console.error(`generating ${file} …`);
    execFileSync('python3', [gen, '--out', dir, '--shards', '1', '--rows-per-shard', '300000', '--compression', 'bz2', '--seed', '42'], {
      stdio: 'inherit',
    });
  }
  return file;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const repsAt = args.indexOf('--reps');
  const reps = repsAt >= 0 ? Number(args.splice(repsAt, 2)[1]) : 5;
  const file = benchFile(args[0]);
  // The reference size: what bzip2 itself decodes (also checks every decoder's byte count).
  expectedBytes = await countStream(decodeBz2(readChunks(file), { path: file, decoder: 'wasm-libbz2' }));
  const auto = findSystemDecoder();
  console.log(`file: ${file}`);
  console.log(`compressed ${(readFileSync(file).length / 1e6).toFixed(1)} MB → ${(expectedBytes / 1e6).toFixed(1)} MB; ${reps} rounds; ${os.availableParallelism()} cores; node ${process.version}; system decoder on PATH: ${auto ? auto.file : 'none'}`);
  // Round-robin over the decoders, so that load from other processes on a shared machine
  // spreads over all of them instead of skewing one; the median run of each is reported.
  const list = candidates();
  const samples = new Map<Candidate, Sample[]>(list.map((c) => [c, []]));
  for (let i = 0; i < reps; i++) {
    for (const c of list) {
      const s = await c.run(file);
      if (s.bytes !== expectedBytes) throw new Error(`${c.name} decoded ${s.bytes} bytes, expected ${expectedBytes}`);
      samples.get(c)!.push(s);
    }
    console.error(`  round ${i + 1}/${reps} done`);
  }
  const perCore = (s: Sample) => s.bytes / 1e6 / s.cpuS;
  const wallRate = (s: Sample) => s.bytes / 1e6 / s.wallS;
  const rows = list.map((c) => {
    const runs = [...samples.get(c)!].sort((a, b) => perCore(a) - perCore(b));
    return { name: c.name, note: c.note, median: runs[Math.floor(runs.length / 2)]!, best: runs[runs.length - 1]! };
  });
  const fastest = Math.max(...rows.map((r) => perCore(r.median)));
  rows.sort((a, b) => perCore(b.median) - perCore(a.median));
  const table = [
    ['decoder', 'MB/s per core', 'vs fastest', 'best run', 'MB/s wall', 'CPU s', 'wall s', 'how'],
    ...rows.map((r) => [
      r.name,
      perCore(r.median).toFixed(1),
      `${(perCore(r.median) / fastest).toFixed(2)}×`,
      perCore(r.best).toFixed(1),
      wallRate(r.median).toFixed(1),
      r.median.cpuS.toFixed(2),
      r.median.wallS.toFixed(2),
      r.note,
    ]),
  ];
  console.log('MB/s of decoded output; per core = per CPU-second of all processes involved; median of the runs');
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const last = table[0]!.length - 1;
  for (const row of table) console.log(row.map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
