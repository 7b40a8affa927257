import { tokenize } from '../../graph/tokenize.js';
import { formatOf } from '../../sources/csv/csv-source.js';
import type { ScanSink } from '../../kernels/scan-partition.js';
import type { FusedScanNode, OutputNode, PlanNode, ScanNode } from '../nodes.js';

export function sourceKey(scan: { source: ScanNode['source'] }): string {
  return tokenize(scan.source.fingerprint, formatOf(scan.source));
}

/**
 * Reduction fusion: every reduction and collect over the same source, across all the targets
 * of one compute call, becomes a sink of a single pass over that source. So
 * compute(max(x), min(x), mean(y)) reads and parses each partition once.
 * Head stays separate: it stops after n rows instead of reading everything.
 */
export function scanFusion(roots: readonly PlanNode[]): PlanNode[] {
  const fused = new Map<string, FusedScanNode>();
  const fusedFor = (scan: ScanNode): FusedScanNode => {
    const key = sourceKey(scan);
    let node = fused.get(key);
    if (!node) {
      node = { kind: 'fused-scan', source: scan.source, columns: [], sinks: [] };
      fused.set(key, node);
    }
    for (const c of scan.columns ?? scan.source.columns) if (!node.columns.includes(c)) node.columns.push(c);
    return node;
  };
  const addSink = (node: FusedScanNode, sink: ScanSink): number => node.sinks.push(sink) - 1;

  return roots.map((root): PlanNode => {
    if (root.kind === 'reduce' && root.input.kind === 'scan') {
      const node = fusedFor(root.input);
      const sink = addSink(node, { kind: 'stats', column: root.column, countOnly: root.op === 'count' });
      const out: OutputNode = { kind: 'output', input: node, sink, finish: { kind: 'reduce', op: root.op, column: root.column } };
      return out;
    }
    if (root.kind === 'collect' && root.input.kind === 'scan') {
      const node = fusedFor(root.input);
      const columns = root.input.columns ?? root.input.source.columns;
      const sink = addSink(node, { kind: 'collect', columns });
      const out: OutputNode = { kind: 'output', input: node, sink, finish: { kind: 'table', columns } };
      return out;
    }
    return root;
  });
}
