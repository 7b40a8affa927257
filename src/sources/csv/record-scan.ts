const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Where a scan is within a record; the same states as the parser's RFC 4180 loop. */
const enum State {
  FieldStart = 0,
  Unquoted = 1,
  Quoted = 2,
  /** Just after a quote inside a quoted field: a closing quote, or the first of a doubled one. */
  AfterQuote = 3,
  Comment = 4,
  /**
   * Started mid-file (a byte-range partition): the quote state is unknown, so, as in LF files,
   * the first line end (a CR or LF, in quotes or not) is taken to end a record.
   */
  SeekLineEnd = 5,
}

/**
 * Follows record boundaries through CSV bytes without parsing values: a quote opens a quoted
 * field only at the start of a field (elsewhere it is data, as in the parser and pandas), a
 * newline inside quotes is data, and a comment runs to the end of its line. Keeps its state
 * across calls, so chunks can be fed one after another.
 *
 * Two uses: finding where the last complete record of a sample ends (recordEnds), and reading
 * files with old-Mac CR line ends (translateLoneCrs), which turns each CR that ends a line into
 * an LF so that the parser and the row splitter, which split on LF, need no CR mode of their own.
 */
export class RecordScanner {
  private state: State;

  constructor(
    private readonly delimiter: number,
    /** The comment character, or -1. */
    private readonly comment: number = -1,
    /** The bytes start somewhere in the file, not at a record start (see SeekLineEnd). */
    startsMidFile = false,
  ) {
    this.state = startsMidFile ? State.SeekLineEnd : State.FieldStart;
  }

  /** Whether the bytes scanned so far end inside a quoted field. */
  get inQuotes(): boolean {
    return this.state === State.Quoted;
  }

  /** Scans buf; returns the offset just after the last newline that ends a record in it, or -1. */
  recordEnds(buf: Uint8Array): number {
    let last = -1;
    for (let i = 0; i < buf.length; i++) if (this.step(buf[i]!)) last = i + 1;
    return last;
  }

  /**
   * In place: every CR outside a quoted field that is not followed by an LF becomes an LF (a CR
   * inside quotes is data, and a CRLF stays as it is, so LF and CRLF files read the same in this
   * mode). The length never changes, so byte offsets stay file offsets. A CR at the end of buf
   * outside quotes needs the next byte: unless `final`, it is left unscanned and the return value
   * (the bytes scanned) is buf.length - 1; the caller passes it again in front of the next chunk.
   */
  translateLoneCrs(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      let c = buf[i]!;
      if (c === CR && this.state !== State.Quoted) {
        if (i + 1 >= n && !final) return i;
        if (i + 1 >= n || buf[i + 1] !== LF) {
          buf[i] = LF;
          c = LF;
        }
      }
      this.step(c);
    }
    return n;
  }

  /** Advances over one byte; true when it is a newline that ends a record. */
  private step(c: number): boolean {
    switch (this.state) {
      case State.FieldStart:
        if (c === QUOTE) this.state = State.Quoted;
        else if (c === LF) return true;
        else if (c === this.comment) this.state = State.Comment;
        else if (c !== this.delimiter) this.state = State.Unquoted;
        return false;
      case State.Unquoted:
      case State.AfterQuote:
        if (c === this.delimiter) this.state = State.FieldStart;
        else if (c === LF) {
          this.state = State.FieldStart;
          return true;
        } else if (c === this.comment) this.state = State.Comment;
        else if (this.state === State.AfterQuote) this.state = c === QUOTE ? State.Quoted : State.Unquoted;
        return false;
      case State.Quoted:
        if (c === QUOTE) this.state = State.AfterQuote;
        return false;
      case State.Comment:
      case State.SeekLineEnd:
        if (c === LF) {
          this.state = State.FieldStart;
          return true;
        }
        return false;
    }
  }
}

/**
 * The chunks of a CR-terminated file with its line-ending CRs turned into LFs (see
 * RecordScanner.translateLoneCrs). Chunks are changed in place, so the source must hand over
 * chunks the caller may write to. The bytes out equal the bytes in, in number and offset.
 */
export async function* crLinesToLf(chunks: AsyncIterable<Uint8Array>, scanner: RecordScanner): AsyncGenerator<Uint8Array> {
  let held: Uint8Array | null = null; // a CR at the end of the last chunk, waiting for the next byte
  for await (let chunk of chunks) {
    if (chunk.length === 0) continue;
    if (held !== null) {
      const joined = new Uint8Array(held.length + chunk.length);
      joined.set(held);
      joined.set(chunk, held.length);
      chunk = joined;
      held = null;
    }
    const scanned = scanner.translateLoneCrs(chunk, false);
    if (scanned < chunk.length) held = chunk.slice(scanned);
    if (scanned > 0) yield chunk.subarray(0, scanned);
  }
  if (held !== null) {
    scanner.translateLoneCrs(held, true);
    yield held;
  }
}

/**
 * The first line end at or after `from` in bytes translated by crLinesToLf: an LF (a translated
 * CR, or the LF of a CRLF), or a CR left as it was (inside quotes). The same rule a byte-range
 * partition that starts there uses (SeekLineEnd), so neighbouring partitions agree on the row
 * that crosses their boundary, as they do in LF files by the first LF.
 */
export function firstLineEnd(buf: Uint8Array, from: number): number {
  const lf = buf.indexOf(LF, from);
  const cr = buf.indexOf(CR, from);
  if (cr < 0 || (lf >= 0 && lf < cr)) return lf;
  return buf[cr + 1] === LF ? cr + 1 : cr;
}
