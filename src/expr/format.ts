import { AGGREGATES } from './aggregates.js';
import { functions } from './functions/index.js';
import type { ExprNode, JsonScalar, JsonValue, LitDType, Params } from './ir.js';

/**
 * An expression as readable text, in the builder's own syntax, for error messages and explain:
 * `(col("DepDelay") > 60)`, `col("Origin").isIn(["SFO", "LAX"])`, `col("x").mean()`.
 */
export function formatExpr(node: ExprNode): string {
  switch (node.kind) {
    case 'col':
      return `col(${JSON.stringify(node.name)})`;
    case 'lit':
      return formatLiteral(node.value, node.dtype);
    case 'call': {
      const args = node.args.map(formatExpr);
      const display = functions.get(node.fn)?.display ?? { kind: 'method' as const };
      if (display.kind === 'infix' && args.length === 2) return `(${args[0]} ${display.symbol} ${args[1]})`;
      if (display.kind === 'prefix' && args.length === 1) return `${display.symbol}${args[0]}`;
      const order = display.kind === 'method' ? (display.paramOrder ?? []) : Object.keys(node.params ?? {});
      const name = display.kind === 'method' ? (display.name ?? node.fn) : node.fn;
      return method(args[0] ?? '', name, [...args.slice(1), ...formatParams(node.params, order)]);
    }
    case 'when':
      return `${node.branches.map((b) => `when(${formatExpr(b.when)}).then(${formatExpr(b.then)})`).join('.')}.otherwise(${formatExpr(node.otherwise)})`;
    case 'cast':
      return `${formatExpr(node.arg)}.cast(${JSON.stringify(node.dtype)})`;
    case 'alias':
      return `${formatExpr(node.arg)}.alias(${JSON.stringify(node.name)})`;
    case 'agg': {
      const params = formatParams(node.params, AGGREGATES.get(node.fn)?.paramOrder ?? Object.keys(node.params ?? {}));
      return node.arg === null ? `${node.fn}(${params.join(', ')})` : method(formatExpr(node.arg), node.fn, params);
    }
  }
}

function method(receiver: string, name: string, args: string[]): string {
  return `${receiver}.${name}(${args.join(', ')})`;
}

function formatParams(params: Params | undefined, order: readonly string[]): string[] {
  if (!params) return [];
  return order
    .filter((key) => params[key] !== undefined && !(key === 'length' && params[key] === null))
    .map((key) => (key === 'values' && Array.isArray(params.values) ? formatList(params.values, params.dtype) : JSON.stringify(params[key])));
}

function formatList(values: JsonValue[], dtype: JsonValue | undefined): string {
  return `[${values.map((v) => formatLiteral(v as JsonScalar, dtype as LitDType)).join(', ')}]`;
}

function formatLiteral(value: JsonScalar, dtype: LitDType): string {
  if (value === null) return 'null';
  if (dtype === 'int64') return `${value}n`;
  if (dtype === 'float64') return typeof value === 'string' ? value : Number.isInteger(value) ? `${value}.0` : String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
