/**
 * A reader of Thrift's compact protocol, enough for a Parquet footer (FileMetaData). Generic:
 * a struct becomes a map of field id → value, a list an array, binary a Uint8Array, ints
 * numbers (i64 as bigint), so footer.ts picks the fields it needs by their ids in
 * parquet.thrift. parquet-wasm decodes the data but does not expose column statistics; the
 * footer is read here, on the calling thread, without loading WebAssembly.
 */

export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftValue[] | ThriftStruct;
export type ThriftStruct = Map<number, ThriftValue>;

const enum T {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

export class ThriftError extends Error {}

export class CompactReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new ThriftError(`footer ends early (at byte ${this.pos})`);
    return this.bytes[this.pos++]!;
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ThriftError(`a varint longer than 10 bytes at byte ${this.pos}`);
    }
  }

  private zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  private int(): number {
    return Number(this.zigzag());
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case T.True:
        return true;
      case T.False:
        return false;
      case T.Byte: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case T.I16:
      case T.I32:
        return this.int();
      case T.I64:
        return this.zigzag();
      case T.Double: {
        if (this.pos + 8 > this.bytes.length) throw new ThriftError(`footer ends early (at byte ${this.pos})`);
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case T.Binary: {
        const n = Number(this.varint());
        if (this.pos + n > this.bytes.length) throw new ThriftError(`a ${n}-byte string runs past the footer's end (at byte ${this.pos})`);
        const out = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case T.List:
      case T.Set: {
        const header = this.byte();
        const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
        const elem = header & 0x0f;
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) out.push(elem === T.True || elem === T.False ? this.byte() === 1 : this.value(elem));
        return out;
      }
      case T.Map: {
        const size = Number(this.varint());
        if (size === 0) return [];
        const kinds = this.byte();
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) out.push([this.value(kinds >> 4), this.value(kinds & 0x0f)]);
        return out;
      }
      case T.Struct:
        return this.struct();
      default:
        throw new ThriftError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  struct(): ThriftStruct {
    const out: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === T.Stop) return out;
      const delta = header >> 4;
      const id = delta === 0 ? this.int() : last + delta;
      last = id;
      out.set(id, this.value(type));
    }
  }
}
