import { add, div, mod, mul, neg, pow, sub } from './arithmetic.js';
import { and, not, or } from './boolean.js';
import { clip } from './clip.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { isIn } from './is-in.js';
import { abs, cos, exp, log, sin, sqrt } from './math.js';
import { fillNull, isNotNull, isNull } from './nulls.js';
import { onDevice } from './on-device.js';
import { FunctionRegistry } from './registry.js';
import { ceil, floor, round } from './rounding.js';
import { strLen, strLower, strUpper } from './string-case.js';
import { strContains, strEndsWith, strStartsWith } from './string-match.js';
import { strSlice } from './string-slice.js';

/** Every built-in scalar function, registered in one place. */
export const functions = new FunctionRegistry();

for (const fn of [
  add, sub, mul, div, mod, pow, neg,
  eq, ne, lt, le, gt, ge,
  and, or, not,
  isNull, isNotNull, fillNull, isIn,
  abs, sqrt, exp, log, sin, cos,
  round, floor, ceil, clip,
  strLen, strLower, strUpper, strContains, strStartsWith, strEndsWith, strSlice,
  onDevice,
]) {
  functions.register(fn);
}

export { FunctionRegistry } from './registry.js';
export type { ScalarFunction, Signature, TypeMismatch, JsValue, EmitContext, InlineContext, ArgThunk, Utf8Ref } from './registry.js';
