import { DuskError } from '../core/errors.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import type { TaskSpec } from '../ops/op.js';

export interface Task {
  /** Deterministic: a hash of the op, its arguments and its inputs' keys. */
  key: string;
  spec: TaskSpec;
  deps: string[];
  /** Cheap steps (combine, finalize) run on the calling thread instead of a worker. */
  local: boolean;
  /** A short label for explain()/toDot()/progress, e.g. 'scan 3/8 2001.csv.bz2'. */
  label: string;
}

/**
 * A step run on the calling thread when a run ends without task `unless` having succeeded (a
 * task failed, or was never reached): a write removes its temporary directory. When the run
 * failed in the work of one of `parts` (a task one of them needs, or one of them), the error
 * thrown gets "`what`: partition i/n failed" in front, so it names the partition.
 */
export interface Cleanup {
  unless: string;
  spec: TaskSpec;
  what: string;
  parts: string[];
}

/**
 * A task graph: tasks by key plus the keys whose values were asked for. Graphs of several
 * targets merge by key, so shared work (the read of a file) appears, and runs, once.
 */
export class TaskGraph {
  readonly tasks = new Map<string, Task>();
  readonly targets: string[] = [];
  /** Values the executor puts on every worker once before running (globals, scattered data). */
  readonly shared = new Map<string, SharedPayload>();
  /** Scratch folders the tasks may write (spilled shuffles), removed when the compute ends. */
  readonly scratch = new Set<string>();
  /** Clean-up steps for work that did not complete. */
  readonly cleanups: Cleanup[] = [];

  add(task: Task): void {
    if (!this.tasks.has(task.key)) this.tasks.set(task.key, task);
  }

  merge(other: TaskGraph): void {
    for (const task of other.tasks.values()) this.add(task);
    for (const key of other.targets) this.targets.push(key);
    for (const [key, value] of other.shared) this.shared.set(key, value);
    for (const dir of other.scratch) this.scratch.add(dir);
    this.cleanups.push(...other.cleanups);
  }

  /** Only the tasks the targets need. */
  cull(): TaskGraph {
    const out = new TaskGraph();
    const visit = (key: string): void => {
      if (out.tasks.has(key)) return;
      const task = this.tasks.get(key);
      if (!task) throw new DuskError(`task graph: no task '${key}'`);
      out.tasks.set(key, task);
      task.deps.forEach(visit);
    };
    this.targets.forEach(visit);
    out.targets.push(...this.targets);
    for (const [key, value] of this.shared) out.shared.set(key, value);
    for (const dir of this.scratch) out.scratch.add(dir);
    out.cleanups.push(...this.cleanups.filter((c) => out.tasks.has(c.unless)));
    return out;
  }

  /** Tasks in dependency order (Kahn's algorithm, stable in insertion order). */
  topologicalOrder(): Task[] {
    const indegree = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    for (const task of this.tasks.values()) {
      indegree.set(task.key, task.deps.length);
      for (const dep of task.deps) {
        if (!dependents.has(dep)) dependents.set(dep, []);
        dependents.get(dep)!.push(task.key);
      }
    }
    const ready = [...this.tasks.values()].filter((t) => t.deps.length === 0).map((t) => t.key);
    const order: Task[] = [];
    while (ready.length > 0) {
      const key = ready.shift()!;
      order.push(this.tasks.get(key)!);
      for (const next of dependents.get(key) ?? []) {
        const left = indegree.get(next)! - 1;
        indegree.set(next, left);
        if (left === 0) ready.push(next);
      }
    }
    if (order.length !== this.tasks.size) throw new DuskError('task graph has a cycle');
    return order;
  }

  /** One line per task, in dependency order. */
  explain(): string {
    return this.topologicalOrder()
      .map((t) => `${this.targets.includes(t.key) ? '*' : ' '} ${t.key}  ${t.label}${t.deps.length ? `  ← ${summarizeDeps(t.deps)}` : ''}`)
      .join('\n');
  }

  /** Graphviz text of the graph. */
  toDot(): string {
    const lines = ['digraph dusk {', '  rankdir=BT;'];
    for (const t of this.tasks.values()) {
      lines.push(`  "${t.key}" [label="${t.label.replace(/"/g, "'")}"${this.targets.includes(t.key) ? ', shape=box' : ''}];`);
      for (const d of t.deps) lines.push(`  "${d}" -> "${t.key}";`);
    }
    lines.push('}');
    return lines.join('\n');
  }
}

function summarizeDeps(deps: string[]): string {
  return deps.length <= 3 ? deps.join(', ') : `${deps.slice(0, 2).join(', ')} … ${deps.length} tasks`;
}
