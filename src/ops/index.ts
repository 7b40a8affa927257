/** Every task op, registered by importing its file: a new op is one file plus one line here. */
export { scanOp } from './scan.js';
export { headOp } from './head.js';
export { combineOp } from './combine.js';
export { finishOp } from './finish.js';
export { reduceOp } from './reduce.js';
export { consumeOp } from './consume.js';
export { callOp } from './call.js';
export { valueOp } from './value.js';
export { sortOp } from './sort.js';
export { describeOp } from './describe.js';
export { limitOp } from './limit.js';
export { pickLaneOp } from './pick-lane.js';
export { mergeLaneOp } from './merge-lane.js';
export { finishLanesOp } from './finish-lanes.js';
export { newTaskContext, opNamed, runTask, specOf } from './registry.js';
export type { Op, TaskContext, TaskSpec } from './op.js';
