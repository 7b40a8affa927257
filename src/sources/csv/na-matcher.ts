import type { Encoding } from '../../core/dtypes.js';

/** Recognizes a field that is one of the NA markers (naValues), straight from bytes. */
export class NaMatcher {
  private readonly markers: Uint8Array[];
  /** For a first byte, whether some marker starts with it: most fields skip the marker lookup. */
  private readonly firstBytes = new Uint8Array(256);
  private readonly emptyIsNa: boolean;

  constructor(naValues: readonly string[], encoding: Encoding) {
    const encoder = new TextEncoder();
    this.markers = naValues.map((v) => (encoding === 'latin1' ? Uint8Array.from(v, (ch) => ch.charCodeAt(0) & 255) : encoder.encode(v)));
    for (const m of this.markers) if (m.length > 0) this.firstBytes[m[0]!] = 1;
    this.emptyIsNa = naValues.includes('');
  }

  matches(buf: Uint8Array, start: number, end: number): boolean {
    if (start === end) return this.emptyIsNa;
    if (this.firstBytes[buf[start]!] === 0) return false;
    const len = end - start;
    outer: for (const m of this.markers) {
      if (m.length !== len) continue;
      for (let i = 0; i < len; i++) if (buf[start + i] !== m[i]) continue outer;
      return true;
    }
    return false;
  }
}
