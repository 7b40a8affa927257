import { DuskError } from '../core/errors.js';
import { emptyMetrics, type ProgressSink } from '../io/io-metrics.js';
import type { Op, TaskContext, TaskSpec } from './op.js';

/** Task ops by name, as data (Arquero's registry): registering a name twice is refused. */
const ops = new Map<string, Op<never>>();

export function registerOp<A, R>(op: Op<A, R>): Op<A, R> {
  if (ops.has(op.name)) throw new DuskError(`task op '${op.name}' is already registered; op names must be unique`);
  ops.set(op.name, op as Op<never>);
  return op;
}

export function opNamed(name: string): Op {
  const op = ops.get(name);
  if (!op) throw new DuskError(`unknown task op '${name}' (known: ${[...ops.keys()].join(', ')})`);
  return op as Op;
}

/** A task's spec, typed by its op: the one way graphs build task specs. */
export function specOf<A>(op: Op<A, unknown>, args: A): TaskSpec {
  return { op: op.name, args };
}

export function newTaskContext(progress: ProgressSink): TaskContext {
  return { metrics: emptyMetrics(), progress };
}

export async function runTask(spec: TaskSpec, deps: unknown[], ctx: TaskContext): Promise<unknown> {
  return opNamed(spec.op).run(spec.args as never, deps, ctx);
}
