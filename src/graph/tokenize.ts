import { createHash, type Hash } from 'node:crypto';

/**
 * Feeds a value into a hash in a stable form: object keys sorted, typed arrays as their raw
 * bytes (hashing bytes directly is fast, and has no string-length limit for big arrays).
 */
function feed(hash: Hash, value: unknown): void {
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
  const hash = createHash('sha1');
  feed(hash, parts);
  return hash.digest('hex').slice(0, 12);
}
