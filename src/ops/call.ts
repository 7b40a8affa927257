import { type CallArgs, runCall } from '../kernels/call-task.js';
import { registerOp } from './registry.js';

/** A delayed call, future or map item: a user function on arguments and dependencies' results. */
export const callOp = registerOp<CallArgs, unknown>({
  name: 'call',
  local: false,
  run: (args, deps) => runCall(args, deps),
});
