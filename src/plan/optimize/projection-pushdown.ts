import { columnsUsed } from '../../expr/index.js';
import { Aggregate, Describe, Filter, Limit, type LogicalPlan, Scan, Select, Sort, WithColumns } from '../logical/index.js';
import type { OptimizerRule } from './rule.js';

/** Columns of `schemaColumns` that are in `required` (null = all), in schema order. */
function keep(schemaColumns: readonly string[], required: ReadonlySet<string> | null): string[] {
  return required === null ? [...schemaColumns] : schemaColumns.filter((c) => required.has(c));
}

function sameList(a: readonly string[] | null, b: readonly string[]): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Reads only the columns a result uses: walks down from each root with the set of columns the
 * parent needs, drops derived columns nobody uses, and narrows the scan. A column used only by a
 * filter is read for the filter and dropped after it (the physical pipeline outputs only what
 * the parent needs).
 */
function prune(node: LogicalPlan, required: ReadonlySet<string> | null): LogicalPlan {
  if (node instanceof Scan) {
    if (!node.source.pushdown.projection) return node;
    const columns = keep(node.source.schema.columns, required);
    return sameList(node.columns, columns) ? node : node.withColumns(columns);
  }
  if (node instanceof Filter) {
    const below = required === null ? null : new Set([...required, ...columnsUsed(node.predicate)]);
    return node.withChildren([prune(node.input, below)]);
  }
  if (node instanceof Select) {
    const exprs = required === null ? node.exprs : node.exprs.filter((e) => required.has(e.name));
    const below = new Set(exprs.flatMap((e) => columnsUsed(e.expr)));
    const input = prune(node.input, below);
    return exprs.length === node.exprs.length ? node.withChildren([input]) : new Select(input, exprs);
  }
  if (node instanceof WithColumns) {
    const exprs = required === null ? node.exprs : node.exprs.filter((e) => required.has(e.name));
    const names = new Set(exprs.map((e) => e.name));
    const below = required === null ? null : new Set([...[...required].filter((c) => !names.has(c)), ...exprs.flatMap((e) => columnsUsed(e.expr))]);
    const input = prune(node.input, below);
    if (exprs.length === 0) return input;
    return exprs.length === node.exprs.length ? node.withChildren([input]) : new WithColumns(input, exprs);
  }
  if (node instanceof Aggregate) {
    const below = new Set([...node.keys, ...node.aggs.flatMap((a) => columnsUsed(a.expr))]);
    return node.withChildren([prune(node.input, below)]);
  }
  if (node instanceof Limit) return node.withChildren([prune(node.input, required)]);
  if (node instanceof Sort) {
    const below = required === null ? null : new Set([...required, ...node.by.map((k) => k.column)]);
    return node.withChildren([prune(node.input, below)]);
  }
  if (node instanceof Describe) return node.withChildren([prune(node.input, new Set(node.columns))]);
  // Anything else may drop outputs nobody uses (a join), and says what it needs of its inputs
  // (a join: its keys and the columns kept; a call: all).
  const narrowed = required === null ? node : node.withOutputsRequired(required);
  const children = narrowed.children();
  const needs = narrowed.childColumnsRequired(required);
  const pruned = children.map((c, i) => prune(c, needs[i] ?? null));
  return pruned.every((c, i) => c === children[i]) ? narrowed : narrowed.withChildren(pruned);
}

export const projectionPushdown: OptimizerRule = {
  name: 'projection-pushdown',
  rewrite: (plan) => prune(plan, null),
};
