import { join } from 'node:path';
import * as ddf from '../../src/index.js';
import type { LogicalPlan } from '../../src/plan/logical/index.js';
import { FIXTURES } from '../helpers.js';

/** A frame over the small airline fixture (its plan starts with a Scan of 29 columns). */
export function airline(): ddf.DataFrame {
  return ddf.readCsv(join(FIXTURES, 'airline/none/*.csv'), { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });
}

/** A plan as indented node names and descriptions, for comparing shapes. */
export function shape(plan: LogicalPlan): string[] {
  const out: string[] = [];
  const walk = (node: LogicalPlan, depth: number): void => {
    out.push(`${'  '.repeat(depth)}${node.describe().replace(/^Scan csv .*?; /, 'Scan ')}`);
    node.children().forEach((c) => walk(c, depth + 1));
  };
  walk(plan, 0);
  return out;
}
