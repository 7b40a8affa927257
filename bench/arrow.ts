/**
 * Part 'arrow': every column of the plain shards to one Arrow table,
 * `ddf.readCsv(glob, { encoding: 'latin1' }).toArrow()`, with N workers and with 1, in MB of CSV
 * per second per core (wall time × workers used) and per CPU-second of this process (all its
 * threads: the workers and the main thread that assembles the table); against pandas'
 * `pd.read_csv` (C parser, one core) of the same files in the same run.
 */
import { execFileSync } from 'node:child_process';
import * as ddf from 'dusk';
import {
  PYTHON, REPEAT, type PartResult, type Target, WORKERS,
  ensureData, files, fmt, glob, machineLine, markdownTable, pythonHas, target,
} from './common.js';

const GOAL = 150;

interface Measure {
  engine: string;
  workers: number;
  seconds: number;
  cpuSeconds: number;
}

async function dusk(workers: number, rows: number): Promise<Measure> {
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    // readCsv is timed too, as pandas' read_csv includes its own schema inference.
    const table = await ddf.readCsv(glob('none'), { encoding: 'latin1' }).toArrow().compute({ numWorkers: workers });
    const wall = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    if (table.numRows !== rows || table.numCols !== 29) throw new Error(`toArrow gave ${table.numRows} rows × ${table.numCols} columns, want ${rows} × 29`);
    if (wall < seconds) {
      seconds = wall;
      cpuSeconds = (used.user + used.system) / 1e6;
    }
  }
  return { engine: 'Dusk toArrow()', workers, seconds, cpuSeconds };
}

function pandas(rows: number): Measure {
  const script = `
import time, warnings, pandas as pd
warnings.simplefilter('ignore')
paths = ${JSON.stringify(files('none'))}
best, cpu = 1e9, 0
for _ in range(${REPEAT}):
    t, c = time.time(), time.process_time()
    n = sum(len(pd.read_csv(p, encoding='latin1', dtype={'TailNum': 'object', 'CancellationCode': 'object'})) for p in paths)
    w = time.time() - t
    if w < best: best, cpu = w, time.process_time() - c
assert n == ${rows}, n
print(best, cpu)`;
  const [seconds, cpuSeconds] = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }).trim().split(' ').map(Number) as [number, number];
  return { engine: `pandas ${execFileSync(PYTHON, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).trim()} read_csv (C parser)`, workers: 1, seconds, cpuSeconds };
}

export async function runArrow(): Promise<PartResult> {
  const manifest = ensureData('none');
  const mb = manifest.total.bytes_uncompressed / 1e6;
  const rows = manifest.total.rows;
  const measures: Measure[] = [];
  for (const workers of [...new Set([WORKERS, 1])]) {
    const m = await dusk(workers, rows);
    measures.push(m);
    console.log(`  arrow Dusk ${workers} worker(s): ${fmt(m.seconds)} s, ${fmt(mb / m.seconds / workers, 0)} MB/s per core`);
  }
  const notes: string[] = [];
  let pandasPerCore = NaN;
  if (pythonHas('pandas')) {
    const m = pandas(rows);
    measures.push(m);
    pandasPerCore = mb / m.seconds;
    console.log(`  arrow pandas: ${fmt(m.seconds)} s, ${fmt(pandasPerCore, 0)} MB/s`);
  } else {
    notes.push('pandas is not installed (apt-get install python3-pandas): its row is skipped.');
  }
  const table = markdownTable(
    ['engine', 'workers', 'wall s', 'MB/s', 'MB/s per core (wall × workers)', 'MB per CPU-s', `per core / ${GOAL}`, 'per core / pandas'],
    measures.map((m) => {
      const perCore = mb / m.seconds / m.workers;
      return [m.engine, String(m.workers), fmt(m.seconds), fmt(mb / m.seconds, 0), fmt(perCore, 0), fmt(mb / m.cpuSeconds, 0), fmt(perCore / GOAL), fmt(perCore / pandasPerCore)];
    }),
  );
  const targets: Target[] = measures
    .filter((m) => m.engine.startsWith('Dusk'))
    .map((m) => target('arrow', `all columns to Arrow, MB/s per core (${m.workers} worker${m.workers > 1 ? 's' : ''})`, mb / m.seconds / m.workers, `≥ ${GOAL}`, (x) => x >= GOAL));
  const markdown = [
    `### arrow: every column of the plain shards to Arrow — ${machineLine()}; ${fmt(mb, 1)} MB, ${rows.toLocaleString('en-US')} rows × 29 columns; best of ${REPEAT}`,
    '',
    table,
    '',
    `MB/s per core = MB ÷ wall s ÷ workers. MB per CPU-s = MB ÷ the process's CPU time (every thread; for Dusk the main thread that assembles the Table counts too). pandas reads the files one after the other on one core (the pandas C parser's reference point in DESIGN.md: 74 MB/s).`,
    ...notes.map((n) => `\n- ${n}`),
  ].join('\n');
  return { part: 'arrow', markdown, targets };
}
