/**
 * The expression layer: builder (col, lit, when, len and Expr's methods), the IR (plain JSON
 * data), type resolution against a schema, simplification, and the function registry.
 *
 * Semantics (pandas where users would look, and stated here where a choice was made):
 * - Nulls propagate through arithmetic, comparisons, isIn, math and string functions; a
 *   filter keeps only rows where the predicate is true. and/or are Kleene (null & false =
 *   false, null | true = true). isNull/isNotNull/fillNull/clip bounds see nulls.
 * - NaN is a float value, not a null: NaN != NaN is true, other comparisons with NaN false.
 * - Numbers widen int32 → int64 → float64. add/sub/mul of two int32s give int64, so they
 *   cannot overflow (pandas' int64 columns give int64 too); int64 arithmetic wraps at 64 bits
 *   as numpy's does; neg/abs keep the type (-(-2^31) wraps in int32, as numpy).
 * - div and pow always give float64; x / 0 is ±Infinity or NaN.
 * - mod is floored (the divisor's sign, as pandas/Python); integer mod by zero is null
 *   (pandas gives NaN, SQL null); float mod by zero is NaN.
 * - round(decimals) rounds half to even with numpy's method; on integers round/floor/ceil keep
 *   the type. sqrt/exp/log/sin/cos give float64 (log(0) = -Infinity, sqrt(-1) = NaN).
 * - Strings and categories compare with string literals and with each other (category values
 *   are their strings); string vs number is a type error. str.len counts code points;
 *   str.slice(start, length) is Python's s[start:][:length]; str.contains is a JS regular
 *   expression unless literal is true.
 * - A JS number literal is int32 when it is an integer that fits, int64 when a larger safe
 *   integer, else float64 (lit(2, 'float64') forces float64); a bigint is int64.
 * - cast: floats truncate toward zero; what cannot be represented (NaN or out-of-range to an
 *   integer, unparseable text) becomes null; floats print as Python's str(); bools as
 *   'true'/'false'.
 * - Output names follow polars: alias, else the leftmost input's name ('literal' for a literal).
 */
export { col, lit, len, when, Expr, StringFunctions, When, WhenClause, type ExprLike, type ListValue } from './expr.js';
export type { ExprNode, ColNode, LitNode, CallNode, WhenNode, CastNode, AliasNode, AggNode, LitDType, Scalar, ExprType, JsonScalar, JsonValue, Params } from './ir.js';
export { encodeScalar, decodeScalar } from './ir.js';
export { resolveType, typeExpr, columnsUsed, outputName, isAggregate, walk, type TypedExpr } from './resolve.js';
export { formatExpr } from './format.js';
export { exprKey, canonicalJson } from './key.js';
export { simplify } from './simplify.js';
export { evaluateRow } from './evaluate.js';
export { functions, FunctionRegistry } from './functions/index.js';
export type { ScalarFunction, Signature, TypeMismatch, JsValue, EmitContext, InlineContext, ArgThunk, Utf8Ref } from './functions/index.js';
export { AGGREGATES, type AggregateSpec } from './aggregates.js';
