/**
 * The C math functions numpy's samplers call. numpy gets them from the platform's libm
 * (glibc on Linux); V8's Math.exp/log/pow/log1p are fdlibm ports that round differently for a
 * few percent of inputs. The samplers take them from here: exp, log and pow are bit-exact ports
 * of glibc's (glibc-math.ts), so values that pass through them (gamma with shape < 1, beta with
 * a, b <= 1, the ziggurat wedges, Poisson, binomial) match numpy on glibc to the bit.
 * sqrt is correctly rounded everywhere, so Math.sqrt is glibc's sqrt.
 */
export { exp, log, pow } from './glibc-math.js';
/** Not ported (see glibc-math.ts): V8's fdlibm log1p, which may differ from glibc's in the last bit for ~0.1% of inputs. */
export const log1p = Math.log1p;
export const sqrt = Math.sqrt;
