import { basename } from 'node:path';
import { DuskError } from '../core/errors.js';
import { type Task, TaskGraph } from '../graph/task-graph.js';
import { tokenize } from '../graph/tokenize.js';
import { type CsvPartition, formatOf } from '../sources/csv/csv-source.js';
import type { CsvScanSpec } from '../sources/csv/read-partition.js';
import type { FunctionRef } from '../kernels/function-ref.js';
import type { FusedScanNode, PlanNode } from './nodes.js';

function rangeLabel(partition: CsvPartition): string {
  if (partition.bz2Blocks) return ` blocks @${partition.bz2Blocks.start}`;
  return partition.start > 0 || partition.end !== null ? ` @${partition.start}` : '';
}

/** A function's part of a call's key, hashed once per function (its source can be long). */
const functionTokens = new WeakMap<FunctionRef, string>();
function functionToken(ref: FunctionRef): string {
  let token = functionTokens.get(ref);
  if (token === undefined) {
    token = tokenize(ref);
    functionTokens.set(ref, token);
  }
  return token;
}

/**
 * Turns optimized plans into one task graph. A fused scan becomes one task per partition
 * (read + parse + every sink's chunk step), then one combine task per sink over all of them,
 * in partition order. Keys hash the work, so equal work in several targets merges.
 */
export function lower(roots: readonly PlanNode[]): TaskGraph {
  const graph = new TaskGraph();
  const scanKeys = new Map<FusedScanNode, string[]>();

  const lowerScan = (node: FusedScanNode): string[] => {
    const cached = scanKeys.get(node);
    if (cached) return cached;
    const scan: CsvScanSpec = { source: formatOf(node.source), columns: node.columns };
    const token = tokenize('scan', node.source.fingerprint, scan, node.sinks);
    const n = node.source.partitions.length;
    const keys = node.source.partitions.map((partition, i) => {
      const task: Task = {
        key: `scan-${token}-${i}`,
        spec: { op: 'scan-partition', args: { scan, partition, sinks: node.sinks } },
        deps: [],
        local: false,
        label: `scan ${i + 1}/${n} ${basename(partition.path)}${rangeLabel(partition)}`,
      };
      graph.add(task);
      return task.key;
    });
    scanKeys.set(node, keys);
    return keys;
  };

  const lowerRoot = (root: PlanNode): string => {
    switch (root.kind) {
      case 'output': {
        const partKeys = lowerScan(root.input);
        const token = tokenize(partKeys[0] ?? root.input.source.fingerprint, root.sink);
        const sinkLabel = root.finish.kind === 'reduce' ? root.finish.column : 'rows';
        if (root.finish.kind === 'table') {
          const key = `concat-${token}`;
          graph.add({ key, spec: { op: 'concat-batches', args: { sink: root.sink } }, deps: partKeys, local: true, label: `concat ${sinkLabel}` });
          return key;
        }
        const combineKey = `combine-${token}`;
        graph.add({ key: combineKey, spec: { op: 'combine-stats', args: { sink: root.sink } }, deps: partKeys, local: true, label: `combine stats(${sinkLabel})` });
        const key = `${root.finish.op}-${tokenize(combineKey, root.finish.op)}`;
        graph.add({ key, spec: { op: 'finalize-stats', args: { reduce: root.finish.op } }, deps: [combineKey], local: true, label: `${root.finish.op}(${root.finish.column})` });
        return key;
      }
      case 'head': {
        const input = root.input;
        if (input.kind !== 'scan') throw new DuskError(`head over ${input.kind} is not supported`);
        const scan: CsvScanSpec = { source: formatOf(input.source), columns: input.columns ?? input.source.columns };
        const key = `head-${tokenize(input.source.fingerprint, scan, root.n)}`;
        graph.add({ key, spec: { op: 'head', args: { scan, partitions: input.source.partitions, n: root.n } }, deps: [], local: false, label: `head ${root.n}` });
        return key;
      }
      case 'call': {
        const deps = root.inputs.map(lowerRoot);
        for (const [key, value] of root.shared) graph.shared.set(key, value);
        const key = `${root.name}-${tokenize(functionToken(root.fn), root.args, root.refs, deps, root.nonce)}`;
        graph.add({ key, spec: { op: 'call', args: { fn: root.fn, args: root.args, refs: root.refs } }, deps, local: false, label: `${root.name}()` });
        return key;
      }
      default:
        throw new DuskError(`cannot lower a ${root.kind} plan node (the optimizer should have rewritten it)`);
    }
  };

  for (const root of roots) graph.targets.push(lowerRoot(root));
  return graph;
}
