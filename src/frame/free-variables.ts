import type { Node } from 'acorn';
import { lazyModule } from '../core/lazy-module.js';

// Needed only to ship a function by its source: loaded then (lazy-module.ts).
const acorn = lazyModule<typeof import('acorn')>('acorn');
const acornWalk = lazyModule<typeof import('acorn-walk')>('acorn-walk');

type Named = Node & { name?: string; type: string };

/** Parses a function's source text (arrow, function expression, or method shorthand). */
function parseFunction(source: string): Node {
  const attempts = [`(${source})`, `({${source}})`, `(${source.replace(/^async\s+/, 'async function ')})`];
  let firstError: unknown;
  for (const text of attempts) {
    try {
      return acorn().parse(text, { ecmaVersion: 'latest', sourceType: 'script' });
    } catch (err) {
      firstError ??= err;
    }
  }
  throw firstError;
}

/** Names bound by a pattern (parameters, declarations, destructuring). */
function bindings(pattern: Node | null | undefined, into: Set<string>): void {
  if (!pattern) return;
  const p = pattern as Node & Record<string, unknown>;
  switch (p.type) {
    case 'Identifier':
      into.add(p.name as string);
      return;
    case 'ObjectPattern':
      for (const prop of p.properties as (Node & Record<string, unknown>)[]) bindings((prop.type === 'RestElement' ? prop.argument : prop.value) as Node, into);
      return;
    case 'ArrayPattern':
      for (const el of p.elements as (Node | null)[]) bindings(el, into);
      return;
    case 'RestElement':
      bindings(p.argument as Node, into);
      return;
    case 'AssignmentPattern':
      bindings(p.left as Node, into);
      return;
  }
}

/**
 * Identifiers a function's source uses but does not declare, other than the globals a fresh
 * worker has. Scoping is approximated by treating the function as one scope: a name declared
 * anywhere inside counts as declared (a missed case still fails in the worker, just later).
 */
export function freeVariables(source: string, knownGlobals: ReadonlySet<string>): string[] {
  const ast = parseFunction(source);
  const declared = new Set<string>();
  const used = new Set<string>();
  acornWalk().ancestor(ast, {
    VariableDeclarator(node) {
      bindings((node as unknown as { id: Node }).id, declared);
    },
    Function(node) {
      const fn = node as unknown as { id?: Node | null; params: Node[] };
      if (fn.id) bindings(fn.id, declared);
      fn.params.forEach((p) => bindings(p, declared));
    },
    ClassDeclaration(node) {
      bindings((node as unknown as { id: Node }).id, declared);
    },
    CatchClause(node) {
      bindings((node as unknown as { param: Node | null }).param, declared);
    },
    Identifier(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2] as (Node & Record<string, unknown>) | undefined;
      if (parent) {
        if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
        if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.key === node && !parent.computed && !(parent as { shorthand?: boolean }).shorthand) return;
        if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return;
        if (parent.type === 'MetaProperty') return;
      }
      used.add((node as Named).name!);
    },
  });
  return [...used].filter((name) => !declared.has(name) && !knownGlobals.has(name) && name !== 'arguments' && name !== 'undefined').sort();
}

/** Globals every worker has: the JS and Node built-ins visible here. */
export function workerGlobals(): Set<string> {
  const names = new Set<string>(Object.getOwnPropertyNames(globalThis));
  for (const extra of ['__name', 'console', 'process', 'Buffer', 'URL', 'TextEncoder', 'TextDecoder', 'structuredClone', 'performance', 'fetch']) names.add(extra);
  return names;
}
