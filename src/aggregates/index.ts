/**
 * The aggregate registry: name → aggregate. Adding an aggregate is one file plus one line in
 * BUILT_IN (or a registerAggregate call); a name can be registered once.
 */
import { DuskError, DuskSchemaError } from '../core/errors.js';
import type { Aggregate } from './aggregate.js';
import { count } from './count.js';
import { first } from './first.js';
import { last } from './last.js';
import { len } from './len.js';
import { max } from './max.js';
import { mean } from './mean.js';
import { median } from './median.js';
import { min } from './min.js';
import { nunique } from './nunique.js';
import { quantile } from './quantile.js';
import { std } from './std.js';
import { sum } from './sum.js';
import { variance } from './var.js';

export type { Aggregate, AggregateOptions } from './aggregate.js';

const registry = new Map<string, Aggregate>();

export function registerAggregate(aggregate: Aggregate): void {
  if (registry.has(aggregate.name)) {
    throw new DuskError(`an aggregate named '${aggregate.name}' is already registered; choose another name (registered: ${[...registry.keys()].join(', ')})`);
  }
  registry.set(aggregate.name, aggregate);
}

export function getAggregate(name: string): Aggregate {
  const found = registry.get(name);
  if (found === undefined) throw new DuskSchemaError(`unknown aggregate '${name}'; known: ${[...registry.keys()].join(', ')}`);
  return found;
}

export function aggregateNames(): string[] {
  return [...registry.keys()];
}

const BUILT_IN: Aggregate[] = [count, len, sum, mean, min, max, variance, std, nunique, first, last, median, quantile];
for (const aggregate of BUILT_IN) registerAggregate(aggregate);
