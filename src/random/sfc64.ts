import { Buffered64BitGenerator, type Seed } from './bit-generator.js';
import { DuskRandomError } from './errors.js';
import { add64, r, toBig } from './uint64-pairs.js';

export interface SFC64State {
  bitGenerator: 'SFC64';
  state: { state: BigUint64Array };
  hasUint32: number;
  uinteger: number;
}

/** numpy's SFC64 (Chris Doty-Humphrey's Small Fast Chaotic generator, 256-bit state). */
export class SFC64 extends Buffered64BitGenerator {
  /** a, b, c, counter as (hi, lo) word pairs. */
  private readonly s = new Uint32Array(8);

  constructor(seed?: Seed) {
    super(seed);
    const w = this.seedSeq!.generateState(3, 'uint64');
    this.setState64([w[0]!, w[1]!, w[2]!, 1n]);
    // numpy discards the first 12 outputs to mix the seed in.
    this.fillRaw(new Uint32Array(24), 12);
  }

  private setState64(v: bigint[]): void {
    v.forEach((x, i) => {
      this.s[2 * i] = Number((x >> 32n) & 0xffffffffn);
      this.s[2 * i + 1] = Number(x & 0xffffffffn);
    });
  }

  override fillRaw(out: Uint32Array, n: number): void {
    const s = this.s;
    let ah = s[0]!, al = s[1]!, bh = s[2]!, bl = s[3]!, ch = s[4]!, cl = s[5]!, wh = s[6]!, wl = s[7]!;
    for (let i = 0; i < n; i++) {
      // tmp = a + b + w++
      add64(ah, al, bh, bl);
      add64(r.hi, r.lo, wh, wl);
      const th = r.hi, tl = r.lo;
      add64(wh, wl, 0, 1); wh = r.hi; wl = r.lo;
      // a = b ^ (b >> 11)
      ah = (bh ^ (bh >>> 11)) >>> 0;
      al = (bl ^ ((bl >>> 11) | (bh << 21))) >>> 0;
      // b = c + (c << 3)
      add64(ch, cl, ((ch << 3) | (cl >>> 29)) >>> 0, (cl << 3) >>> 0);
      bh = r.hi; bl = r.lo;
      // c = rotl(c, 24) + tmp
      const rh = ((ch << 24) | (cl >>> 8)) >>> 0, rl = ((cl << 24) | (ch >>> 8)) >>> 0;
      add64(rh, rl, th, tl);
      ch = r.hi; cl = r.lo;
      out[2 * i] = tl;
      out[2 * i + 1] = th;
    }
    s[0] = ah; s[1] = al; s[2] = bh; s[3] = bl; s[4] = ch; s[5] = cl; s[6] = wh; s[7] = wl;
  }


  get state(): SFC64State {
    const st = new BigUint64Array(4);
    for (let i = 0; i < 4; i++) st[i] = toBig(this.s[2 * i]!, this.s[2 * i + 1]!);
    return { bitGenerator: 'SFC64', state: { state: st }, hasUint32: this.hasUint32, uinteger: this.uinteger };
  }

  set state(value: SFC64State) {
    if (value === null || typeof value !== 'object') throw new DuskRandomError('state must be a dict', 'TypeError');
    if (value.bitGenerator !== 'SFC64') throw new DuskRandomError('state must be for a SFC64 PRNG');
    this.setState64(Array.from(value.state.state, (v) => BigInt.asUintN(64, BigInt(v))));
    this.hasUint32 = value.hasUint32 ? 1 : 0;
    this.uinteger = value.uinteger >>> 0;
  }
}

