import { canonicalJson, exprKey, type JsValue, type ScalarFunction, type TypedExpr } from '../expr/index.js';
import { add, div, mod, mul, neg, pow, sub } from '../expr/functions/arithmetic.js';
import { and, not, or } from '../expr/functions/boolean.js';
import { clip } from '../expr/functions/clip.js';
import { eq, ge, gt, le, lt, ne } from '../expr/functions/compare.js';
import { isIn } from '../expr/functions/is-in.js';
import { abs, cos, exp, log, sin, sqrt } from '../expr/functions/math.js';
import { fillNull, isNotNull, isNull } from '../expr/functions/nulls.js';
import { ceil, floor, round } from '../expr/functions/rounding.js';
import { strLen, strLower, strUpper } from '../expr/functions/string-case.js';
import { strContains, strEndsWith, strStartsWith } from '../expr/functions/string-match.js';
import { strSlice } from '../expr/functions/string-slice.js';
import { liftableColumn } from './dictionary-lift.js';

/**
 * Common sub-expressions in the generated kernels. The physical planner substitutes derived
 * columns into the expressions that use them, so one sub-expression (`Distance / (AirTime /
 * 60)`) can appear in the filter and in several outputs.
 *
 * Within one loop, a sub-expression that the row evaluates more than once is remembered by
 * key (KernelWriter.recall/remember) for the rest of the block that computed it: a value
 * computed inside a conditional block (a when() branch, the right side of and/or, a fillNull
 * fill) is never used outside it. When such a sub-expression is total (it cannot throw and
 * costs little on any operand: arithmetic, comparisons, most functions below), it is instead
 * computed once at the start of the innermost region that holds every use, so that branches
 * which each need it share one computation. A region is a conditional operand position:
 * `t<k>`/`e<k>` for the then/else sides of a when()'s branch k, `a<k>` for argument k of a
 * function that evaluates it on some rows only.
 *
 * Across the two loops: a sub-expression of the filter that outputs use, and that the filter
 * loop evaluates on every row it keeps, is stored by the filter loop into a scratch array
 * indexed by the kept row's position (with its null flags unless the filter implies it is not
 * null); the output loop reads it instead of recomputing it.
 */

type CallExpr = Extract<TypedExpr, { kind: 'call' }>;

/** The region of a whole loop body. */
export const ROOT_REGION = '';

/** A sub-expression the filter loop stores for the output loop. */
export interface StoredValue {
  key: string;
  type: 'float64' | 'int32' | 'int64' | 'bool';
  /** The scratch array of the values (s<index>) and, when nullable, of null flags (s<index>n). */
  index: number;
  nullable: boolean;
}

/** What one loop shares between its sub-expressions. */
export interface LoopPlan {
  /** Keys remembered within a row: evaluated more than once, or stored for the output loop. */
  readonly remembered: ReadonlySet<string>;
  /** Repeated total sub-expressions, by the region at whose start they are computed. */
  readonly hoisted: ReadonlyMap<string, readonly TypedExpr[]>;
  /** Filter loop: sub-expressions to store when computed. */
  readonly stores: ReadonlyMap<string, StoredValue>;
  /** Output loop: sub-expressions read from what the filter loop stored. */
  readonly loads: ReadonlyMap<string, StoredValue>;
}

const keys = new WeakMap<TypedExpr, string>();

/** A key equal for sub-expressions that compute the same value: exprKey, but blind to aliases. */
export function cseKey(t: TypedExpr): string {
  let key = keys.get(t);
  if (key === undefined) {
    key = keyOf(t);
    keys.set(t, key);
  }
  return key;
}

function keyOf(t: TypedExpr): string {
  // Each part is self-delimiting (JSON or a balanced key), so different expressions get different keys.
  switch (t.kind) {
    case 'alias':
      return cseKey(t.arg);
    case 'call':
      return `call(${JSON.stringify(t.node.fn)},${canonicalJson(t.params)},${t.args.map(cseKey).join(',')})`;
    case 'cast':
      return `cast(${JSON.stringify(t.node.dtype)},${cseKey(t.arg)})`;
    case 'when':
      return `when(${t.branches.map((b) => `${cseKey(b.when)},${cseKey(b.then)}`).join(',')};${cseKey(t.otherwise)})`;
    default:
      return exprKey(t.node);
  }
}

const nodeIds = new WeakMap<TypedExpr, number>();
let nextNodeId = 1;

/** The id of a conditional operand position of `owner` (label t<k>, e<k> or a<k>, see above). */
export function regionOf(owner: TypedExpr, label: string): string {
  let id = nodeIds.get(owner);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(owner, id);
  }
  return `${id}.${label}`;
}

/**
 * Whether argument k of a function with custom null handling may be evaluated on some rows
 * only: the right side of and/or and fillNull's fill. For a function not known here, every
 * argument (its emit may evaluate any of them in a block of its own).
 */
