import { decodeScalar, type ExprNode, type JsonScalar, type LitNode, type Scalar } from '../../expr/ir.js';
import type { DType } from '../../core/dtypes.js';
import type { ColumnStats } from './footer.js';

/**
 * Row-group skipping: whether any row of a row group can pass `predicate`, judged from its
 * columns' min/max and null counts only. Conservative: true unless the statistics prove no row
 * can pass (a filter keeps a row only where the predicate is true, so a comparison with a null
 * value never keeps it). Understood: and, or, comparisons of a column with a literal, isIn,
 * isNull, isNotNull; anything else may pass. Strings use only equality and isIn: Parquet orders
 * their statistics by bytes, which is not the order JS comparisons use.
 */

export interface RowGroupStats {
  numRows: number;
  stats: Readonly<Record<string, ColumnStats>>;
}

type Side = { kind: 'col'; name: string } | { kind: 'lit'; value: Scalar };

const NUMERIC: ReadonlySet<DType> = new Set(['float64', 'int32', 'int64']);

function side(node: ExprNode, dtypes: Readonly<Record<string, DType>>): Side | null {
  if (node.kind === 'col') return node.name in dtypes ? { kind: 'col', name: node.name } : null;
  if (node.kind === 'lit') return node.value === null ? null : { kind: 'lit', value: decodeScalar(node.value, (node as LitNode).dtype) };
  // A numeric widening keeps the order of the values: look through it.
  if (node.kind === 'cast' && NUMERIC.has(node.dtype) && node.arg.kind === 'col' && NUMERIC.has(dtypes[node.arg.name]!)) return side(node.arg, dtypes);
  return null;
}

function statScalar(v: JsonScalar, dtype: DType): Scalar {
  return v === null ? null : dtype === 'int64' ? BigInt(v as string) : v;
}

const FLIP: Record<string, string> = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq' };

/** Whether some value v in [min, max] can satisfy `v op lit`. */
function rangeCanMatch(op: string, min: Scalar, max: Scalar, lit: Scalar): boolean {
  if (min === null || max === null || lit === null) return true;
  if (typeof lit === 'number' && Number.isNaN(lit)) return op === 'ne';
  // Mixed number/bigint comparisons are exact in JS.
  const lo = min as number | bigint | boolean;
  const hi = max as number | bigint | boolean;
  const x = lit as number | bigint | boolean;
  switch (op) {
    case 'lt':
      return lo < x;
    case 'le':
      return lo <= x;
    case 'gt':
      return hi > x;
    case 'ge':
      return hi >= x;
    case 'eq':
      return lo <= x && x <= hi;
    default:
      return true;
  }
}

export function rowGroupCanMatch(predicate: ExprNode, group: RowGroupStats, dtypes: Readonly<Record<string, DType>>): boolean {
  if (predicate.kind !== 'call') return true;
  const { fn, args } = predicate;
  if (fn === 'and') return args.every((a) => rowGroupCanMatch(a, group, dtypes));
  if (fn === 'or') return args.some((a) => rowGroupCanMatch(a, group, dtypes));
  if (fn === 'isNull' || fn === 'isNotNull') {
    const s = args[0] && side(args[0], dtypes);
    const stats = s?.kind === 'col' ? group.stats[s.name] : undefined;
    if (!stats || stats.nullCount === null) return true;
    return fn === 'isNull' ? stats.nullCount > 0 : stats.nullCount < group.numRows;
  }
  if (fn === 'isIn') {
    const s = args[0] && side(args[0], dtypes);
    const values = predicate.params?.values;
    const listType = predicate.params?.dtype;
    if (s?.kind !== 'col' || !Array.isArray(values) || typeof listType !== 'string') return true;
    const dtype = dtypes[s.name]!;
    const stats = group.stats[s.name];
    if (!stats) return true;
    if (stats.nullCount !== null && stats.nullCount >= group.numRows) return false;
    const min = statScalar(stats.min, dtype);
    const max = statScalar(stats.max, dtype);
    return values.some((v) => {
      if (v === null || typeof v === 'object') return true;
      const lit = decodeScalar(v, listType as LitNode['dtype']);
      if (dtype === 'string' || dtype === 'category') return typeof lit !== 'string' || stringInRange(min, max, lit);
      return rangeCanMatch('eq', min, max, lit);
    });
  }
  if (!(fn in FLIP) || args.length !== 2) return true;
  let left = side(args[0]!, dtypes);
  let right = side(args[1]!, dtypes);
  let op = fn;
  if (left?.kind === 'lit' && right?.kind === 'col') {
    [left, right] = [right, left];
    op = FLIP[fn]!;
  }
  if (left?.kind !== 'col' || right?.kind !== 'lit') return true;
  const dtype = dtypes[left.name]!;
  const stats = group.stats[left.name];
  if (!stats) return true;
  // Every value null: no comparison is true.
  if (stats.nullCount !== null && stats.nullCount >= group.numRows) return false;
  const min = statScalar(stats.min, dtype);
  const max = statScalar(stats.max, dtype);
  if (dtype === 'string' || dtype === 'category') return op !== 'eq' || typeof right.value !== 'string' || stringInRange(min, max, right.value);
  if (typeof right.value === 'string' || typeof min === 'string') return true;
  return rangeCanMatch(op, min, max, right.value);
}

const encoder = new TextEncoder();

/** Whether `s` lies in [min, max] in UTF-8 byte order (Parquet's order for strings). */
function stringInRange(min: Scalar, max: Scalar, s: string): boolean {
  if (typeof min !== 'string' || typeof max !== 'string') return true;
  const b = Buffer.from(encoder.encode(s));
  return Buffer.compare(Buffer.from(encoder.encode(min)), b) <= 0 && Buffer.compare(b, Buffer.from(encoder.encode(max))) <= 0;
}
