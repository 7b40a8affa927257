import type { Encoding } from '../../core/dtypes.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

export interface HeaderLine {
  /** The header's fields, unquoted (not yet made unique: see uniqueColumnNames). */
  fields: string[];
  /** Offset just after the header line's newline. */
  end: number;
  /** Lines up to and including the header: blank and comment lines before it count too. */
  lines: number;
}

export interface HeaderOptions {
  /** The comment character, if any: comment lines before the header are skipped, a comment after it is cut. */
  comment?: string | null;
  /** The buffer is the whole input: a last line without a newline is complete. */
  final?: boolean;
}

/**
 * Splits the first line of a file into field names (quotes allowed, CRLF tolerated). Blank
 * lines and comment-only lines before it are skipped, as pandas does. Returns null when the
 * buffer holds no complete header line (and is not final), or, when final, no header line at all.
 */
export function splitHeaderLine(buf: Uint8Array, delimiter: string, encoding: Encoding, options: HeaderOptions = {}): HeaderLine | null {
  const delim = delimiter.charCodeAt(0);
  const comment = options.comment ? options.comment.charCodeAt(0) : -1;
  const final = options.final ?? false;
  let start = 0;
  let lines = 0;
  // Skip blank lines and comment lines.
  for (;;) {
    if (start >= buf.length) return null;
    const c = buf[start]!;
    const isBlank = c === LF || (c === CR && buf[start + 1] === LF);
    if (!isBlank && c !== comment) break;
    const newline = buf.indexOf(LF, start);
    if (newline < 0) return null; // a blank or comment line that runs to the end: no header (yet)
    start = newline + 1;
    lines++;
  }
  const decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8');
  const fields: string[] = [];
  let current: number[] = [];
  let inQuotes = false;
  let inComment = false;
  let i = start;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (inComment) {
      if (c === LF) break;
    } else if (inQuotes) {
      if (c === QUOTE) {
        if (buf[i + 1] === QUOTE) {
          current.push(QUOTE);
          i++;
        } else inQuotes = false;
      } else current.push(c);
    } else if (c === QUOTE) inQuotes = true;
    else if (c === delim) {
      fields.push(decoder.decode(Uint8Array.from(current)));
      current = [];
    } else if (c === LF) break;
    else if (c === comment) inComment = true;
    else current.push(c);
  }
  if (i >= buf.length && (inQuotes || !final)) return null;
  if (current.length > 0 && current[current.length - 1] === CR) current.pop();
  fields.push(decoder.decode(Uint8Array.from(current)));
  return { fields, end: Math.min(i + 1, buf.length), lines: lines + 1 };
}

/**
 * Column names as pandas 1.5 makes them from a header: an empty name becomes 'Unnamed: i'
 * (i its position), and a repeated name gets '.1', '.2', … — skipping any suffix that is itself
 * a name in the header, so 'a,a,a.1' gives a, a.2, a.1 (pandas' mangle_dupe_cols). Named
 * columns are handled before unnamed ones, so a given name is kept and an 'Unnamed: i' that
 * repeats it is renamed. Every column keeps its own data under a name of its own.
 */
export function uniqueColumnNames(fields: readonly string[]): string[] {
  const names = fields.map((name, i) => (name === '' ? `Unnamed: ${i}` : name));
  const unnamed = fields.flatMap((name, i) => (name === '' ? [i] : []));
  const order = [...fields.keys()].filter((i) => fields[i] !== '').concat(unnamed);
  const counts = new Map<string, number>();
  for (const i of order) {
    const original = names[i]!;
    let name = original;
    let count = counts.get(name) ?? 0;
    while (count > 0) {
      counts.set(original, count + 1);
      name = `${original}.${count}`;
      // `names` holds the columns renamed so far, as pandas' list does.
      count = names.includes(name) ? count + 1 : (counts.get(name) ?? 0);
    }
    names[i] = name;
    counts.set(name, count + 1);
  }
  return names;
}
