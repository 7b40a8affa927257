import { formatExpr, type ExprNode } from '../../expr/index.js';
import type { PipelineSpec, SinkSpec } from '../../kernels/consumer.js';
import { gpuRefusal } from '../../gpu/pipeline-wgsl.js';

/**
 * Where pipelines run. device 'gpu' (compute({ device: 'gpu' }) or config): every pipeline
 * the GPU can run; 'auto' (the default): only pipelines holding expr.onDevice('gpu'), and
 * ddf.gpu.map/matmul values; 'cpu': none. adapter null: no GPU was found, so nothing goes there
 * (compute says so once when a GPU was asked for).
 */
export interface GpuPlacement {
  device: 'gpu' | 'auto' | 'cpu';
  adapter: string | null;
  /** float64 columns may be read as f32 (gpuFloat32). */
  float32: boolean;
}

/** Whether an expression holds onDevice(device). */
export function mentionsDevice(node: ExprNode | null, device: 'gpu' | 'cpu'): boolean {
  if (node === null) return false;
  switch (node.kind) {
    case 'call':
      return (node.fn === 'onDevice' && node.params?.device === device) || node.args.some((a) => mentionsDevice(a, device));
    case 'when':
      return node.branches.some((b) => mentionsDevice(b.when, device) || mentionsDevice(b.then, device)) || mentionsDevice(node.otherwise, device);
    case 'cast':
    case 'alias':
      return mentionsDevice(node.arg, device);
    case 'agg':
      return mentionsDevice(node.arg, device);
    default:
      return false;
  }
}

function pipelineMentions(p: PipelineSpec, device: 'gpu' | 'cpu'): boolean {
  return mentionsDevice(p.filter, device) || p.outputs.some((o) => mentionsDevice(o.expr, device));
}

function describe(p: PipelineSpec, sink: SinkSpec): string {
  const filter = p.filter === null ? '' : `filter ${formatExpr(p.filter)} → `;
  const shown = sink.kind === 'stats' ? p.outputs.filter((o) => o.name === sink.column) : p.outputs.filter((o) => !(o.expr.kind === 'col' && o.expr.name === o.name));
  const outputs = shown.length === 0 ? '' : `[${shown.map((o) => `${o.name}: ${formatExpr(o.expr)}`).join(', ')}] → `;
  return `${filter}${outputs}${sink.kind === 'stats' ? `stats(${sink.column})` : sink.kind}`;
}

/**
 * Whether this consumer's pipeline runs on the GPU; a note for explain says where it runs and,
 * when it stays on the CPU although a GPU was asked for, why.
 */
export function placeOnGpu(placement: GpuPlacement | undefined, pipeline: PipelineSpec, sink: SinkSpec, notes: string[]): boolean {
  if (!placement || placement.device === 'cpu' || pipelineMentions(pipeline, 'cpu')) return false;
  if (placement.device !== 'gpu' && !pipelineMentions(pipeline, 'gpu')) return false;
  const what = describe(pipeline, sink);
  if (placement.adapter === null) {
    if (!notes.includes(`CPU: ${what} — no GPU adapter`)) notes.push(`CPU: ${what} — no GPU adapter`);
    return false;
  }
  if (sink.kind !== 'stats' && sink.kind !== 'collect') {
    notes.push(`CPU: ${what} — ${sink.kind} sinks run on the CPU workers (the GPU runs row pipelines and reductions)`);
    return false;
  }
  const computes = pipeline.filter !== null || pipeline.outputs.some((o) => !(o.expr.kind === 'col' && o.expr.name === o.name));
  if (sink.kind === 'collect' && !computes) return false;
  const spec = sink.kind === 'stats' ? { ...pipeline, outputs: pipeline.outputs.filter((o) => o.name === sink.column) } : pipeline;
  let why: string | null;
  try {
    why = gpuRefusal(spec, sink.kind === 'stats' ? 'reduce' : 'map', placement.float32);
  } catch (err) {
    why = (err as Error).message;
  }
  const note = why === null ? `GPU (${placement.adapter}): ${what}` : `CPU: ${what} — ${why}`;
  if (!notes.includes(note)) notes.push(note);
  return why === null;
}
