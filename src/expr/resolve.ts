import { DTYPES, type DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Schema } from '../core/schema.js';
import { unknownColumnError } from '../core/unknown-column.js';
import { AGGREGATES, type AggregateSpec, NUMERIC } from './aggregates.js';
import { formatExpr } from './format.js';
import { functions } from './functions/index.js';
import { isMismatch, type ScalarFunction, type Signature } from './functions/registry.js';
import { decodeScalar, type AggNode, type AliasNode, type CallNode, type CastNode, type ColNode, type ExprNode, type ExprType, type LitNode, type Params, type Scalar, type WhenNode } from './ir.js';
import { checkLiteral } from './literal.js';
import { columnDType, commonType, isStringLike } from './types.js';

/** An expression with the type of every node worked out: what the evaluator and kernel generator walk. */
export type TypedExpr =
  | { kind: 'col'; node: ColNode; type: DType }
  | { kind: 'lit'; node: LitNode; type: ExprType; value: Scalar }
  | { kind: 'call'; node: CallNode; type: ExprType; fn: ScalarFunction; sig: Signature; params: Params; args: TypedExpr[] }
  | { kind: 'when'; node: WhenNode; type: ExprType; branches: { when: TypedExpr; then: TypedExpr }[]; otherwise: TypedExpr }
  | { kind: 'cast'; node: CastNode; type: DType; arg: TypedExpr }
  | { kind: 'alias'; node: AliasNode; type: ExprType; arg: TypedExpr }
  | { kind: 'agg'; node: AggNode; type: ExprType; spec: AggregateSpec; params: Params; arg: TypedExpr | null };

/** The dtype of the column an expression gives over a table with this schema; throws a DuskSchemaError when it does not fit. */
export function resolveType(node: ExprNode, schema: Schema): DType {
  return columnDType(typeExpr(node, schema).type);
}

/**
 * Types every node, checking the expression against the schema (and its own shape, since IR
 * may come from elsewhere). Errors name the expression, the column, its dtype and what the
 * operation needs.
 */
