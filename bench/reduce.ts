/**
 * Part 'read': the signature workload, compute(max, min, mean) of DepDelay over the 8 shards in
 * plain, gzip and bz2, against peers measured in the same run on the same files:
 *   - the floor: decompressing the files to /dev/null with the same number of cores
 *     (lbzip2/bzip2 for bz2, gzip for gzip, cat for plain) — no engine can beat it;
 *   - Dask's dask.compute(max, min) with the threads scheduler (Debian's python3-dask);
 *   - nodejs-polars scanCSV(...).select(min, max, mean) and DuckDB read_csv (plain and gzip;
 *     neither reads bz2), each in a child process (bench/peers.ts).
 */
import { execFileSync } from 'node:child_process';
import * as ddf from 'dusk';
import {
  FORMAT_NAME, type Format, type PartResult, PYTHON, REPEAT, type Target, WORKERS,
  best, checkAnswer, ensureData, files, fmt, glob, has, machineLine, markdownTable, pythonHas, target,
} from './common.js';
import { type PeerName, type PeerOutcome, runPeer } from './peers.js';

const FORMATS = (process.env.BENCH_FORMATS ?? 'none,gz,bz2').split(',') as Format[];
const PEERS = (process.env.BENCH_PEERS ?? 'dask,polars,duckdb').split(',');

/** The decompression floor: every file decoded to /dev/null, WORKERS at a time. */
function floorCommand(format: Format): { name: string; run: () => void } {
  const tool = format === 'bz2' ? (has('lbzip2') ? 'lbzip2 -n 1 -dc' : 'bzip2 -dc') : format === 'gz' ? 'gzip -dc' : 'cat';
  const list = files(format).join('\n');
  return {
    name: `${tool.split(' ')[0]} ×${WORKERS} → /dev/null`,
    run: () => execFileSync('sh', ['-c', `xargs -P ${WORKERS} -I{} sh -c '${tool} "{}" > /dev/null'`], { input: list }),
  };
}

function daskSeconds(format: Format): number {
  const script = `
import time, dask, dask.dataframe as dd
dask.config.set(scheduler='threads', num_workers=${WORKERS})
best = 1e9
for _ in range(${REPEAT}):
    t = time.time()
    air = dd.read_csv(${JSON.stringify(glob(format))}, compression=${format === 'none' ? 'None' : format === 'gz' ? "'gzip'" : "'bz2'"}, blocksize=None, encoding='latin1',
                      dtype={'DepDelay': 'float64', 'Distance': 'float64', 'CRSElapsedTime': 'float64', 'TailNum': 'object', 'CancellationCode': 'object'})
    dask.compute(air.DepDelay.max(), air.DepDelay.min()); best = min(best, time.time() - t)
print(best)`;
  return Number(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }).trim());
}

interface Row {
  format: Format;
  mb: number;
  dusk: number;
  floor: number;
  floorName: string;
  dask: number;
  peers: Record<PeerName, PeerOutcome | null>;
}