export function argStartsRegion(fn: ScalarFunction, k: number): boolean {
  if (fn === and || fn === or || fn === fillNull) return k === 1;
  if (fn === isNull || fn === isNotNull || fn === clip) return false;
  return true;
}

/**
 * Functions that may run on rows where the expression would not have run them: pure, unable
 * to throw on any operand their signature admits, and costing little more than their
 * operands' size. (Division by zero gives ±Infinity or NaN, an integer mod by zero null.)
 */
const TOTAL: ReadonlySet<ScalarFunction> = new Set([
  add, sub, mul, div, mod, pow, neg,
  eq, ne, lt, le, gt, ge,
  and, or, not,
  isNull, isNotNull, fillNull, isIn, clip,
  abs, sqrt, exp, log, sin, cos, floor, ceil,
  strLen, strLower, strUpper, strStartsWith, strEndsWith, strSlice,
]);

function callIsTotal(t: CallExpr): boolean {
  // A user's regular expression may backtrack without bound: run it only where it was asked for.
  if (t.fn === strContains) return t.params.literal === true;
  // 10n ** 10n ** 9n throws (BigInt too large): absurd decimals are left where they are.
  if (t.fn === round) return t.params.decimals === undefined || Math.abs(t.params.decimals as number) <= 300;
  return TOTAL.has(t.fn);
}

/**
 * Calls `visit` on every sub-expression the generated code evaluates (not bare columns,
 * literals or aliases), with the regions it lies in, outermost first. The walk mirrors
 * compileExpr: a dictionary-lifted sub-expression is one table lookup, so its parts are not
 * visited; `visit` returns false to leave a sub-expression's parts out as well.
 */
function walkEvaluated(t: TypedExpr, path: readonly string[], visit: (t: TypedExpr, path: readonly string[]) => boolean): void {
  if (t.kind === 'alias') return walkEvaluated(t.arg, path, visit);
  if (t.kind === 'col' || t.kind === 'lit' || t.kind === 'agg') return;
  if (!visit(t, path) || liftableColumn(t) !== null) return;
  switch (t.kind) {
    case 'cast':
      return walkEvaluated(t.arg, path, visit);
    case 'call':
      t.args.forEach((a, k) => walkEvaluated(a, t.fn.nulls === 'custom' && argStartsRegion(t.fn, k) ? [...path, regionOf(t, `a${k}`)] : path, visit));
      return;
    case 'when': {
      // Branch k's condition runs in the else sides of the branches before it; its value in its then side.
      let outer = path;
      t.branches.forEach((b, k) => {
        walkEvaluated(b.when, outer, visit);
        walkEvaluated(b.then, [...outer, regionOf(t, `t${k}`)], visit);
        outer = [...outer, regionOf(t, `e${k}`)];
      });
      return walkEvaluated(t.otherwise, outer, visit);
    }
  }
}

/** Whether evaluating the sub-expression on any row is safe and cheap (see TOTAL). */
function isTotal(t: TypedExpr, loads: ReadonlyMap<string, StoredValue>): boolean {
  switch (t.kind) {
    case 'col':
    case 'lit':
      return true;
    case 'alias':
      return isTotal(t.arg, loads);
    case 'agg':
      return false;
  }
  if (loads.has(cseKey(t)) || liftableColumn(t) !== null) return true; // an array read
  switch (t.kind) {
    case 'cast':
      return isTotal(t.arg, loads);
    case 'call':
      return callIsTotal(t) && t.args.every((a) => isTotal(a, loads));
    case 'when':
      return t.branches.every((b) => isTotal(b.when, loads) && isTotal(b.then, loads)) && isTotal(t.otherwise, loads);
  }
}

/**
 * The plan of one loop over `roots` (the filter, or every computed output): which
 * sub-expressions to remember and where to compute the repeated total ones. `stored` are the
 * filter's stored values: stored by this loop (filter), or read by it (output).
 */
export function planLoop(roots: readonly TypedExpr[], stored: readonly StoredValue[], loop: 'filter' | 'output'): LoopPlan {
  const byKey = new Map(stored.map((s) => [s.key, s]));
  const loads = loop === 'output' ? byKey : new Map<string, StoredValue>();
  const uses = new Map<string, { t: TypedExpr; paths: (readonly string[])[] }>();
  for (const root of roots) {
    walkEvaluated(root, [], (t, path) => {
      const key = cseKey(t);
      if (loads.has(key)) return false;
      const known = uses.get(key);
      if (known) known.paths.push(path);
      else uses.set(key, { t, paths: [path] });
      return true;
    });
  }
  const remembered = new Set<string>(loop === 'filter' ? byKey.keys() : []);
  const hoisted = new Map<string, TypedExpr[]>();
  for (const [key, { t, paths }] of uses) {
    if (paths.length < 2) continue;
    remembered.add(key);
    if (!isTotal(t, loads)) continue;
    const common = commonPrefix(paths);
    const region = common.length === 0 ? ROOT_REGION : common[common.length - 1]!;
    const list = hoisted.get(region);
    if (list) list.push(t);
    else hoisted.set(region, [t]);
  }
  return { remembered, hoisted, stores: loop === 'filter' ? byKey : new Map(), loads };
}

