import { formatExpr } from '../../expr/index.js';
import type { ConsumerSpec } from '../../kernels/consumer.js';
import type { AggregateSinkSpec } from '../../kernels/sinks/aggregate.js';
import type { LogicalPlan } from '../logical/index.js';
import { lowerToGraph, type PhysicalOptions } from './lower.js';

function describeConsumer(c: ConsumerSpec): string {
  const { sink: spec } = c;
  const sink =
    spec.kind === 'stats'
      ? `stats(${spec.column})`
      : spec.kind === 'aggregate'
        ? `aggregate${spec.keys.length ? ` by [${spec.keys.join(', ')}]` : ''}: ${spec.aggs.map((a) => `${a.name}=${a.aggregate}(${a.column ?? ''})`).join(', ')}${describeLanes(spec)}`
        : spec.kind;
  const p = c.pipeline;
  if (p === null) return sink;
  const filter = p.filter === null ? '' : `filter ${formatExpr(p.filter)} → `;
  const plain = p.outputs.every((o) => o.expr.kind === 'col' && o.expr.name === o.name);
  const outputs = plain ? '' : `[${p.outputs.map((o) => `${o.name}: ${formatExpr(o.expr)}`).join(', ')}] → `;
  return `${filter}${outputs}${sink}`;
}

function describeLanes(spec: AggregateSinkSpec): string {
  if (spec.lanes <= 1) return '';
  return spec.splitMinGroups > 0 ? ` (split_out: final merge in ${spec.lanes} lanes once a partial has ${spec.splitMinGroups} groups)` : ` (split_out: final merge in ${spec.lanes} lanes)`;
}

/**
 * The optimized logical plans (pushed-down columns and predicates), then the shared scans that
 * feed them (one read of each source per compute call) and the size of the task graph.
 */
export function explainPlans(roots: readonly LogicalPlan[], physical?: PhysicalOptions): string {
  return explainLowered(roots, lowerToGraph(roots, physical));
}

/** explainPlans of plans already lowered (compute() lowers once, for the run and for its events). */
export function explainLowered(roots: readonly LogicalPlan[], { graph, scans, gpuNotes }: ReturnType<typeof lowerToGraph>): string {
  const lines: string[] = [];
  const walk = (node: LogicalPlan, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${node.describe()}`);
    for (const child of node.children()) walk(child, depth + 1);
  };
  roots.forEach((root, i) => {
    if (roots.length > 1) lines.push(`[${i}]`);
    walk(root, roots.length > 1 ? 1 : 0);
  });
  scans.forEach((scan, i) => {
    lines.push(`#${i + 1} SharedScan ${scan.source.describe()}; reads: ${scan.readColumns().join(', ')}; one pass feeds: ${scan.consumers.map(describeConsumer).join('; ')}`);
  });
  for (const note of gpuNotes) lines.push(`device: ${note}`);
  const workers = [...graph.tasks.values()].filter((t) => !t.local).length;
  const gpu = [...graph.tasks.values()].filter((t) => t.spec.op.startsWith('gpu-')).length;
  lines.push(`-- task graph: ${graph.tasks.size} tasks (${workers} on workers${gpu > 0 ? `, ${gpu} on the GPU` : ''}), targets ${graph.targets.join(', ')}`);
  return lines.join('\n');
}
