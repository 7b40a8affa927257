import type { ArgRef } from '../../kernels/call-task.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { LogicalPlan } from './plan.js';

/**
 * A call of a user function (delayed, submit, map). `args` holds the arguments as plain data and
 * `refs` where the results of `inputs` (and shared data, tables) go; `nonce` keeps impure calls
 * (random draws) from merging.
 */
export class Call extends LogicalPlan {
  readonly schema = { columns: [], dtypes: {} };

  constructor(
    readonly name: string,
    readonly fn: FunctionRef,
    readonly args: unknown[],
    readonly refs: ArgRef[],
    readonly inputs: readonly LogicalPlan[],
    readonly nonce: string | null,
    /** Values every worker must hold first (explicit globals, scattered data), by key. */
    readonly shared: readonly [string, SharedPayload][],
  ) {
    super();
  }

  children(): LogicalPlan[] {
    return [...this.inputs];
  }
  withChildren(children: LogicalPlan[]): LogicalPlan {
    return children.every((c, i) => c === this.inputs[i]) ? this : new Call(this.name, this.fn, this.args, this.refs, children, this.nonce, this.shared);
  }
  describe(): string {
    return `Call ${this.name}(${this.args.length} args)${this.nonce ? ' impure' : ''}`;
  }
}
