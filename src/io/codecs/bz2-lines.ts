import { closeSync, openSync, readSync } from 'node:fs';
import { DuskIoError } from '../../core/errors.js';
import { loadDuskBz2 } from './bz2-dusk.js';
import { Bz2WasmBlockDecoder } from './bz2-wasm-decoder.js';

const READ_BYTES = 1 << 20;

/**
 * Line numbers for rows of a bz2 partition that starts mid-file (bz2-block-range.ts): how many
 * newlines precede a decoded byte. Only error reporting needs this (a bad row's line), so it
 * costs nothing until asked; then it decodes the file from its start, synchronously (the parser
 * asks from inside a synchronous call), up to the byte asked for. It keeps its place, so the
 * increasing offsets of several bad rows (onBadLines 'skip' or 'warn') cost one pass in all.
 */
export class Bz2LineCounter {
  private fd: number | null = null;
  private decoder: Bz2WasmBlockDecoder | null = null;
  private filePos = 0;
  /** Newlines in every decoded byte before `block`. */
  private newlinesBefore = 0;
  /** The current decoded block and its offset from the partition's first block (null while before it). */
  private block: Uint8Array | null = null;
  private blockStart: number | null = null;
  /** Offset (from the partition's first block) of the next local block. */
  private nextStart = 0;

  constructor(
    private readonly path: string,
    /** Absolute bit offset of the partition's first block: offsets count from its first byte. */
    private readonly firstBlockBit: number,
    /** Called when the file is opened (the task's open count stays true). */
    private readonly onOpen: () => void = () => undefined,
    /** 'cr': lines end in a lone CR (old Mac files), which is counted as well as LF. */
    private readonly lineEnds: 'lf' | 'cr' = 'lf',
  ) {}

  /** The 1-based line number of the decoded byte `offset` bytes after the start of the partition's first block. */
  lineAt(offset: number): number {
    try {
      if (this.blockStart !== null && offset < this.blockStart) this.reset(); // asked about an earlier block: start over
      for (;;) {
        if (this.block !== null && this.blockStart !== null && offset < this.blockStart + this.block.length) {
          return 1 + this.newlinesBefore + this.count(this.block, offset - this.blockStart);
        }
        // Past the end of the file (cannot happen for an offset the parser saw): the last line.
        if (!this.advance()) return 1 + this.newlinesBefore;
      }
    } catch (err) {
      this.reset();
      if (err instanceof DuskIoError) throw err;
      throw new DuskIoError(`${this.path}: cannot count lines for an error message: ${(err as Error).message}`, { path: this.path }, { cause: err });
    }
  }

  /** Moves to the next decoded block; false at the end of the file. */
  private advance(): boolean {
    if (this.decoder === null) {
      this.fd = openSync(this.path, 'r');
      this.onOpen();
      this.decoder = new Bz2WasmBlockDecoder(loadDuskBz2(), this.path);
      this.filePos = 0;
      this.nextStart = 0;
    }
    if (this.block !== null) this.newlinesBefore += this.count(this.block, this.block.length);
    this.block = null;
    for (;;) {
      const r = this.decoder.next();
      if (r === null) {
        this.dispose();
        return false;
      }
      if (r === 'more') {
        const buf = new Uint8Array(READ_BYTES);
        const n = readSync(this.fd!, buf, 0, READ_BYTES, this.filePos);
        if (n === 0) this.decoder.end();
        else {
          this.filePos += n;
          this.decoder.push(buf.subarray(0, n));
        }
        continue;
      }
      if (this.decoder.blockBit < this.firstBlockBit) {
        this.newlinesBefore += this.count(r, r.length);
        continue;
      }
      this.blockStart = this.nextStart;
      this.nextStart += r.length;
      this.block = r;
      return true;
    }
  }

  private reset(): void {
    this.dispose();
    this.decoder = null;
    this.block = null;
    this.blockStart = null;
    this.newlinesBefore = 0;
  }

  private count(bytes: Uint8Array, end: number): number {
    return this.lineEnds === 'cr' ? countLoneCrs(bytes, end) + countNewlines(bytes, end) : countNewlines(bytes, end);
  }

  /** Closes the file if a count left it open. */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** CRs not followed by an LF (old-Mac line ends; a CR inside a quoted field counts too, as a physical line). */
function countLoneCrs(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(13); i >= 0 && i < end; i = bytes.indexOf(13, i + 1)) if (bytes[i + 1] !== 10) n++;
  return n;
}
