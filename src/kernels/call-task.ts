import { type FunctionRef, resolveFunction } from './function-ref.js';
import { getShared } from './shared-store.js';
import { isPlainObject } from '../core/plain-object.js';

/** Marks where a task argument is the value of another task or a scattered value. */
export const REF_MARK = '__dusk_ref__';
export type ArgRef = { [REF_MARK]: 'dep'; index: number } | { [REF_MARK]: 'shared'; key: string };

export interface CallArgs {
  fn: FunctionRef;
  /** Arguments with ArgRefs where dependencies' results and shared values go. */
  args: unknown[];
}


/** Replaces ArgRefs inside arrays and plain objects (never inside typed arrays or class instances). */
async function fill(value: unknown, deps: unknown[]): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => fill(v, deps)));
  if (!isPlainObject(value)) return value;
  const mark = value[REF_MARK];
  if (mark === 'dep') return deps[value.index as number];
  if (mark === 'shared') return getShared(value.key as string);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await fill(v, deps);
  return out;
}

/** Runs a delayed call or a future: resolves the function, fills in the arguments, awaits the result. */
export async function runCall(call: CallArgs, deps: unknown[]): Promise<unknown> {
  const fn = await resolveFunction(call.fn);
  const args = (await fill(call.args, deps)) as unknown[];
  return await fn(...args);
}
