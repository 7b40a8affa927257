import { ArrayCompute, Call, type LogicalPlan, MapPartitions, Scan } from '../logical/index.js';
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
  let arrays = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node instanceof Call || node instanceof MapPartitions) return null;
    if (node instanceof Scan) sources.add(node.source);
    // gpu.map / gpu.matmul on the CPU path: their arrays' bytes, a matmul's scaled by k (its work per output).
    if (node instanceof ArrayCompute) arrays += node.work.kind === 'map' ? node.work.arrays.reduce((s, a) => s + a.byteLength, 0) : 4 * node.work.m * node.work.k * node.work.n;
    stack.push(...node.children());
  }
  let total = arrays;
  for (const source of sources) total += source.workBytes();
  return total;
}
