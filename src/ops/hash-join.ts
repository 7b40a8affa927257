import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskError } from '../core/errors.js';
import { concatColumns } from '../kernels/concat.js';
import { buildJoinTable, castColumn, coalesceTake, type JoinColumnSpec, type JoinHow, type JoinPairs, type JoinTable, matchKey, nullColumn, probeJoinTable, type ProbeMode, takeOrNull, unmatchedRows } from '../kernels/hash-join.js';
import { takeRows } from '../kernels/take.js';
import { registerOp } from './registry.js';

export interface HashJoinArgs {
  how: JoinHow;
  /** The side hashed (the other is probed, row by row in its order). */
  build: 'left' | 'right';
  leftKeys: string[];
  rightKeys: string[];
  /** The dtype each key pair is compared in (kernels/hash-join.ts keyMatchDtype). */
  matchDtypes: DType[];
  /** Each side's columns (an empty partition may come without them). */
  leftDtypes: Record<string, DType>;
  rightDtypes: Record<string, DType>;
  columns: JoinColumnSpec[];
  /**
   * Set when the build side is a broadcast side (the same rows for every partition task): its
   * task's key (which hashes the work, so it changes with the data) with how it is hashed. A
   * worker then hashes it once and reuses the table for the other partitions (builtSides).
   */
  buildCacheKey?: string;
}

/** A build side hashed: its rows as whole columns and the table over its keys. */
interface BuiltSide {
  built: Map<string, ColumnData>;
  table: JoinTable;
  bytes: number;
}

/**
 * Broadcast sides hashed on this thread, most recently used last: each partition task of a
 * broadcast join on this worker reuses one instead of hashing the same rows again. Bounded by
 * entries and bytes (a broadcast side is small by construction: BROADCAST_MAX_BYTES).
 */
const builtSides = new Map<string, BuiltSide>();
const BUILT_SIDES_MAX = 4;
const BUILT_SIDES_MAX_BYTES = 256 << 20;

function columnBytes(c: ColumnData): number {
  const validity = c.validity?.byteLength ?? 0;
  switch (c.dtype) {
    case 'string':
      return validity + c.offsets.byteLength + c.data.byteLength;
    case 'category':
      return validity + c.indices.byteLength;
    default:
      return validity + c.values.byteLength;
  }
}

function remember(key: string, side: BuiltSide): void {
  builtSides.set(key, side);
  let total = 0;
  for (const s of builtSides.values()) total += s.bytes;
  for (const [k, s] of builtSides) {
    if (builtSides.size <= BUILT_SIDES_MAX && total <= BUILT_SIDES_MAX_BYTES) break;
    builtSides.delete(k);
    total -= s.bytes;
  }
}

/** Forgets every hashed broadcast side (tests; a worker's memory between computes is bounded anyway). */
export function clearBuiltSides(): void {
  builtSides.clear();
}

/** The hashed broadcast side this thread keeps under `key` (tests). */
export function builtSideOf(key: string): { table: JoinTable } | undefined {
  return builtSides.get(key);
}

function buildSide(rows: readonly ColumnBatch[], dtypes: Record<string, DType>, keys: readonly string[], matchDtypes: readonly DType[]): BuiltSide {
  const built = wholeColumns(rows, dtypes);
  const length = built.get(keys[0]!)!.length;
  const table = buildJoinTable(keys.map((k, i) => matchKey(built.get(k)!, matchDtypes[i]!)), length);
  let bytes = 0;
  for (const c of built.values()) bytes += columnBytes(c);
  // The table (hashes, slots, key bytes, row lists) is about twice the key columns: count the columns thrice.
  return { built, table, bytes: bytes * 3 };
}

/**
 * The build side, hashed, for one task. A cached one's table is copied: probing adds the probe
 * side's unmatched keys to the table (ids past the build's), which must not pile up across tasks.
 */
function builtFor(args: HashJoinArgs, rows: readonly ColumnBatch[], dtypes: Record<string, DType>, keys: readonly string[]): BuiltSide {
  const key = args.buildCacheKey;
  if (key === undefined) return buildSide(rows, dtypes, keys, args.matchDtypes);
  let side = builtSides.get(key);
  if (side === undefined) side = buildSide(rows, dtypes, keys, args.matchDtypes);
  remember(key, side);
  return { ...side, table: { ...side.table, table: structuredClone(side.table.table) } };
}

/** A side's rows as one column per name (an empty side: empty columns of its dtypes). */
function wholeColumns(batches: readonly ColumnBatch[], dtypes: Record<string, DType>): Map<string, ColumnData> {
  const rows = batches.filter((b) => b.length > 0);
  return new Map(
    Object.entries(dtypes).map(([name, dtype]) => {
      if (rows.length === 0) return [name, nullColumn(dtype, 0)];
      return [name, concatColumns(rows.map((b) => columnOf(b, name)))];
    }),
  );
}

