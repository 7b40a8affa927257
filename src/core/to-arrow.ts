import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Bool, Data, DataType, Dictionary, Float64, Int32, Int64, Table, Utf8 } from 'apache-arrow';
import type { ColumnBatch, ColumnData } from './column-data.js';
import { DuskError } from './errors.js';
import { isPlainObject } from './plain-object.js';
import type { DType } from './dtypes.js';

/**
 * The one door to apache-arrow. Loading it costs 150–450 ms here (its ESM entry loads ~150
 * files), more than the rest of Dusk, and a reduction never needs it: only building, sending or
 * receiving an Arrow table does. So nothing imports it statically; it is loaded here on first
 * use. Async paths (compute's results, a worker's batch) load it with `import()` first
 * (loadArrow). The few synchronous paths that get a table from the caller (ddf.shared(table), a
 * delayed call's arguments) load it with `require` of the package's ESM entry: Node ≥ 20.19
 * loads ES modules with require and gives the very instance `import('apache-arrow')` gives.
 */
type Arrow = typeof import('apache-arrow');

let arrow: Arrow | null = null;
let loading: Promise<Arrow> | null = null;

/** apache-arrow, loaded with import() (the same instance the caller's `import` gets, whatever loader hooks run). */
export function loadArrow(): Promise<Arrow> {
  if (arrow) return Promise.resolve(arrow);
  return (loading ??= import('apache-arrow').then((module) => (arrow = module)));
}

/** apache-arrow, loaded now if nothing loaded it yet. */
export function arrowModule(): Arrow {
  if (arrow) return arrow;
  const require = createRequire(import.meta.url);
  // The ESM entry ('import' condition), not the CommonJS build `require('apache-arrow')`
  // would pick: that build has classes of its own, and writing a caller's table with them
  // gives bytes that cannot be read back.
  arrow = require(fileURLToPath(import.meta.resolve('apache-arrow'))) as Arrow;
  return arrow;
}

/**
 * Arrow marks its tables with this registered symbol; `instanceof Table` checks it too
 * (Table.isTable: "works across different instances of the Arrow library"), so this is the same
 * test, without loading Arrow.
 */
const TABLE_MARK = Symbol.for('apache-arrow/Table');

export function isArrowTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TABLE_MARK] === true;
}

/** Whether a value is, or holds in its arrays and plain objects, an Arrow table (where wire.ts looks for them). */
export function holdsArrowTable(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  if (isArrowTable(value)) return true;
  seen.add(value);
  if (Array.isArray(value)) return value.some((v) => holdsArrowTable(v, seen));
  return isPlainObject(value) && Object.values(value).some((v) => holdsArrowTable(v, seen));
}

/** A table as Arrow IPC file bytes (how tables cross to workers). */
export function tableToIpc(table: Table): Uint8Array {
  const a = arrowModule();
  // Arrow's writer reads types with its own classes: a table made by another instance of the
  // library is written as bytes no reader accepts. Say so instead of sending those.
  if (!Function.prototype[Symbol.hasInstance].call(a.Table, table)) {
    throw new DuskError(
      'an Arrow table made by another instance of apache-arrow than the one Dusk loaded cannot be sent to workers ' +
        '(under tsx on Node 20, require() makes a second instance): compute something that builds the table first (any toArrow()), or pass the data as typed arrays',
    );
  }
  return a.tableToIPC(table, 'file');
}

/** A table back from Arrow IPC bytes. */
export function tableFromIpc(ipc: Uint8Array): Table {
  return arrowModule().tableFromIPC(ipc);
}

const dictionaryTypes = new Map<string, Dictionary<Utf8, Int32>>();

function arrowType(a: Arrow, dtype: DType, name: string): DataType {
  switch (dtype) {
    case 'float64':
      return new a.Float64();
    case 'int32':
      return new a.Int32();
    case 'int64':
      return new a.Int64();
    case 'bool':
      return new a.Bool();
    case 'string':
      return new a.Utf8();
    case 'category': {
      // One dictionary type (and id) per column name, shared by every batch of a table.
      let type = dictionaryTypes.get(name);
      if (!type) {
        type = new a.Dictionary(new a.Utf8(), new a.Int32());
        dictionaryTypes.set(name, type);
      }
      return type;
    }
  }
}

/** Wraps a parsed column as Arrow data without copying its buffers. */
function toData(a: Arrow, col: ColumnData, type: DataType): Data {
  const common = { length: col.length, nullCount: col.nullCount, nullBitmap: col.validity ?? undefined };
  switch (col.dtype) {
    case 'float64':
      return a.makeData({ ...common, type: type as Float64, data: col.values });
    case 'int32':
      return a.makeData({ ...common, type: type as Int32, data: col.values });
    case 'int64':
      return a.makeData({ ...common, type: type as Int64, data: col.values });
    case 'bool':
      return a.makeData({ ...common, type: type as Bool, data: col.values });
    case 'string':
      return a.makeData({ ...common, type: type as Utf8, valueOffsets: col.offsets, data: col.data });
    case 'category':
      return a.makeData({ ...common, type: type as Dictionary<Utf8, Int32>, data: col.indices, dictionary: a.vectorFromArray(col.dictionary, new a.Utf8()) });
  }
}

/** Column batches (all with the same columns) as one Arrow table. */
export function batchesToTable(batches: readonly ColumnBatch[], names: readonly string[], dtypes: Readonly<Record<string, DType>>): Table {
  const a = arrowModule();
  const schema = new a.Schema(names.map((name) => new a.Field(name, arrowType(a, dtypes[name]!, name), true)));
  if (batches.length === 0) {
    const empty = a.makeData({ type: new a.Struct(schema.fields), length: 0, nullCount: 0, children: schema.fields.map((f) => a.makeData({ type: f.type, length: 0 }) as Data) });
    return new a.Table(schema, [new a.RecordBatch(schema, empty)]);
  }
  const recordBatches = batches.map((batch) => {
    const children = names.map((name, i) => toData(a, batch.columns[batch.names.indexOf(name)]!, schema.fields[i]!.type));
    return new a.RecordBatch(schema, a.makeData({ type: new a.Struct(schema.fields), length: batch.length, nullCount: 0, children }));
  });
  return new a.Table(schema, recordBatches);
}
