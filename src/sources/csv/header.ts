import type { Encoding } from '../../core/dtypes.js';

/**
 * Splits the first line of a file into field names (quotes allowed, CRLF tolerated).
 * Returns null when the buffer holds no complete line and is not the whole input.
 */
export function splitHeaderLine(buf: Uint8Array, delimiter: string, encoding: Encoding): { fields: string[]; end: number } | null {
  const delim = delimiter.charCodeAt(0);
  const decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8');
  const fields: string[] = [];
  let current: number[] = [];
  let inQuotes = false;
  let i = 0;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (inQuotes) {
      if (c === 34) {
        if (buf[i + 1] === 34) {
          current.push(34);
          i++;
        } else inQuotes = false;
      } else current.push(c);
    } else if (c === 34) inQuotes = true;
    else if (c === delim) {
      fields.push(decoder.decode(Uint8Array.from(current)));
      current = [];
    } else if (c === 10) break;
    else current.push(c);
  }
  if (i >= buf.length && inQuotes) return null;
  if (current.length > 0 && current[current.length - 1] === 13) current.pop();
  fields.push(decoder.decode(Uint8Array.from(current)));
  return { fields, end: Math.min(i + 1, buf.length) };
}
