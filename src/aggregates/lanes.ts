/**
 * split_out for group-bys with many groups: the final merge runs in lanes, each lane the groups
 * whose key hashes to it, on the workers in parallel, instead of as one merge on the calling
 * thread. The lanes' finished rows are then interleaved back into the order one merge gives
 * (sorted by key, or first-seen), so the result does not depend on whether lanes were used.
 *
 * Whether lanes are used is chosen from the partials, not from the partition count: a partial
 * with at least `splitMinGroups` groups is cut into lanes where it is made (on the worker that
 * scanned the partition), and a merge step that meets such a partial, or one that large, passes
 * its inputs on unmerged (a DeferredMerge) for the lanes to merge.
 */
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { concatColumns } from '../kernels/concat.js';
import { bucketsOf } from '../kernels/hash-keys.js';
import { rowComparator } from '../kernels/compare-rows.js';
import { radixOrder, radixOrderPairs, rowRange } from '../kernels/radix-order.js';
import { takeRows } from '../kernels/take.js';
import { type FinalizeOptions, finalizeGrouped, type GroupedPartial, groupOrder, mergeGrouped, optionsOf } from './grouped.js';
import { getAggregate } from './index.js';

/** Some groups of a partial: those of one lane. */
export interface LanePiece {
  partial: GroupedPartial;
  /** Each group's id in the partial it was cut from (ascending: first-seen order is kept). */
  origin: Int32Array;
}

/** A partial cut into lanes: lanes[b] holds the groups whose key hashes to lane b. */
export interface LanedPartial {
  lanes: LanePiece[];
}

/** Inputs of a merge left for the lanes, in partition order. */
export interface DeferredMerge {
  deferred: (GroupedPartial | LanedPartial)[];
}

export type AggregatePartial = GroupedPartial | LanedPartial | DeferredMerge;

/** One lane's finished rows and, per row, where its group was first seen: (input, group id there). */
export interface LaneResult {
  batch: ColumnBatch;
  input: Int32Array;
  group: Int32Array;
}

export const isLaned = (p: AggregatePartial): p is LanedPartial => 'lanes' in p;
export const isDeferred = (p: AggregatePartial): p is DeferredMerge => 'deferred' in p;

// ---- which lane a key goes to ---------------------------------------------------------------

/** The lane of each group of a partial. */
export function laneOfGroups(keys: ColumnBatch, lanes: number): Uint32Array {
  return bucketsOf(keys.columns, keys.length, lanes);
}

// ---- cutting, merging, interleaving ---------------------------------------------------------

/** Cuts a partial into `lanes` pieces by key hash; each piece keeps its groups' first-seen order. */
export function splitIntoLanes(partial: GroupedPartial, lanes: number): LanedPartial {
  const laneOf = laneOfGroups(partial.keys, lanes);
  const sizes = new Int32Array(lanes);
  const local = new Int32Array(laneOf.length);
  for (let g = 0; g < laneOf.length; g++) local[g] = sizes[laneOf[g]!]!++;
  const aggregates = partial.specs.map((spec) => getAggregate(spec.aggregate));
  const pieces: LanePiece[] = [];
  for (let b = 0; b < lanes; b++) {
    const origin = new Int32Array(sizes[b]!);
    const mapping = new Int32Array(laneOf.length);
    for (let g = 0; g < laneOf.length; g++) {
      if (laneOf[g] === b) {
        origin[local[g]!] = g;
        mapping[g] = local[g]!;
      } else mapping[g] = -1;
    }
    const states = partial.specs.map((spec, k) => {
      const state = aggregates[k]!.create(partial.inputDTypes[k]!, optionsOf(spec));
      aggregates[k]!.resize(state, origin.length);
      aggregates[k]!.merge(state, partial.states[k]!, mapping);
      return state;
    });
    const keys: ColumnBatch = { length: origin.length, names: partial.keys.names, columns: partial.keys.columns.map((c) => takeRows(c, origin)) };
    pieces.push({ partial: { ...partial, keys, states }, origin });
  }
  return { lanes: pieces };
}

/** Groups in all of `partials` (an upper bound of the merged count). */
export function groupCount(p: AggregatePartial): number {
  if (isDeferred(p)) return p.deferred.reduce((n, q) => n + groupCount(q), 0);
  if (isLaned(p)) return p.lanes.reduce((n, piece) => n + piece.partial.keys.length, 0);
  return p.keys.length;
}

/**
 * A merge step of the combine tree: merges its inputs unless one of them is already cut into
 * lanes or deferred, or has at least `splitMinGroups` groups; then the lanes will merge them.
 */
