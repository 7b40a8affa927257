import type { BitGenerator } from './bit-generator.js';

const CAPACITY = 8192;

/**
 * A read-ahead buffer of raw 64-bit draws so that bulk sampling pays one generator call per
 * block instead of one per draw. It must never fetch a draw that numpy would not have
 * consumed, or the generator's state would run ahead: callers set `budget` to a lower
 * bound on the draws they will still take, and a refill fetches at most that many.
 * At the end of every Generator method the buffer is empty again.
 */
export class RawSource {
  /** Buffered draws as (lo, hi) pairs; bulk samplers read buf[pos..len) directly for speed. */
  readonly buf = new Uint32Array(2 * CAPACITY);
  pos = 0;
  len = 0;
  /** Low and high 32 bits of the last draw taken by u64(). */
  lo = 0;
  hi = 0;
  /** Lower bound on draws still to be consumed by the running method (≥ 1 while drawing). */
  budget = 1;
  private readonly hi53: boolean;

  constructor(readonly bitGen: BitGenerator) {
    this.hi53 = bitGen.doubleFromHigh53;
  }

  /** Fetch min(budget, capacity) draws; only call when the buffer is empty. */
  refill(): void {
    const n = this.budget < 1 ? 1 : this.budget > CAPACITY ? CAPACITY : this.budget;
    this.bitGen.fillRaw(this.buf, n);
    this.pos = 0;
    this.len = 2 * n;
  }

  /** numpy's next_uint64: sets `lo` and `hi`. */
  u64(): void {
    if (this.pos === this.len) this.refill();
    this.lo = this.buf[this.pos]!;
    this.hi = this.buf[this.pos + 1]!;
    this.pos += 2;
    if (this.budget > 1) this.budget--;
  }

  /** numpy's next_double for this bit generator. */
  double(): number {
    if (this.pos === this.len) this.refill();
    const lo = this.buf[this.pos]!, hi = this.buf[this.pos + 1]!;
    this.pos += 2;
    if (this.budget > 1) this.budget--;
    return this.hi53
      ? (hi * 2097152 + (lo >>> 11)) * 1.1102230246251565e-16
      : ((hi >>> 5) * 67108864 + (lo >>> 6)) * 1.1102230246251565e-16;
  }

  /** True when no read-ahead draw is pending (the state is exactly numpy's). */
  get drained(): boolean {
    return this.pos === this.len;
  }
}
