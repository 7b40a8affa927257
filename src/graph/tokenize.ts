import { createHash } from 'node:crypto';

/** Stable JSON: object keys sorted, so equal values always give the same text. */
function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? 'undefined');
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')})`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * A short deterministic hash of plain data, like Dask's tokenize: equal inputs give equal task
 * keys, so the same work asked for twice in one compute call runs once.
 */
export function tokenize(...parts: unknown[]): string {
  return createHash('sha1').update(stableStringify(parts)).digest('hex').slice(0, 12);
}