export async function runRead(): Promise<PartResult> {
  const withDask = PEERS.includes('dask') && pythonHas('dask.dataframe');
  const notes: string[] = [];
  if (PEERS.includes('dask') && !withDask) notes.push('Dask is not installed (apt-get install python3-dask): its column is skipped.');
  const rows: Row[] = [];
  for (const format of FORMATS) {
    const manifest = ensureData(format);
    const mb = manifest.total.bytes_uncompressed / 1e6;
    let answer: number[] = [];
    // readCsv (listing, schema sampling, partitioning) is timed too: the peers' times include theirs.
    const dusk = await best(async () => {
      const delay = ddf.readCsv(glob(format), { encoding: 'latin1', blocksize: null }).col('DepDelay');
      answer = await ddf.compute(delay.max(), delay.min(), delay.mean());
    });
    checkAnswer('Dusk', format, { max: answer[0]!, min: answer[1]!, mean: answer[2]! }, manifest);
    const floor = floorCommand(format);
    const floorSeconds = await best(floor.run);
    const dask = withDask ? daskSeconds(format) : NaN;
    const peers: Row['peers'] = { polars: null, duckdb: null };
    if (format !== 'bz2') {
      for (const peer of ['polars', 'duckdb'] as const) {
        if (!PEERS.includes(peer)) continue;
        const outcome = runPeer(peer, glob(format), REPEAT, WORKERS);
        if (outcome.ok) {
          checkAnswer(peer, format, outcome.answer, manifest);
          if (outcome.answer.rows !== undefined && outcome.answer.rows !== manifest.total.rows) throw new Error(`${peer} read ${outcome.answer.rows} rows of ${format}, want ${manifest.total.rows}`);
        } else {
          notes.push(`${peer} ${outcome.version ?? ''} could not run on ${FORMAT_NAME[format]}, skipped: ${outcome.reason}`);
          console.log(`  ${peer} on ${FORMAT_NAME[format]}: skipped (${outcome.reason})`);
        }
        peers[peer] = outcome;
      }
    }
    rows.push({ format, mb, dusk, floor: floorSeconds, floorName: floor.name, dask, peers });
    console.log(`  read ${FORMAT_NAME[format]}: Dusk ${fmt(dusk)} s, floor ${fmt(floorSeconds)} s, Dask ${fmt(dask)} s, polars ${peerSeconds(peers.polars)}, DuckDB ${peerSeconds(peers.duckdb)}`);
  }

  const versions = (['polars', 'duckdb'] as const)
    .map((p) => rows.map((r) => r.peers[p]).find((o) => o?.version) ?? null)
    .map((o, i) => `${i === 0 ? 'nodejs-polars' : '@duckdb/node-api'} ${o?.version ?? '(not run)'}`);
  const table = markdownTable(
    ['format', 'Dusk s', 'MB/s', 'floor s', 'floor/Dusk', 'Dask s', 'Dusk/Dask', 'polars s', 'Dusk/polars', 'DuckDB s', 'Dusk/DuckDB', 'cores'],
    rows.map((r) => [
      FORMAT_NAME[r.format], fmt(r.dusk), fmt(r.mb / r.dusk, 0), `${fmt(r.floor)} (${r.floorName})`, fmt(r.floor / r.dusk),
      fmt(r.dask), fmt(r.dusk / r.dask),
      peerSeconds(r.peers.polars), ratio(r.dusk, r.peers.polars), peerSeconds(r.peers.duckdb), ratio(r.dusk, r.peers.duckdb),
      String(WORKERS),
    ]),
  );

  const targets: Target[] = [];
  for (const r of rows) {
    const name = FORMAT_NAME[r.format];
    if (r.format === 'bz2') {
      targets.push(target('read', 'bz2: Dusk wall / Dask threads wall', r.dusk / r.dask, '≤ 0.50', (x) => x <= 0.5, withDask ? `the ${r.floorName.split(' ')[0]} floor alone: ${fmt(r.floor / r.dask)}× Dask` : 'Dask not installed'));
      targets.push(target('read', `bz2: Dusk MB/s / fastest decoder's MB/s (${r.floorName})`, r.floor / r.dusk, '≥ 0.85', (x) => x >= 0.85));
    } else {
      for (const peer of ['polars', 'duckdb'] as const) {
        const o = r.peers[peer];
        const limit = peer === 'polars' ? 1 : 0.5;
        targets.push(target('read', `${name}: Dusk wall / ${peer === 'polars' ? 'nodejs-polars' : 'DuckDB'} wall`, o?.ok ? r.dusk / o.seconds : NaN, `≤ ${fmt(limit)}`, (x) => x <= limit, o === null ? 'not run' : o.ok ? undefined : `${peer} could not run: ${o.reason}`));
      }
    }
  }

  const markdown = [
    `### read: compute(max, min, mean) of DepDelay — ${machineLine()}; ${files(FORMATS[0]!).length} shards, ${rows[0] ? fmt(rows[0].mb, 1) : '?'} MB of CSV; best of ${REPEAT}; bz2 decoder ${process.env.DUSK_BZ2_DECODER ?? 'auto'}; ${versions.join(', ')}`,
    '',
    table,
    '',
    'floor/Dusk: share of the decompression floor\'s speed reached (1 = as fast as decoding alone; for plain the floor is `cat`, so it only shows I/O is not the limit). Dusk/X: Dusk\'s wall time as a fraction of X\'s (lower is better). Every timed run goes from the glob to the answer: Dusk\'s readCsv, Dask\'s read_csv, polars\' scanCSV and DuckDB\'s read_csv (with their schema sampling) are inside it. Dask runs `dask.compute(max, min)` (no mean); polars and DuckDB run in their own process with as many threads as Dusk has workers.',
    ...notes.map((n) => `\n- ${n}`),
  ].join('\n');
  return { part: 'read', markdown, targets };
}

function peerSeconds(o: PeerOutcome | null): string {
  return o === null ? '–' : o.ok ? fmt(o.seconds) : 'skipped';
}

function ratio(dusk: number, o: PeerOutcome | null): string {
  return o?.ok ? fmt(dusk / o.seconds) : '–';
}

