/**
 * Part 'memory' (only with BENCH_MEMORY=1 or BENCH_PARTS=…,memory): peak RSS per worker while
 * reducing one big file, a ~2 GB plain CSV and the same rows as a ~330 MB bz2, with ONE worker:
 *   - 'sync' in a node process of its own: the whole process is the worker, and its VmHWM
 *     (/proc/self/status, read at the end) is the honest per-worker peak;
 *   - 'processes' with numWorkers 1: the worker process's VmHWM, sampled from /proc every 100 ms.
 * A bz2 decoder running as a child process (lbzip2 under DUSK_BZ2_DECODER=auto) has its own
 * peak, reported beside.
 * Target: < 256 MB per worker.
 *
 * The files are generated into bench/data/big/ only when BENCH_MEMORY=1 (about 2.4 GB of disk and
 * a few minutes), and only with at least 8 GB free.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DATA, type Manifest, type PartResult, ROOT, type Target, WORKERS,
  checkAnswer, descendants, fmt, has, machineLine, markdownTable, procStatus, target,
} from './common.js';

const BIG = join(DATA, 'big');
const BIG_SHARDS = 16;
const BIG_ROWS = Number(process.env.BENCH_MEMORY_ROWS ?? 19_600_000); // ≈ 2.0 GB of CSV, ≈ 330 MB of bz2
const GOAL_MB = 256;
const MIN_FREE = 8e9;

const plainPath = join(BIG, 'none', 'airline.csv');
const bz2Path = join(BIG, 'bz2', 'airline.csv.bz2');
const manifestPath = join(BIG, 'manifest.json');

/** Generates the big files (16 shards of the generator, concatenated under one header, then bz2). */
function generate(): void {
  const tmp = join(BIG, 'tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(BIG, 'none'), { recursive: true });
  mkdirSync(join(BIG, 'bz2'), { recursive: true });
  const perShard = Math.ceil(BIG_ROWS / BIG_SHARDS);
  console.error(`  memory: generating ${BIG_SHARDS} × ${perShard} rows into bench/data/big/ …`);
  execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', tmp, '--shards', String(BIG_SHARDS), '--rows-per-shard', String(perShard), '--compression', 'none', '--seed', '42', '--jobs', String(WORKERS)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const shardManifest = JSON.parse(readFileSync(join(tmp, 'manifest.json'), 'utf8')) as Manifest;
  const shards = readdirSync(tmp).filter((f) => f.endsWith('.csv')).sort();
  // One header, then every shard's rows.
  execFileSync('sh', ['-c', `{ head -n 1 "$1"; for f in "$@"; do tail -n +2 "$f"; done; } > "${plainPath}.part"`, 'sh', ...shards.map((f) => join(tmp, f))]);
  renameSync(`${plainPath}.part`, plainPath);
  rmSync(tmp, { recursive: true, force: true });
  console.error(`  memory: compressing ${fmt(statSync(plainPath).size / 1e9)} GB to bz2 …`);
  const compressor = has('lbzip2') ? `lbzip2 -9 -n ${WORKERS}` : 'bzip2 -9';
  execFileSync('sh', ['-c', `${compressor} -c "${plainPath}" > "${bz2Path}.part"`]);
  renameSync(`${bz2Path}.part`, bz2Path);
  const total = { ...shardManifest.total, bytes_uncompressed: statSync(plainPath).size };
  writeFileSync(manifestPath, JSON.stringify({ ...shardManifest, shards: 1, rows_per_shard: total.rows, files: undefined, total }, null, 1));
}

interface Peak {
  main: number;
  worker: number;
  decoder: number;
}

/** The program the measured node process runs: one compute, one worker, then its own VmHWM. */
function childProgram(path: string, scheduler: 'sync' | 'processes'): string {
  return `
import { readFileSync } from 'node:fs';
const ddf = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)});
const df = ddf.readCsv(${JSON.stringify(path)}, { encoding: 'latin1' });
const d = df.col('DepDelay');
const t = performance.now();
const [max, min, mean] = await ddf.compute(d.max(), d.min(), d.mean(), { scheduler: ${JSON.stringify(scheduler)}, numWorkers: 1, progress: false });
const seconds = (performance.now() - t) / 1000;
const hwmMB = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
console.log(JSON.stringify({ max, min, mean, seconds, hwmMB, partitions: df.npartitions }));
await ddf.shutdown();`;
}

interface Run {
  file: string;
  mb: number;
  scheduler: 'sync' | 'processes';
  decoder: string;
  seconds: number;
  partitions: number;
  peak: Peak;
}

async function measure(path: string, scheduler: 'sync' | 'processes', decoder: string | undefined, manifest: Manifest): Promise<Run> {
  const env = { ...process.env };
  if (decoder) env.DUSK_BZ2_DECODER = decoder;
  // A file, not `node -e`: worker processes inherit the parent's execArgv, and an inherited
  // `-e PROGRAM` would make every worker run the program again (and fork its own worker …).
  const program = join(mkdtempSync(join(tmpdir(), 'dusk-bench-memory-')), 'run.mjs');
  writeFileSync(program, childProgram(path, scheduler));
  const child = spawn(process.execPath, [program], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const peak: Peak = { main: 0, worker: 0, decoder: 0 };
  const sample = () => {
    for (const pid of descendants(child.pid!)) {
      const s = procStatus(pid);
      if (s === null) continue;
      const role = /bzip2/.test(s.name) ? 'decoder' : 'worker';
      peak[role] = Math.max(peak[role], s.hwmMB);
    }
    peak.main = Math.max(peak.main, procStatus(child.pid!)?.hwmMB ?? 0);
  };
  const timer = setInterval(sample, 100);
  const limit = setTimeout(() => {
    for (const pid of [...descendants(child.pid!), child.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 600_000);
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('\n')) sample(); // the result is printed before shutdown: the worker is still there
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  clearTimeout(limit);
  rmSync(dirname(program), { recursive: true, force: true });
  if (code !== 0) throw new Error(`the memory run on ${path} (${scheduler}) exited with ${code ?? 'a signal (killed after 10 minutes?)'}`);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { max: number; min: number; mean: number; seconds: number; hwmMB: number; partitions: number };
  checkAnswer('Dusk', path.endsWith('.bz2') ? 'bz2' : 'none', r, manifest);
  peak.main = Math.max(peak.main, r.hwmMB);
  const mb = manifest.total.bytes_uncompressed / 1e6;
  return { file: path, mb, scheduler, decoder: path.endsWith('.bz2') ? (decoder ?? process.env.DUSK_BZ2_DECODER ?? 'auto') : '–', seconds: r.seconds, partitions: r.partitions, peak };
}

export async function runMemory(): Promise<PartResult | { skipped: string }> {
  const ready = existsSync(plainPath) && existsSync(bz2Path) && existsSync(manifestPath);
  if (!ready) {
    if (process.env.BENCH_MEMORY !== '1') return { skipped: 'the big files are not in bench/data/big/: run with BENCH_MEMORY=1 to generate them (≈ 2.4 GB, a few minutes)' };
    const free = statfsSync(ROOT).bavail * statfsSync(ROOT).bsize;
    if (free < MIN_FREE) return { skipped: `only ${fmt(free / 1e9, 1)} GB free on the bench's disk; the memory part needs 8 GB (df -h ${ROOT})` };
    generate();
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const runs: Run[] = [];
  const plan: [string, 'sync' | 'processes', string | undefined][] = [
    [plainPath, 'sync', undefined],
    [plainPath, 'processes', undefined],
    [bz2Path, 'sync', undefined],
    [bz2Path, 'processes', undefined],
  ];
  for (const [path, scheduler, decoder] of plan) {
    const run = await measure(path, scheduler, decoder, manifest);
    runs.push(run);
    console.log(`  memory ${path.endsWith('.bz2') ? 'bz2' : 'plain'} ${scheduler} ${run.decoder}: ${fmt(run.seconds, 1)} s, peak per worker ${fmt(perWorker(run), 0)} MB`);
  }
  const fileMB = (p: string) => fmt(statSync(p).size / 1e6, 0);
  const table = markdownTable(
    ['file', 'MB on disk', 'scheduler (1 worker)', 'bz2 decoder', 'partitions', 'wall s', 'MB/s', 'peak RSS per worker MB', 'decoder process MB', 'main process MB', `per worker / ${GOAL_MB}`],
    runs.map((r) => [
      r.file.endsWith('.bz2') ? 'bz2' : 'plain', fileMB(r.file), r.scheduler, r.decoder, String(r.partitions), fmt(r.seconds, 1), fmt(r.mb / r.seconds, 0),
      fmt(perWorker(r), 0), r.peak.decoder ? fmt(r.peak.decoder, 0) : '–', fmt(r.peak.main, 0), fmt(perWorker(r) / GOAL_MB),
    ]),
  );
  const targets: Target[] = runs.map((r) =>
    target('memory', `peak RSS per worker, ${r.file.endsWith('.bz2') ? `${fileMB(r.file)} MB bz2` : `${fmt(statSync(r.file).size / 1e9, 1)} GB plain`} (${r.scheduler}${r.decoder !== '–' ? `, ${r.decoder}` : ''}) MB`, perWorker(r), `< ${GOAL_MB}`, (x) => x < GOAL_MB),
  );
  const markdown = [
    `### memory: compute(max, min, mean) of one big file with one worker — ${machineLine()}; ${fmt(manifest.total.bytes_uncompressed / 1e9, 2)} GB of CSV, ${manifest.total.rows.toLocaleString('en-US')} rows`,
    '',
    table,
    '',
    "Peak RSS per worker: 'sync' = the VmHWM of the node process that ran the compute (it is the worker); 'processes' = the VmHWM of the worker process (its parent is the 'main process'). A decoder child process (lbzip2 under DUSK_BZ2_DECODER=auto; one per partition, each decoding its run of whole blocks re-framed as a stream: src/io/codecs/bz2-block-range-system.ts) has its own peak in 'decoder process MB'; the worker holds its partition's compressed bytes (~10 MB) while the decoder runs.",
  ].join('\n');
  return { part: 'memory', markdown, targets };
}

function perWorker(r: Run): number {
  return r.scheduler === 'sync' ? r.peak.main : r.peak.worker;
}
