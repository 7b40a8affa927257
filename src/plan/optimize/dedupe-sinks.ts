import type { ScanSink } from '../../kernels/scan-partition.js';
import type { FusedScanNode, PlanNode } from '../nodes.js';

function sinkIdentity(sink: ScanSink): string {
  return sink.kind === 'stats' ? `stats:${sink.column}` : `collect:${sink.columns.join('\u0000')}`;
}

/**
 * Common-subplan elimination inside a fused scan: min, max and mean of one column share one
 * statistics accumulator (count-only when every user only counts), and equal collects share
 * one copy of the rows.
 */
export function dedupeSinks(roots: readonly PlanNode[]): PlanNode[] {
  const rewritten = new Map<FusedScanNode, { node: FusedScanNode; remap: number[] }>();
  const rewrite = (scan: FusedScanNode) => {
    let entry = rewritten.get(scan);
    if (entry) return entry;
    const sinks: ScanSink[] = [];
    const index = new Map<string, number>();
    const remap = scan.sinks.map((sink) => {
      const id = sinkIdentity(sink);
      const found = index.get(id);
      if (found === undefined) {
        index.set(id, sinks.length);
        return sinks.push({ ...sink }) - 1;
      }
      const kept = sinks[found]!;
      if (kept.kind === 'stats' && sink.kind === 'stats') kept.countOnly = kept.countOnly && sink.countOnly;
      return found;
    });
    entry = { node: { ...scan, sinks }, remap };
    rewritten.set(scan, entry);
    return entry;
  };
  return roots.map((root) => {
    if (root.kind !== 'output') return root;
    const { node, remap } = rewrite(root.input);
    return { ...root, input: node, sink: remap[root.sink]! };
  });
}
