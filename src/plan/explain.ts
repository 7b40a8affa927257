import type { CsvSource } from '../sources/csv/csv-source.js';
import type { ScanSink } from '../kernels/scan-partition.js';
import type { PlanNode } from './nodes.js';

function describeSource(source: CsvSource): string {
  const codecs = [...new Set(source.partitions.map((p) => p.compression))].join('+');
  const files = source.files.length === 1 ? source.files[0] : `${source.files.length} files (${source.files[0]} …)`;
  return `csv ${files}, ${source.partitions.length} partitions, ${codecs}`;
}

function describeSink(sink: ScanSink): string {
  return sink.kind === 'stats' ? `${sink.countOnly ? 'count' : 'stats'}(${sink.column})` : `collect(${sink.columns.join(', ')})`;
}

/** Indented text of plan trees; a node shared by several roots is printed once, then referenced. */
export function explainPlan(roots: readonly PlanNode[]): string {
  const ids = new Map<PlanNode, number>();
  const lines: string[] = [];
  const walk = (node: PlanNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const seen = ids.get(node);
    if (seen !== undefined) {
      lines.push(`${pad}└─ (shared #${seen})`);
      return;
    }
    switch (node.kind) {
      case 'scan':
        lines.push(`${pad}Scan ${describeSource(node.source)}; columns: ${node.columns === null ? 'all' : node.columns.join(', ')}`);
        return;
      case 'project':
        lines.push(`${pad}Project [${node.columns.join(', ')}]`);
        return walk(node.input, depth + 1);
      case 'reduce':
        lines.push(`${pad}Reduce ${node.op}(${node.column})`);
        return walk(node.input, depth + 1);
      case 'head':
        lines.push(`${pad}Head ${node.n}`);
        return walk(node.input, depth + 1);
      case 'collect':
        lines.push(`${pad}Collect`);
        return walk(node.input, depth + 1);
      case 'output':
        lines.push(`${pad}Output ${node.finish.kind === 'reduce' ? `${node.finish.op}(${node.finish.column})` : `table(${node.finish.columns.join(', ')})`} ← sink ${node.sink}`);
        return walk(node.input, depth + 1);
      case 'call':
        lines.push(`${pad}Call ${node.name}(${node.args.length} args)${node.nonce ? ' impure' : ''}`);
        return node.inputs.forEach((input) => walk(input, depth + 1));
      case 'fused-scan': {
        const id = ids.size + 1;
        ids.set(node, id);
        lines.push(`${pad}#${id} FusedScan ${describeSource(node.source)}; columns: ${node.columns.join(', ')}; one pass feeds: ${node.sinks.map(describeSink).join(', ')}`);
      }
    }
  };
  roots.forEach((root, i) => {
    if (roots.length > 1) lines.push(`[${i}]`);
    walk(root, roots.length > 1 ? 1 : 0);
  });
  return lines.join('\n');
}
