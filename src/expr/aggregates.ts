import { DuskSchemaError } from '../core/errors.js';
import type { ExprType, Params } from './ir.js';
import { isNumeric, isStringLike } from './types.js';

/**
 * The aggregations an expression can name, with their result types; their partial state,
 * merge and finalize live in src/aggregates. Nulls are skipped, as pandas does; len counts
 * rows including nulls, count only non-null values.
 */
export interface AggregateSpec {
  readonly name: string;
  /** 'none': len() of the frame; 'optional': col.len() or len(); 'required': the rest. */
  readonly arg: 'required' | 'optional';
  /** The result type for this argument type, or what the aggregation needs. */
  result(arg: ExprType | null, params: Params): ExprType | { needs: string };
  /** Params printed by formatExpr, in order. */
  readonly paramOrder?: readonly string[];
}

const numericOrBool = (t: ExprType | null) => t !== null && (isNumeric(t) || t === 'bool' || t === 'null');
/** What aggregates of numbers need (resolve words the error for a text column from it). */
export const NUMERIC = 'a numeric (or bool) column';

function spec(name: string, result: AggregateSpec['result'], arg: AggregateSpec['arg'] = 'required', paramOrder?: string[]): AggregateSpec {
  return paramOrder ? { name, arg, result, paramOrder } : { name, arg, result };
}

function floatResult(t: ExprType | null) {
  return numericOrBool(t) ? ('float64' as const) : { needs: NUMERIC };
}

function checkDdof(params: Params): void {
  const ddof = params.ddof ?? 1;
  if (typeof ddof !== 'number' || !Number.isInteger(ddof) || ddof < 0) throw new DuskSchemaError(`ddof must be a non-negative integer; got ${JSON.stringify(ddof)}`);
}

const SPECS: AggregateSpec[] = [
  spec('len', () => 'int64', 'optional'),
  spec('count', () => 'int64'),
  spec('nunique', () => 'int64'),
  spec('sum', (t) => (!numericOrBool(t) ? { needs: NUMERIC } : t === 'float64' ? 'float64' : 'int64')),
  spec('mean', floatResult),
  spec('median', floatResult),
  spec('var', (t, p) => (checkDdof(p), floatResult(t)), 'required', ['ddof']),
  spec('std', (t, p) => (checkDdof(p), floatResult(t)), 'required', ['ddof']),
  spec(
    'quantile',
    (t, p) => {
      const q = p.q;
      if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new DuskSchemaError(`quantile: q must be a number from 0 to 1; got ${JSON.stringify(q)}`);
      return floatResult(t);
    },
    'required',
    ['q'],
  ),
  spec('min', minMax),
  spec('max', minMax),
  spec('first', (t) => t!),
  spec('last', (t) => t!),
];

function minMax(t: ExprType | null): ExprType | { needs: string } {
  if (t === null) return { needs: 'a column' };
  if (isStringLike(t)) return 'string';
  return t;
}

export const AGGREGATES: ReadonlyMap<string, AggregateSpec> = new Map(SPECS.map((s) => [s.name, s]));