function columnOf(batch: ColumnBatch, name: string): ColumnData {
  const j = batch.names.indexOf(name);
  if (j < 0) throw new DuskError(`internal: join column '${name}' is not among the partition's columns [${batch.names.join(', ')}]`);
  return batch.columns[j]!;
}

/** How the probe side's rows without a match are treated, and whether the build side's are added. */
function modes(how: JoinHow, build: 'left' | 'right'): { probe: ProbeMode; addUnmatchedBuild: boolean } {
  if (build === 'right') {
    if (how === 'semi' || how === 'anti') return { probe: how, addUnmatchedBuild: false };
    return { probe: how === 'left' || how === 'outer' ? 'keep' : 'inner', addUnmatchedBuild: how === 'right' || how === 'outer' };
  }
  if (how === 'inner' || how === 'right') return { probe: how === 'right' ? 'keep' : 'inner', addUnmatchedBuild: false };
  throw new DuskError(`internal: a ${how} join cannot hash its left side`);
}

/**
 * A join of one left and one right partition (deps: [left rows, right rows]): one side in a
 * hash table, the other probed batch by batch. Output rows: per probe batch, the probe rows in
 * order, each with its matches in build-row order; then (right/outer joins hashing the right)
 * the right rows nothing matched, in order.
 */
export const hashJoinOp = registerOp<HashJoinArgs, ColumnBatch[]>({
  name: 'hash-join',
  local: false,
  movable: (rows) => rows,
  run(args, deps) {
    const [leftRows, rightRows] = deps as [ColumnBatch[], ColumnBatch[]];
    const buildLeft = args.build === 'left';
    const buildDtypes = buildLeft ? args.leftDtypes : args.rightDtypes;
    const probeDtypes = buildLeft ? args.rightDtypes : args.leftDtypes;
    const buildKeys = buildLeft ? args.leftKeys : args.rightKeys;
    const probeKeys = buildLeft ? args.rightKeys : args.leftKeys;
    const { built, table } = builtFor(args, buildLeft ? leftRows : rightRows, buildDtypes, buildKeys);
    const buildLength = table.buildLength;
    const { probe: mode, addUnmatchedBuild } = modes(args.how, args.build);
    const matched = addUnmatchedBuild ? new Uint8Array(buildLength) : null;
    // A coalesced key's build-side column, cast once for every probe batch.
    const castBuilt = new Map<string, ColumnData>();
    const builtAs = (name: string, dtype: DType): ColumnData => {
      let c = castBuilt.get(name);
      if (c === undefined) castBuilt.set(name, (c = castColumn(built.get(name)!, dtype)));
      return c;
    };
    const semi = args.how === 'semi' || args.how === 'anti';

    const output = (probeColumn: (name: string) => ColumnData, pairs: JoinPairs, length: number): ColumnBatch => {
      const columns = args.columns.map((spec) => {
        if (semi) return takeRows(probeColumn(spec.left!), pairs.probe);
        const leftIndex = buildLeft ? pairs.build! : pairs.probe;
        const rightIndex = buildLeft ? pairs.probe : pairs.build!;
        const side = (name: string, left: boolean): ColumnData => (left === buildLeft ? built.get(name)! : probeColumn(name));
        const sideAs = (name: string, left: boolean, dtype: DType): ColumnData => (left === buildLeft ? builtAs(name, dtype) : castColumn(probeColumn(name), dtype));
        if (spec.left !== null && spec.right !== null) return coalesceTake(sideAs(spec.left, true, spec.dtype), leftIndex, sideAs(spec.right, false, spec.dtype), rightIndex);
        if (spec.left !== null) return takeOrNull(side(spec.left, true), leftIndex);
        return takeOrNull(side(spec.right!, false), rightIndex);
      });
      return { length, names: args.columns.map((c) => c.name), columns };
    };

    const out: ColumnBatch[] = [];
    for (const batch of buildLeft ? rightRows : leftRows) {
      if (batch.length === 0) continue;
      const keys = probeKeys.map((k, i) => matchKey(columnOf(batch, k), args.matchDtypes[i]!));
      const pairs = probeJoinTable(table, keys, batch.length, mode, matched);
      if (pairs.probe.length > 0) out.push(output((name) => columnOf(batch, name), pairs, pairs.probe.length));
    }
    if (matched !== null) {
      const rows = unmatchedRows(matched);
      if (rows.length > 0) {
        const none = new Int32Array(rows.length).fill(-1);
        // Only right/outer joins hashing the right side get here: the probe (left) side is absent.
        const empty = (name: string): ColumnData => nullColumn(probeDtypes[name]!, 0);
        out.push(output(empty, { probe: none, build: rows }, rows.length));
      }
    }
    if (out.length === 0) {
      const empty = (name: string): ColumnData => nullColumn(probeDtypes[name]!, 0);
      const none = new Int32Array(0);
      out.push(output(empty, { probe: none, build: semi ? null : none }, 0));
    }
    return out;
  },
});