export function typeExpr(root: ExprNode, schema: Schema): TypedExpr {
  const fail = (node: ExprNode, message: string) => {
    const where = node === root ? '' : ` (in ${formatExpr(root)})`;
    return new DuskSchemaError(`${formatExpr(node)}: ${message}${where}`);
  };

  const visit = (node: ExprNode, inAggregate: boolean): TypedExpr => {
    if (node === null || typeof node !== 'object') throw new DuskSchemaError(`expression node must be an object; got ${JSON.stringify(node)}`);
    switch (node.kind) {
      case 'col': {
        if (typeof node.name !== 'string') throw new DuskSchemaError(`col: name must be a string; got ${JSON.stringify(node.name)}`);
        const dtype = schema.dtypes[node.name];
        if (!schema.columns.includes(node.name) || dtype === undefined) {
          throw unknownColumnError(node.name, schema.columns, node === root ? '' : ` in ${formatExpr(root)}`);
        }
        return { kind: 'col', node, type: dtype };
      }
      case 'lit': {
        checkLiteral(node.value, node.dtype);
        return { kind: 'lit', node, type: node.dtype, value: decodeScalar(node.value, node.dtype) };
      }
      case 'call': {
        const fn = typeof node.fn === 'string' ? functions.get(node.fn) : undefined;
        if (!fn) throw new DuskSchemaError(`unknown expression function ${JSON.stringify(node.fn)}; known: ${functions.names().join(', ')}`);
        if (!Array.isArray(node.args) || node.args.length < fn.arity[0] || node.args.length > fn.arity[1]) {
          throw new DuskSchemaError(`${fn.name}: takes ${fn.arity[0]}${fn.arity[1] > fn.arity[0] ? `–${fn.arity[1]}` : ''} expression argument(s); got ${Array.isArray(node.args) ? node.args.length : 'none'}`);
        }
        const args = node.args.map((a) => visit(a, inAggregate));
        const params = checkParams(node.params, fn.name);
        const sig = fn.signature(args.map((a) => a.type), params);
        if (isMismatch(sig)) throw fail(node, `${operationName(fn)} needs ${sig.needs}; got ${args.map(describe).join(' and ')}`);
        return { kind: 'call', node, type: sig.result, fn, sig, params, args };
      }
      case 'when': {
        if (!Array.isArray(node.branches) || node.branches.length === 0) throw new DuskSchemaError('when: needs at least one when(...).then(...) branch');
        const branches = node.branches.map((b) => ({ when: visit(b.when, inAggregate), then: visit(b.then, inAggregate) }));
        const otherwise = visit(node.otherwise, inAggregate);
        for (const b of branches) {
          if (b.when.type !== 'bool' && b.when.type !== 'null') throw fail(node, `when() needs a bool condition; got ${describe(b.when)}`);
        }
        let type: ExprType = otherwise.type;
        for (const b of branches) {
          const next = commonType(type, b.then.type);
          if (!next) throw fail(node, `then() and otherwise() values need one kind (numbers, strings or bools); got ${[...branches.map((x) => x.then), otherwise].map(describe).join(', ')}`);
          type = next;
        }
        return { kind: 'when', node, type, branches, otherwise };
      }
      case 'cast': {
        if (!DTYPES.includes(node.dtype)) throw new DuskSchemaError(`cast: dtype must be one of ${DTYPES.join(', ')}; got ${JSON.stringify(node.dtype)}`);
        return { kind: 'cast', node, type: node.dtype, arg: visit(node.arg, inAggregate) };
      }
      case 'alias': {
        if (typeof node.name !== 'string') throw new DuskSchemaError(`alias: name must be a string; got ${JSON.stringify(node.name)}`);
        const arg = visit(node.arg, inAggregate);
        return { kind: 'alias', node, type: arg.type, arg };
      }
      case 'agg': {
        const spec = typeof node.fn === 'string' ? AGGREGATES.get(node.fn) : undefined;
        if (!spec) throw new DuskSchemaError(`unknown aggregation ${JSON.stringify(node.fn)}; known: ${[...AGGREGATES.keys()].join(', ')}`);
        if (inAggregate) throw fail(node, `an aggregation cannot be nested inside another aggregation`);
        if (node.arg === null && spec.arg === 'required') throw fail(node, `${spec.name}() needs a column`);
        const arg = node.arg === null ? null : visit(node.arg, true);
        const params = checkParams(node.params, spec.name);
        const result = spec.result(arg?.type ?? null, params);
        if (typeof result === 'object' && arg !== null && isStringLike(arg.type) && result.needs === NUMERIC) throw fail(node, textWhereNumbersNeeded(spec.name, arg, schema));
        if (typeof result === 'object') throw fail(node, `${spec.name}() needs ${result.needs}; got ${arg ? describe(arg) : 'no column'}`);
        return { kind: 'agg', node, type: result, spec, params, arg };
      }
      default:
        throw new DuskSchemaError(`unknown expression node kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
    }
  };
  return visit(root, false);
}

function checkParams(params: unknown, fn: string): Params {
  if (params === undefined) return {};
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new DuskSchemaError(`${fn}: params must be an object; got ${JSON.stringify(params)}`);
  return params as Params;
}

function operationName(fn: ScalarFunction): string {
  return fn.display.kind === 'method' ? `${fn.display.name ?? fn.name}()` : `'${fn.display.symbol}'`;
}

/** An argument as an error shows it: the column and its dtype, or the literal, or the sub-expression. */
/**
 * An aggregate of numbers over text: says so, and suggests a dtype only for a column whose
 * sampled values look like numbers (the source's hint); for airport codes a dtype would not help.
 */
function textWhereNumbersNeeded(aggregate: string, arg: TypedExpr, schema: Schema): string {
  const what = arg.kind === 'col' ? `column '${arg.node.name}'` : formatExpr(arg.node);
  const hint = arg.kind === 'col' ? schema.numericTextHints?.[arg.node.name] : undefined;
  return `${what} is text (${arg.type}), and ${aggregate}() needs numbers (a numeric or bool column)${hint === undefined ? '' : `; ${hint}`}`;
}

function describe(arg: TypedExpr): string {
  if (arg.kind === 'col') return `column '${arg.node.name}' (${arg.type})`;
  if (arg.kind === 'lit') return arg.type === 'null' ? 'null' : `literal ${formatExpr(arg.node)} (${arg.type})`;
  return `${formatExpr(arg.node)} (${arg.type})`;
}

/** Every node below and including this one, parents first. */
export function* walk(node: ExprNode): Generator<ExprNode> {
  yield node;
  switch (node.kind) {
    case 'call':
      for (const a of node.args) yield* walk(a);
      break;
    case 'when':
      for (const b of node.branches) {
        yield* walk(b.when);
        yield* walk(b.then);
      }
      yield* walk(node.otherwise);
      break;
    case 'cast':
    case 'alias':
      yield* walk(node.arg);
      break;
    case 'agg':
      if (node.arg) yield* walk(node.arg);
      break;
  }
}

/** The columns an expression reads, each once, in order of first use. */
export function columnsUsed(node: ExprNode): string[] {
  const names = new Set<string>();
  for (const n of walk(node)) if (n.kind === 'col') names.add(n.name);
  return [...names];
}

/**
 * The name of the column an expression gives, as polars names it: its alias, else the name of
 * its leftmost input (a column's name, 'literal' for a literal; a when() takes its first
 * then()'s name), 'len' for len().
 */
export function outputName(node: ExprNode): string {
  switch (node.kind) {
    case 'alias':
    case 'col':
      return node.name;
    case 'lit':
      return 'literal';
    case 'call':
      return node.args.length > 0 ? outputName(node.args[0]!) : 'literal';
    case 'when':
      return outputName(node.branches[0]!.then);
    case 'cast':
      return outputName(node.arg);
    case 'agg':
      return node.arg ? outputName(node.arg) : 'len';
  }
}

export function isAggregate(node: ExprNode): boolean {
  for (const n of walk(node)) if (n.kind === 'agg') return true;
  return false;
}
