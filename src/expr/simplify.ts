import { schemaOf, type Schema } from '../core/schema.js';
import { evaluateRow } from './evaluate.js';
import { encodeScalar, type CallNode, type ExprNode, type LitDType, type LitNode, type WhenNode } from './ir.js';
import { exprKey } from './key.js';
import { literalOf } from './literal.js';
import { typeExpr } from './resolve.js';

/**
 * Simplifies an expression without changing its value on any row or its type:
 * - constant folding: a sub-expression of literals only becomes one literal (evaluated once);
 * - boolean rules valid under Kleene logic: x & true → x, x & false → false, x | false → x,
 *   x | true → true, x & x → x, ~~x → x;
 * - given the schema (to keep the result's type): a when() branch whose condition is the
 *   literal true ends the chain, one whose condition is false or null is dropped.
 * Expressions that do not type-check are returned unchanged (their error comes at resolve).
 */
export function simplify(node: ExprNode, schema?: Schema): ExprNode {
  const visit = (n: ExprNode): ExprNode => {
    switch (n.kind) {
      case 'col':
      case 'lit':
        return n;
      case 'call':
        return simplifyCall({ ...n, args: n.args.map(visit) }, schema);
      case 'when': {
        const when: WhenNode = { ...n, branches: n.branches.map((b) => ({ when: visit(b.when), then: visit(b.then) })), otherwise: visit(n.otherwise) };
        return schema ? pruneWhen(when, schema) : fold(when);
      }
      case 'cast':
        return fold({ ...n, arg: visit(n.arg) });
      case 'alias':
        return { ...n, arg: visit(n.arg) };
      case 'agg':
        return n.arg === null ? n : { ...n, arg: visit(n.arg) };
    }
  };
  return visit(node);
}

const EMPTY = schemaOf([], {});

/** The literal an expression of literals only evaluates to, or the node when it has inputs or does not type-check. */
function fold(node: ExprNode): ExprNode {
  if (!isConstant(node)) return node;
  try {
    const typed = typeExpr(node, EMPTY);
    if (typed.type === 'category') return node; // a literal has no category type
    const dtype = typed.type as LitDType;
    const lit: LitNode = { kind: 'lit', dtype, value: encodeScalar(evaluateRow(typed, () => null), dtype) };
    return lit;
  } catch {
    return node;
  }
}

function isConstant(node: ExprNode): boolean {
  switch (node.kind) {
    case 'lit':
      return false; // already folded
    case 'call':
      return node.args.every((a) => a.kind === 'lit');
    case 'when':
      return node.branches.every((b) => b.when.kind === 'lit' && b.then.kind === 'lit') && node.otherwise.kind === 'lit';
    case 'cast':
      return node.arg.kind === 'lit';
    default:
      return false;
  }
}

const isBool = (node: ExprNode, value: boolean) => node.kind === 'lit' && node.dtype === 'bool' && node.value === value;

function simplifyCall(node: CallNode, schema: Schema | undefined): ExprNode {
  const folded = fold(node);
  if (folded !== node) return folded;
  const [a, b] = node.args;
  // Each rule drops an operand or the and/or/not around one, so it applies only where that
  // cannot hide a type error: the operands must be known to be bools.
  const bool = (x: ExprNode) => knownBool(x, schema);
  if ((node.fn === 'and' || node.fn === 'or') && a && b && bool(a) && bool(b)) {
    const identity = node.fn === 'and'; // x & true = x, x | false = x
    if (isBool(b, identity)) return a;
    if (isBool(a, identity)) return b;
    if (isBool(a, !identity) || isBool(b, !identity)) return literalOf(!identity); // x & false = false even for null x
    if (exprKey(a) === exprKey(b)) return a;
  }
  if (node.fn === 'not' && a?.kind === 'call' && a.fn === 'not' && a.args[0] && bool(a.args[0])) return a.args[0];
  return node;
}

/** Functions whose result is bool whenever they type-check. */
const BOOL_RESULT = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'isNull', 'isNotNull', 'isIn', 'str.contains', 'str.startsWith', 'str.endsWith']);

/** Whether the expression is bool-typed (an untyped null is not: alone it would change type). */
function knownBool(node: ExprNode, schema: Schema | undefined): boolean {
  if (node.kind === 'lit') return node.dtype === 'bool';
  if (node.kind === 'call' && BOOL_RESULT.has(node.fn)) return true;
  if (node.kind === 'cast') return node.dtype === 'bool';
  if (!schema) return false;
  try {
    return typeExpr(node, schema).type === 'bool';
  } catch {
    return false;
  }
}

function pruneWhen(node: WhenNode, schema: Schema): ExprNode {
  const branches: WhenNode['branches'] = [];
  let otherwise = node.otherwise;
  for (const branch of node.branches) {
    if (branch.when.kind === 'lit' && branch.when.value !== true) continue; // false or null: never taken
    if (isBool(branch.when, true)) {
      otherwise = branch.then;
      break;
    }
    branches.push(branch);
  }
  if (branches.length === node.branches.length && otherwise === node.otherwise) return fold(node);
  const pruned: ExprNode = branches.length === 0 ? otherwise : fold({ ...node, branches, otherwise });
  try {
    // Dropping branches may narrow the type (int32 where another branch made it float64): cast back.
    const before = typeExpr(node, schema).type;
    const after = typeExpr(pruned, schema).type;
    return before === after || before === 'null' ? pruned : fold({ kind: 'cast', arg: pruned, dtype: before });
  } catch {
    return node;
  }
}
