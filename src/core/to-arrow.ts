import { Bool, Data, Dictionary, Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray, type DataType } from 'apache-arrow';
import type { ColumnBatch, ColumnData } from './column-data.js';
import type { DType } from './dtypes.js';

const dictionaryTypes = new Map<string, Dictionary<Utf8, Int32>>();

function arrowType(dtype: DType, name: string): DataType {
  switch (dtype) {
    case 'float64':
      return new Float64();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'bool':
      return new Bool();
    case 'string':
      return new Utf8();
    case 'category': {
      // One dictionary type (and id) per column name, shared by every batch of a table.
      let type = dictionaryTypes.get(name);
      if (!type) {
        type = new Dictionary(new Utf8(), new Int32());
        dictionaryTypes.set(name, type);
      }
      return type;
    }
  }
}

/** Wraps a parsed column as Arrow data without copying its buffers. */
function toData(col: ColumnData, type: DataType): Data {
  const common = { length: col.length, nullCount: col.nullCount, nullBitmap: col.validity ?? undefined };
  switch (col.dtype) {
    case 'float64':
      return makeData({ ...common, type: type as Float64, data: col.values });
    case 'int32':
      return makeData({ ...common, type: type as Int32, data: col.values });
    case 'int64':
      return makeData({ ...common, type: type as Int64, data: col.values });
    case 'bool':
      return makeData({ ...common, type: type as Bool, data: col.values });
    case 'string':
      return makeData({ ...common, type: type as Utf8, valueOffsets: col.offsets, data: col.data });
    case 'category':
      return makeData({ ...common, type: type as Dictionary<Utf8, Int32>, data: col.indices, dictionary: vectorFromArray(col.dictionary, new Utf8()) });
  }
}

/** Column batches (all with the same columns) as one Arrow table. */
export function batchesToTable(batches: readonly ColumnBatch[], names: readonly string[], dtypes: Readonly<Record<string, DType>>): Table {
  const schema = new Schema(names.map((name) => new Field(name, arrowType(dtypes[name]!, name), true)));
  if (batches.length === 0) {
    const empty = makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children: schema.fields.map((f) => makeData({ type: f.type, length: 0 }) as Data) });
    return new Table(schema, [new RecordBatch(schema, empty)]);
  }
  const recordBatches = batches.map((batch) => {
    const children = names.map((name, i) => toData(batch.columns[batch.names.indexOf(name)]!, schema.fields[i]!.type));
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.length, nullCount: 0, children }));
  });
  return new Table(schema, recordBatches);
}