export function mergeOrDefer(partials: readonly AggregatePartial[], splitMinGroups: number): AggregatePartial {
  const defer = partials.some((p) => isDeferred(p) || isLaned(p) || p.keys.length >= splitMinGroups);
  if (!defer) return mergeGrouped(partials as GroupedPartial[]);
  return { deferred: partials.flatMap((p) => (isDeferred(p) ? p.deferred : [p])) };
}

/** Partials cut on the calling thread, once for all its lanes (small: under the split threshold). */
const cutHere = new WeakMap<GroupedPartial, LanedPartial>();

/** Lane `lane`'s piece of every deferred input, in input order. */
export function piecesOfLane(merge: DeferredMerge, lane: number, lanes: number): LanePiece[] {
  return merge.deferred.map((p) => {
    if (isLaned(p)) {
      if (p.lanes.length !== lanes) throw new DuskError(`internal: a partial cut into ${p.lanes.length} lanes met a merge in ${lanes}`);
      return p.lanes[lane]!;
    }
    let laned = cutHere.get(p);
    if (laned === undefined) {
      laned = splitIntoLanes(p, lanes);
      cutHere.set(p, laned);
    }
    return laned.lanes[lane]!;
  });
}

/** Merges one lane's pieces (in input order) and finishes its groups (dropna, sorted within the lane). */
export function mergeLane(pieces: readonly LanePiece[], options: FinalizeOptions): LaneResult {
  const total = pieces.reduce((n, piece) => n + piece.origin.length, 0);
  const firstInput = new Int32Array(total);
  const firstGroup = new Int32Array(total);
  const merged = mergeGrouped(
    pieces.map((piece) => piece.partial),
    (input, mapping, groupsBefore) => {
      const origin = pieces[input]!.origin;
      for (let g = 0; g < mapping.length; g++) {
        const m = mapping[g]!;
        // A group new to the merge: first seen in this input (each maps to its own group).
        if (m >= groupsBefore) {
          firstInput[m] = input;
          firstGroup[m] = origin[g]!;
        }
      }
    },
  );
  const rows = groupOrder(merged, options);
  return { batch: finalizeGrouped(merged, options, rows), input: takeInts(firstInput, rows), group: takeInts(firstGroup, rows) };
}

function takeInts(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/**
 * The lanes' rows as one batch in the order a single merge gives: by key when sorted, else by
 * where each group was first seen (input, then group id there). Each lane is already in that
 * order, so this merges sorted runs.
 */
export function interleaveLanes(results: readonly LaneResult[], keyCount: number, sort: boolean): ColumnBatch {
  const nonEmpty = results.filter((r) => r.batch.length > 0);
  if (nonEmpty.length === 0) return results[0]!.batch;
  if (nonEmpty.length === 1) return nonEmpty[0]!.batch;
  const first = nonEmpty[0]!.batch;
  const columns = first.columns.map((_, c) => concatColumns(nonEmpty.map((r) => r.batch.columns[c]!)));
  const input = concatInts(nonEmpty.map((r) => r.input));
  const group = concatInts(nonEmpty.map((r) => r.group));
  const all = rowRange(input.length);
  // Linear time where it can: radix by the keys (sorted), or by (input, group) (first-seen).
  const fast = sort ? radixOrder(columns.slice(0, keyCount), all) : radixOrderPairs(all, new Uint32Array(input.buffer, input.byteOffset, input.length), new Uint32Array(group.buffer, group.byteOffset, group.length));
  if (fast !== null) return { length: fast.length, names: first.names, columns: columns.map((c) => takeRows(c, fast)) };
  const keyComparators = sort ? first.names.slice(0, keyCount).map((_, c) => rowComparator(columns[c]!)) : [];
  const compare = (a: number, b: number): number => {
    for (const cmp of keyComparators) {
      const d = cmp(a, b);
      if (d !== 0) return d;
    }
    return input[a]! - input[b]! || group[a]! - group[b]!;
  };
  // Heads of the runs; a linear pick of the smallest (lanes are few).
  const heads: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const r of nonEmpty) {
    heads.push(at);
    at += r.batch.length;
    ends.push(at);
  }
  const order = new Int32Array(at);
  for (let i = 0; i < at; i++) {
    let best = -1;
    for (let run = 0; run < heads.length; run++) {
      if (heads[run]! < ends[run]! && (best < 0 || compare(heads[run]!, heads[best]!) < 0)) best = run;
    }
    order[i] = heads[best]!++;
  }
  return { length: at, names: first.names, columns: columns.map((c) => takeRows(c, order)) };
}

function concatInts(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
