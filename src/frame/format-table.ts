import type { Table } from 'apache-arrow';
import { inspect } from 'node:util';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Cell, Columns, Row, TableView } from './table-view.js';

/** How a table is printed; the defaults are pandas' display options. */
export interface FormatOptions {
  /** More rows than this and only the first and last few are shown (pandas' display.max_rows): 60. */
  maxRows?: number;
  /** Rows shown when they are cut, half from each end (pandas' display.min_rows): 10. */
  minRows?: number;
  /** Line width; beyond it middle columns are replaced by one `...` column (pandas' display.width): 80. */
  width?: number;
  /** Longer text (and column names) is cut to this many characters, ending in `...` (pandas' display.max_colwidth): 50. */
  maxColWidth?: number;
  /** A line of dtypes under the column names: false. */
  dtypes?: boolean;
}

const GAP = '  ';
/** Decimals of floats (pandas' display.precision). */
const PRECISION = 6;

function option(options: FormatOptions, key: Exclude<keyof FormatOptions, 'dtypes'>, fallback: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !(value >= 0) || (!Number.isInteger(value) && value !== Infinity)) {
    throw new DuskSchemaError(`format option ${key} must be a non-negative integer or Infinity, got ${String(value)}`);
  }
  return value;
}

/** Width on screen, counted in code points (wide East Asian characters count as one). */
function widthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - widthOf(text))) + text;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - widthOf(text)));
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text on one line (control characters escaped), cut to `max` characters ending in `...`. */
function oneLine(text: string, max: number): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f]/g, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const chars = [...escaped];
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 3)).join('')}...` : escaped;
}

/** Fixed-point strings of one column with the trailing zeros all of them have dropped (one decimal kept). */
function trimZeros(fixed: string[]): string[] {
  let drop = 0;
  while (drop < PRECISION - 1 && fixed.length > 0 && fixed.every((s) => s[s.length - 1 - drop] === '0')) drop++;
  return fixed.map((s) => s.slice(0, s.length - drop));
}

/** '1.234568e+07', with Python's two-digit exponent. */
function exponential(x: number): string {
  return x.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * A float column's values as pandas prints them: 6 decimals, less when every value ends in
 * zeros; scientific notation for the whole column when a value is tiny (< 1e-6) or large and
 * long. NaN (a value) prints as NaN, a missing value as null.
 */
function formatFloats(values: readonly Cell[]): string[] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const fixed = trimZeros(finite.map((v) => v.toFixed(PRECISION)));
  // pandas' rule, with its sign column: a leading space for positive values.
  const signedLength = (s: string): number => (s.startsWith('-') ? s.length : s.length + 1);
  const scientific =
    finite.some((v) => Math.abs(v) >= 1e21 || (v !== 0 && Math.abs(v) < 10 ** -PRECISION)) ||
    (finite.some((v) => Math.abs(v) > 1e6) && fixed.some((s) => signedLength(s) > PRECISION + 6));
  let next = 0;
  return values.map((v) => {
    if (v === null) return 'null';
    const x = v as number;
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
    const text = scientific ? exponential(x) : fixed[next]!;
    next++;
    return text;
  });
}

function formatCells(dtype: DType, values: readonly Cell[], maxColWidth: number): string[] {
  if (dtype === 'float64') return formatFloats(values);
  return values.map((v) => (v === null ? 'null' : typeof v === 'string' ? oneLine(v, maxColWidth) : String(v)));
}

/** One printed column: its name, dtype and cells as text. */
interface Block {
  header: string;
  dtype: string;
  cells: string[];
  /** The row numbers are left-aligned, as pandas' index; values right-aligned. */
  left?: boolean;
  /** The `...` column standing for elided columns. */
  elision?: boolean;
}

/** Where rows were cut: the marker row goes before this cell, '...' in a column wider than 3, else '..' (as pandas). */
type Cut = number | null;

/**
 * Lines of aligned blocks two spaces apart. Past `width`, the middle columns (not the row
 * numbers) give way to one `...` column: as many as fit, alternately from the left and the
 * right end, at least the first.
 */
function layout(index: Block | null, columns: Block[], width: number, dtypes: boolean, cut: Cut = null): { lines: string[]; elided: boolean } {
  const widthOfBlock = (b: Block): number => Math.max(widthOf(b.header), dtypes ? widthOf(b.dtype) : 0, ...b.cells.map(widthOf));
  const widths = columns.map(widthOfBlock);
  const indexWidth = index ? widthOfBlock(index) + GAP.length : 0;
  const total = indexWidth + widths.reduce((a, w) => a + w + GAP.length, 0) - (index ? 0 : GAP.length);
  let shown = columns;
  let elided = false;
  if (total > width && columns.length > 1) {
    const ellipsis: Block = { header: '...', dtype: '...', cells: columns[0]!.cells.map(() => '...'), elision: true };
    let budget = width - indexWidth - widthOfBlock(ellipsis) - GAP.length;
    const left: number[] = [];
    const right: number[] = [];
    let i = 0;
    let j = columns.length - 1;
    for (let fromLeft = true; i <= j; fromLeft = !fromLeft) {
      const cost = widths[fromLeft ? i : j]! + GAP.length;
      if (cost > budget && left.length > 0) break;
      budget -= cost;
      if (fromLeft) left.push(i++);
      else right.unshift(j--);
    }
    if (i <= j) {
      shown = [...left.map((c) => columns[c]!), ellipsis, ...right.map((c) => columns[c]!)];
      elided = true;
    }
  }
  const blocks = index ? [index, ...shown] : shown;
  const blockWidths = blocks.map(widthOfBlock);
  const line = (texts: string[]): string => texts.map((t, b) => (blocks[b]!.left ? padEnd : padStart)(t, blockWidths[b]!)).join(GAP).trimEnd();
  const lines = [line(blocks.map((b) => b.header))];
  if (dtypes) lines.push(line(blocks.map((b) => b.dtype)));
  const rows = blocks[0]?.cells.length ?? 0;
  for (let r = 0; r < rows; r++) {
    if (r === cut) lines.push(line(blocks.map((b, i) => (b.elision || blockWidths[i]! > 3 ? '...' : '..'))));
    lines.push(line(blocks.map((b) => b.cells[r]!)));
  }
  return { lines, elided };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * A computed table as aligned text, as pandas prints a DataFrame: row numbers, column names
 * right-aligned over their values, missing values as `null` (NaN is a value, printed NaN),
 * floats to 6 decimals less the zeros every value of the column ends in. A table of more than
 * `maxRows` rows shows its first and last `minRows / 2` with a `..` row between; columns
 * beyond `width` are elided in the middle; either adds the footer `[rows x columns]`.
 */
export function formatTable(view: TableView, options: FormatOptions = {}): string {
  const maxRows = option(options, 'maxRows', 60);
  const minRows = Math.min(option(options, 'minRows', 10), maxRows);
  const width = option(options, 'width', 80);
  const maxColWidth = option(options, 'maxColWidth', 50);
  const n = view.numRows;
  const footer = `[${n} rows x ${view.names.length} columns]`;
  if (view.names.length === 0) return footer;
  const cut = n > maxRows;
  const head = cut ? Math.ceil(minRows / 2) : n;
  const rows = cut ? [...range(0, head), ...range(n - Math.floor(minRows / 2), n)] : range(0, n);
  const index: Block = { header: '', dtype: '', cells: rows.map(String), left: true };
  const columns = view.names.map((name, c): Block => {
    const dtype = view.dtypes[name]!;
    return { header: oneLine(name, maxColWidth), dtype, cells: formatCells(dtype, rows.map((r) => view.cell(c, r)), maxColWidth) };
  });
  const { lines, elided } = layout(index, columns, width, options.dtypes ?? false, cut ? head : null);
  if (cut || elided || n === 0) lines.push('', footer);
  return lines.join('\n');
}

/**
 * The printed form of a lazy frame: a title line, then the column names over their dtypes
 * (middle columns elided beyond 80 characters), as Dask prints a DataFrame's structure.
 */
export function describeLazy(title: string, names: readonly string[], dtypes: Readonly<Record<string, DType>>): string {
  if (names.length === 0) return `${title}\n(no columns)`;
  const columns = names.map((name): Block => ({ header: oneLine(name, 50), dtype: dtypes[name]!, cells: [] }));
  return [title, ...layout(null, columns, 80, true).lines].join('\n');
}

/**
 * An Arrow table Dusk returns (from `head`, `toArrow`, a group-by's result): an
 * apache-arrow Table — every Arrow method works — that also prints as a table and converts
 * to plain JS values.
 */
export type ResultTable = Table & {
  /** The table as aligned text (see FormatOptions); what console.log shows. */
  toString(options?: FormatOptions): string;
  /** Rows as plain objects: int64 as numbers when exact (|v| ≤ 2^53), else bigint; null for missing. */
  toRecords(): Row[];
  /** Columns as arrays of plain values, with the same conversions as toRecords. */
  toColumns(): Columns;
};

/**
 * Gives one table instance its printed form and plain-value views. The instance, not Arrow's
 * prototype: other Arrow tables are untouched, and the table stays a real apache-arrow Table
 * (this module needs no Arrow at run time, so Arrow can be loaded lazily).
 */
export function asResultTable(table: Table, view: TableView): ResultTable {
  const method = (value: (...args: never[]) => unknown): PropertyDescriptor => ({ value, writable: true, configurable: true });
  Object.defineProperties(table, {
    toString: method((options?: FormatOptions) => formatTable(view, options)),
    [inspect.custom]: method(() => formatTable(view)),
    toRecords: method(() => view.toRecords()),
    toColumns: method(() => view.toColumns()),
  });
  return table as ResultTable;
}