function commonPrefix(paths: readonly (readonly string[])[]): readonly string[] {
  let common = paths[0]!;
  for (const path of paths) {
    let k = 0;
    while (k < common.length && k < path.length && common[k] === path[k]) k++;
    common = common.slice(0, k);
  }
  return common;
}

/**
 * The filter's sub-expressions worth storing for the outputs: each is evaluated by the filter
 * loop on every row it keeps, computes something (a function or cast, not a column read or
 * a dictionary lookup), has a type a typed array holds, and is used by an output (outermost
 * such sub-expressions only).
 */
export function planStores(filter: TypedExpr, outputs: readonly TypedExpr[]): StoredValue[] {
  const onKeptRows = evaluatedOnKeptRows(filter);
  const stores: StoredValue[] = [];
  for (const output of outputs) {
    walkEvaluated(output, [], (t) => {
      const key = cseKey(t);
      const kept = onKeptRows.get(key);
      if (kept === undefined || !storable(t) || !computes(t)) return true;
      if (!stores.some((s) => s.key === key)) stores.push({ key, type: t.type as StoredValue['type'], index: stores.length, nullable: !kept.nonNull });
      return false;
    });
  }
  return stores;
}

function storable(t: TypedExpr): boolean {
  return t.type === 'float64' || t.type === 'int32' || t.type === 'int64' || t.type === 'bool';
}

/** Whether the generated code computes anything for it beyond reading columns (or one dictionary table). */
function computes(t: TypedExpr): boolean {
  let found = false;
  walkEvaluated(t, [], (n) => {
    if (liftableColumn(n) === null && (n.kind === 'call' || (n.kind === 'cast' && n.arg.type !== n.type))) found = true;
    return !found;
  });
  return found;
}

/**
 * The sub-expressions of a filter that the filter loop evaluates on every row it keeps, and
 * whether they are then known not to be null. A kept row's filter is true; an `and` that is
 * true had both sides evaluated and true; a strict function (or cast) that is not null had no
 * null argument. Everything under or/when/fillNull beyond the first operand may be skipped.
 */
function evaluatedOnKeptRows(filter: TypedExpr): Map<string, { nonNull: boolean }> {
  const found = new Map<string, { nonNull: boolean }>();
  const visit = (t: TypedExpr, isTrue: boolean, nonNull: boolean): void => {
    if (t.kind === 'alias') return visit(t.arg, isTrue, nonNull);
    if (t.kind === 'col' || t.kind === 'lit' || t.kind === 'agg') return;
    const key = cseKey(t);
    found.set(key, { nonNull: nonNull || found.get(key)?.nonNull === true });
    if (liftableColumn(t) !== null) return;
    switch (t.kind) {
      case 'cast':
        return visit(t.arg, false, nonNull);
      case 'call':
        t.args.forEach((a, k) => {
          if (t.fn.nulls === 'strict') visit(a, false, nonNull);
          else if (t.fn === and && isTrue) visit(a, true, true);
          else if (!argStartsRegion(t.fn, k)) visit(a, false, t.fn === clip && k === 0 && nonNull); // clip is null exactly where its value is
        });
        return;
      case 'when':
        return visit(t.branches[0]!.when, false, false);
    }
  };
  visit(filter, true, true);
  return found;
}

/** Allocations of the scratch arrays, before the filter loop (one slot per row at most). */
export function allocateStored(s: StoredValue): string {
  const array = { float64: 'Float64Array', int32: 'Int32Array', int64: 'BigInt64Array', bool: 'Uint8Array' }[s.type];
  return `const s${s.index} = new ${array}(n);${s.nullable ? ` const s${s.index}n = new Uint8Array(n);` : ''}`;
}

/**
 * Stores a value the filter loop computed at slot m: the position the row takes if it is kept
 * (m only grows when a row is kept, after all its values are stored; a dropped row's slot is
 * overwritten by the next row).
 */
export function storeCode(s: StoredValue, value: JsValue): string {
  const v = s.type === 'bool' ? `${value.v} ? 1 : 0` : value.v;
  return `s${s.index}[m] = ${v};${s.nullable ? ` s${s.index}n[m] = ${value.n} ? 1 : 0;` : ''}`;
}

/** The stored value of output row k. */
export function loadValue(s: StoredValue): JsValue {
  const v = s.type === 'bool' ? `(s${s.index}[k] === 1)` : `s${s.index}[k]`;
  return { v, n: s.nullable ? `(s${s.index}n[k] === 1)` : 'false' };
}
