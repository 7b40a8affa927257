import { DuskRandomError } from './errors.js';

/** The `size` argument: undefined for one value, else a non-negative integer count. */
export function checkSize(size: unknown): number | undefined {
  if (size === undefined || size === null) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size)) {
    throw new DuskRandomError(
      `size must be a non-negative integer or undefined, got ${typeof size === 'bigint' ? `${size}n` : String(size)}`,
      'TypeError',
    );
  }
  if (size < 0) throw new DuskRandomError(`negative dimensions are not allowed (size=${size})`);
  return size;
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number') throw new DuskRandomError(`${name} must be a number, got ${typeof v}`, 'TypeError');
  return v;
}

/** numpy's CONS_NON_NEGATIVE: NaN passes, -0.0 is refused (numpy tests the sign bit). */
export function nonNegative(v: unknown, name: string): number {
  const x = num(v, name);
  if (!Number.isNaN(x) && (x < 0 || Object.is(x, -0))) throw new DuskRandomError(`${name} < 0 (got ${x})`);
  return x;
}

/** numpy's CONS_POSITIVE: NaN passes, zero and negatives are refused. */
export function positive(v: unknown, name: string): number {
  const x = num(v, name);
  if (!Number.isNaN(x) && !(x > 0)) throw new DuskRandomError(`${name} <= 0 (got ${x})`);
  return x;
}

/** numpy's CONS_BOUNDED_0_1. */
export function bounded01(v: unknown, name: string): number {
  const x = num(v, name);
  if (!(x >= 0 && x <= 1)) throw new DuskRandomError(`${name} < 0, ${name} > 1 or ${name} is NaN (got ${x})`);
  return x;
}

/** numpy's POISSON_LAM_MAX: int64 max - 10 sqrt(int64 max). */
const POISSON_LAM_MAX = 9223372036854775807 - Math.sqrt(9223372036854775807) * 10;

export function poissonLam(v: unknown): number {
  const x = num(v, 'lam');
  if (!(x >= 0)) throw new DuskRandomError(`lam < 0 or lam is NaN (got ${x})`);
  if (x > POISSON_LAM_MAX) throw new DuskRandomError(`lam value too large (got ${x})`);
  return x;
}

/** An integer argument numpy converts with int(): truncates floats, refuses NaN and infinities. */
export function toInt(v: unknown, name: string): number {
  const x = num(v, name);
  if (!Number.isFinite(x)) {
    throw new DuskRandomError(`cannot convert ${x} to integer (${name})`, Number.isNaN(x) ? 'ValueError' : 'OverflowError');
  }
  return Math.trunc(x);
}

/** gamma(shape, scale)'s checks (Generator and RandomState): both non-negative. */
export function gammaArgs(shape: unknown, scale: unknown): void {
  nonNegative(shape, 'shape');
  nonNegative(scale, 'scale');
}

/** binomial(n, p)'s checks (Generator and RandomState): n truncated to an integer ≥ 0, p in [0, 1]; the trials. */
export function binomialArgs(n: unknown, p: unknown): number {
  const trials = toInt(n, 'n');
  nonNegative(trials, 'n');
  bounded01(p, 'p');
  return trials;
}
