/**
 * The C math functions numpy's samplers call. numpy gets them from the platform's libm
 * (glibc on Linux); V8's versions are fdlibm ports. The two agree for most inputs but not
 * all (see docs/random.md): samplers whose output passes through pow/log/exp directly
 * (gamma with shape < 1, beta with a, b ≤ 1, the far tails of the ziggurats) can differ from
 * numpy in the last bit for some draws. Routing them through here keeps that in one place.
 */
export const log1p = Math.log1p;
export const log = Math.log;
export const exp = Math.exp;
export const pow = Math.pow;
export const sqrt = Math.sqrt;
