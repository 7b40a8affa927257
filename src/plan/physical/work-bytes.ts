import { Call, type LogicalPlan, MapPartitions, Scan } from '../logical/index.js';
import type { Source } from '../../sources/source.js';

/**
 * What the plans read, as Source.workBytes (each source once), or null when they call user
 * functions (delayed, mapPartitions): a function may block, sleep or wait on other work, and its cost does
 * not follow from its input. Decides whether a compute runs inline (inlineBelowBytes).
 */
export function planWorkBytes(roots: readonly LogicalPlan[]): number | null {
  const sources = new Set<Source>();
  const seen = new Set<LogicalPlan>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node instanceof Call || node instanceof MapPartitions) return null;
    if (node instanceof Scan) sources.add(node.source);
    stack.push(...node.children());
  }
  let total = 0;
  for (const source of sources) total += source.workBytes();
  return total;
}
