import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { DuskTaskError } from '../core/errors.js';
import { getShared } from './shared-store.js';

/**
 * How a task names the function it runs, as plain data a worker can act on:
 *  - 'module': an export of a module (ddf.task(import.meta.url, fn)); the worker imports it;
 *  - 'source': a self-contained function shipped as its source text, with explicit globals
 *    shared once per worker under `globalsKey`.
 */
export type FunctionRef =
  | { kind: 'module'; url: string; name: string }
  | { kind: 'source'; name: string; source: string; globalsKey: string | null; globalNames: string[]; origin?: SourceOrigin | null };

/** Where a function shipped as source was written (1-based line and column), for stack traces. */
export interface SourceOrigin {
  file: string;
  line: number;
  column: number;
}

/** Marks a function made by ddf.task with where its module is. */
export const TASK_REF = Symbol.for('dusk.task');

export type TaskFunction<F extends (...args: never[]) => unknown> = F & { readonly [TASK_REF]: FunctionRef & { kind: 'module' } };

const compiled = new Map<string, (...args: unknown[]) => unknown>();

/** tsx's ESM loader API, when tsx is installed (it is whenever a script runs under tsx). */
interface TsxApi {
  register: () => unknown;
  tsImport: (url: string, parent: string) => Promise<unknown>;
}
async function tsxApi(): Promise<TsxApi | null> {
  const specifier = 'tsx/esm/api';
  try {
    return (await import(specifier)) as TsxApi;
  } catch {
    return null;
  }
}

/** Set on globalThis once this thread has registered tsx's loader hooks (by Dusk's thread bootstrap, or below). */
export const TSX_REGISTERED = Symbol.for('dusk.tsx-registered');
const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Imports a task module. On Node 20, worker threads do not get the main thread's loader hooks,
 * so in a worker thread a TypeScript module is imported once tsx's hooks are registered there:
 * then it shares the thread's modules (one apache-arrow, so its tables are Dusk's tables; tsx's
 * namespaced tsImport would load a second copy). Failing that, through tsImport, or as a last
 * resort required through tsx's require hooks.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  const flags = globalThis as { [TSX_REGISTERED]?: boolean };
  if (!isMainThread && !flags[TSX_REGISTERED] && TYPESCRIPT.test(new URL(url).pathname)) {
    const tsx = await tsxApi();
    if (tsx && typeof tsx.register === 'function') {
      tsx.register();
      flags[TSX_REGISTERED] = true;
    }
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const tsx = await tsxApi();
    if (tsx) return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>;
    return createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, unknown>;
  }
}

async function fromModule(ref: FunctionRef & { kind: 'module' }): Promise<(...args: unknown[]) => unknown> {
  const mod = await importModule(ref.url);
  const found = Object.values(mod).find((v) => typeof v === 'function' && (v as Partial<TaskFunction<() => unknown>>)[TASK_REF]?.name === ref.name);
  if (!found) {
    throw new DuskTaskError(
      `task '${ref.name}' is not exported from ${ref.url}: workers find tasks by importing their module, so export it (export const ${ref.name} = ddf.task(import.meta.url, function ${ref.name}(…) {…}))`,
      ref.name,
    );
  }
  return found as (...args: unknown[]) => unknown;
}

/**
 * Frames of shipped functions are compiled under this prefix and the file they came from, so
 * that Node never maps them through that file's source map (their lines are already the
 * file's); the prefix is taken off the stacks of errors the function throws.
 */
const SHIPPED_FROM = 'dusk-shipped:';

/** The error with the compile prefix taken off its stack: frames then read file:line:column. */
function relocate(error: unknown): unknown {
  if (error instanceof Error && typeof error.stack === 'string' && error.stack.includes(SHIPPED_FROM)) {
    Object.defineProperty(error, 'stack', { value: error.stack.replaceAll(SHIPPED_FROM, ''), writable: true, configurable: true });
  }
  return error;
}

