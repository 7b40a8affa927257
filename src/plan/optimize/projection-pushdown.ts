import type { PlanNode } from '../nodes.js';

/**
 * Moves column selection into the scan, so the reader parses only the columns the result
 * uses (everything else is skipped at byte level). Project over a scan becomes a scan of
 * those columns; a reduction of a column needs only that column.
 */
export function projectionPushdown(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'project': {
      const input = projectionPushdown(node.input);
      if (input.kind === 'scan') return { ...input, columns: node.columns };
      return { ...node, input };
    }
    case 'reduce': {
      const input = projectionPushdown(node.input);
      if (input.kind === 'scan') return { ...node, input: { ...input, columns: [node.column] } };
      return { ...node, input };
    }
    case 'head':
    case 'collect':
      return { ...node, input: projectionPushdown(node.input) };
    default:
      return node;
  }
}
