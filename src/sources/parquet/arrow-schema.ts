/**
 * The Arrow schema a Parquet writer stores in the file's key/value metadata ('ARROW:schema':
 * base64 of an IPC Schema message), read just far enough to see which columns were
 * dictionary-encoded in Arrow: Parquet itself has no such type, so without this a category
 * written by Dusk (or pandas, or polars) would come back as text. A flatbuffer walk of a few
 * fields; anything unexpected means "no information", never an error.
 */

class FlatBuffer {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private u16 = (at: number): number => this.view.getUint16(at, true);
  private u32 = (at: number): number => this.view.getUint32(at, true);
  root(): number {
    return this.u32(0);
  }
  /** Where field `index` of the table at `table` is stored, or 0 when it is absent. */
  private slot(table: number, index: number): number {
    const vtable = table - this.view.getInt32(table, true);
    const at = 4 + 2 * index;
    const offset = at < this.u16(vtable) ? this.u16(vtable + at) : 0;
    return offset === 0 ? 0 : table + offset;
  }
  /** A table, vector or string field: where it starts, or 0 when absent. */
  ref(table: number, index: number): number {
    const slot = this.slot(table, index);
    return slot === 0 ? 0 : slot + this.u32(slot);
  }
  /** The tables of a vector field. */
  tables(table: number, index: number): number[] {
    const vector = this.ref(table, index);
    if (vector === 0) return [];
    return Array.from({ length: this.u32(vector) }, (_, i) => {
      const at = vector + 4 + 4 * i;
      return at + this.u32(at);
    });
  }
  string(table: number, index: number): string {
    const at = this.ref(table, index);
    return at === 0 ? '' : new TextDecoder().decode(this.bytes.subarray(at + 4, at + 4 + this.u32(at)));
  }
}

/** Message.header (field 2) → Schema.fields (1) → Field.name (0), Field.dictionary (4). */
const MESSAGE_HEADER = 2;
const SCHEMA_FIELDS = 1;
const FIELD_NAME = 0;
const FIELD_DICTIONARY = 4;

/** The names of the top-level columns the stored Arrow schema says are dictionary-encoded. */
export function dictionaryColumns(arrowSchemaBase64: string): Set<string> {
  try {
    let bytes = Uint8Array.from(Buffer.from(arrowSchemaBase64, 'base64'));
    const view = new DataView(bytes.buffer);
    // An encapsulated message: [0xFFFFFFFF] length, then the flatbuffer.
    const prefix = view.getUint32(0, true) === 0xffffffff ? 8 : 4;
    bytes = bytes.subarray(prefix, prefix + view.getInt32(prefix - 4, true));
    const fb = new FlatBuffer(bytes);
    const schema = fb.ref(fb.root(), MESSAGE_HEADER);
    if (schema === 0) return new Set();
    return new Set(fb.tables(schema, SCHEMA_FIELDS).filter((f) => fb.ref(f, FIELD_DICTIONARY) !== 0).map((f) => fb.string(f, FIELD_NAME)));
  } catch {
    return new Set();
  }
}
