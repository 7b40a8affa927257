import type { Hash } from 'node:crypto';

/**
 * Feeds a value into a hash in a stable form: object keys sorted, typed arrays as their raw
 * bytes (hashing bytes directly is fast, and has no string-length limit for big arrays), Maps,
 * Sets and Dates by their content.
 */
function feed(hash: Hash, value: unknown): void {
  if (typeof value === 'number') {
    // JSON.stringify writes NaN and ±Infinity as null, and -0 as 0: those calls merged with others.
    hash.update(Object.is(value, -0) ? '-0' : String(value));
    return;
  }
  if (value === null || typeof value !== 'object') {
    hash.update(typeof value === 'bigint' ? `${value}n` : typeof value === 'function' ? `fn:${value.name}` : (JSON.stringify(value) ?? 'undefined'));
    return;
  }
  if (ArrayBuffer.isView(value)) {
    hash.update(`${value.constructor.name}(${value.byteLength}):`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return;
  }
  if (Array.isArray(value)) {
    hash.update('[');
    for (const v of value) {
      feed(hash, v);
      hash.update(',');
    }
    hash.update(']');
    return;
  }
  // Built-ins whose content is not in their own keys: without this, every Map (Set, Date…)
  // hashed as {} and calls with different ones merged into one task.
  if (value instanceof Map) {
    hash.update('Map[');
    for (const entry of value) {
      feed(hash, entry);
      hash.update(',');
    }
    hash.update(']');
    return;
  }
  if (value instanceof Set) {
    hash.update('Set[');
    for (const item of value) {
      feed(hash, item);
      hash.update(',');
    }
    hash.update(']');
    return;
  }
  if (value instanceof Date) {
    hash.update(`Date(${value.getTime()})`);
    return;
  }
  if (value instanceof RegExp || value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof Error) {
    hash.update(`${value.constructor.name}(${JSON.stringify(String(value))})`);
    return;
  }
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    hash.update(`${value.constructor.name}(${value.byteLength}):`);
    hash.update(new Uint8Array(value));
    return;
  }
  hash.update('{');
  for (const key of Object.keys(value).sort()) {
    hash.update(JSON.stringify(key));
    hash.update(':');
    feed(hash, (value as Record<string, unknown>)[key]);
    hash.update(',');
  }
  hash.update('}');
}

/**
 * A short deterministic hash of plain data, like Dask's tokenize: equal inputs give equal task
 * keys, so the same work asked for twice in one compute call runs once.
 */
export function tokenize(...parts: unknown[]): string {
  const hash = process.getBuiltinModule('node:crypto').createHash('sha1');
  feed(hash, parts);
  return hash.digest('hex').slice(0, 12);
}
