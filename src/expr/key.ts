import type { ExprNode } from './ir.js';

/**
 * A canonical string for an expression (object keys sorted), equal for equal expressions
 * however they were built or parsed: the key for kernel caches and common subexpressions.
 */
export function exprKey(node: ExprNode): string {
  return canonicalJson(node);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
