/** The expression layer: builder, IR, type resolution, simplification, registry. */
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