async function fromSource(ref: FunctionRef & { kind: 'source' }): Promise<(...args: unknown[]) => unknown> {
  const globals = ref.globalsKey === null ? {} : (getShared(ref.globalsKey) as Record<string, unknown>);
  // esbuild (tsx) wraps functions in __name(fn, "name") to keep their names: give it a no-op.
  const names = [...ref.globalNames, '__name'];
  const values = [...ref.globalNames.map((n) => globals[n]), <T>(fn: T) => fn];
  if (!ref.origin) {
    const factory = new Function(...names, `"use strict"; return (${ref.source});`) as (...values: unknown[]) => (...args: unknown[]) => unknown;
    return factory(...values);
  }
  // The source starts on the body's second line, indented to its column in the user's file:
  // stack frames then give the user's file, line and column.
  const { file, line, column } = ref.origin;
  const body = `"use strict"; return (\n${' '.repeat(column - 1)}${ref.source}\n);`;
  const factory = compileFunction(body, names, { filename: SHIPPED_FROM + file, lineOffset: line - 2 }) as (...values: unknown[]) => (...args: unknown[]) => unknown;
  const fn = factory(...values);
  return function shipped(this: unknown, ...args: unknown[]): unknown {
    try {
      const out = fn.apply(this, args);
      return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(relocate(err))) : out;
    } catch (err) {
      throw relocate(err);
    }
  };
}

/**
 * What a `dusk worker` (the distributed scheduler) lets its threads load, set by the worker in
 * DUSK_TASK_POLICY before its threads start: functions shipped as source only with
 * --allow-source; module tasks only from Dusk itself and the modules (or folders) of --tasks.
 * Checked here, the one place a function is compiled or imported, before either happens.
 */
export interface TaskPolicy {
  allowSource: boolean;
  /** file: URLs of allowed modules; one ending in '/' allows every module under that folder. */
  modules: string[];
}

export const TASK_POLICY_ENV = 'DUSK_TASK_POLICY';
const DUSK_ROOT = new URL('../../', import.meta.url).href;

function refusal(ref: FunctionRef, policy: TaskPolicy): string | null {
  if (ref.kind === 'source') {
    if (policy.allowSource) return null;
    return (
      `this dusk worker refuses '${ref.name}', a function shipped as source text: it was started without --allow-source, and runs only ddf.task functions from the modules given with --tasks. ` +
      `Define the function with ddf.task(import.meta.url, function ${ref.name}(…) {…}) in a module and start the workers with --tasks that module, or start them with --allow-source`
    );
  }
  if (ref.url.startsWith(`${DUSK_ROOT}dist/`) || ref.url.startsWith(`${DUSK_ROOT}src/`)) return null;
  if (policy.modules.some((m) => (m.endsWith('/') ? ref.url.startsWith(m) : ref.url === m))) return null;
  return `this dusk worker refuses task '${ref.name}' of ${ref.url}: that module is not among those it was started with (--tasks ${policy.modules.join(' ') || '(none)'}); start the workers with --tasks ${ref.url.startsWith('file:') ? fileURLToPath(ref.url) : ref.url}`;
}

function checkPolicy(ref: FunctionRef): void {
  const raw = process.env[TASK_POLICY_ENV];
  if (!raw) return;
  const problem = refusal(ref, JSON.parse(raw) as TaskPolicy);
  if (problem !== null) throw Object.assign(new DuskTaskError(problem, ref.name), { retryable: false });
}

/** The function a reference names, compiled or imported once per worker. */
export async function resolveFunction(ref: FunctionRef): Promise<(...args: unknown[]) => unknown> {
  checkPolicy(ref);
  const id = ref.kind === 'module' ? `${ref.url}#${ref.name}` : `${ref.globalsKey}:${ref.source}`;
  let fn = compiled.get(id);
  if (!fn) {
    fn = ref.kind === 'module' ? await fromModule(ref) : await fromSource(ref);
    compiled.set(id, fn);
  }
  return fn;
}
