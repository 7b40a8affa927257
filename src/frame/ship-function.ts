import { DuskTaskError } from '../core/errors.js';
import { tokenize } from '../graph/tokenize.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FunctionRef, type SourceOrigin, TASK_REF, type TaskFunction } from '../kernels/function-ref.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { unsendable } from '../scheduler/sendable.js';
import { freeVariables, workerGlobals } from './free-variables.js';

let knownGlobals: Set<string> | null = null;

export interface ShippedFunction {
  ref: FunctionRef;
  /** [key, value] pairs workers must hold before the function runs (its explicit globals). */
  shared: [string, SharedPayload][];
}

/**
 * Turns a function into something a worker can run: a ddf.task function by its module, any
 * other function by its source text. A function that uses variables of the calling script
 * fails here, before anything is sent, naming them and saying how to pass them.
 */
export function shipFunction(fn: unknown, globals: Record<string, unknown> = NO_GLOBALS, what = 'delayed()'): ShippedFunction {
  // Parsing the source costs tens of µs: a map over 10,000 items ships the function once.
  if (typeof fn === 'function') {
    const cached = shipped.get(fn)?.get(globals);
    if (cached) return cached;
  }
  const result = shipUncached(fn, globals, what);
  const byGlobals = shipped.get(fn as object) ?? new WeakMap<object, ShippedFunction>();
  byGlobals.set(globals, result);
  shipped.set(fn as object, byGlobals);
  return result;
}

const NO_GLOBALS: Record<string, unknown> = Object.freeze({});
const shipped = new WeakMap<object, WeakMap<object, ShippedFunction>>();

function shipUncached(fn: unknown, globals: Record<string, unknown>, what: string): ShippedFunction {
  if (typeof fn !== 'function') {
    throw new DuskTaskError(`${what} needs a function, got ${fn === null ? 'null' : typeof fn}; to share data with tasks, pass it as an argument, wrap it once with ddf.shared(data), or use client.scatter(data)`, '');
  }
  const taskRef = (fn as Partial<TaskFunction<() => unknown>>)[TASK_REF];
  if (taskRef) {
    if (Object.keys(globals).length > 0) {
      throw new DuskTaskError(`${what}: globals apply to functions shipped as source; '${taskRef.name}' is a ddf.task, which workers import with its module: pass the values as arguments`, taskRef.name);
    }
    return { ref: taskRef, shared: [] };
  }
  const name = fn.name || 'lambda';
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    throw new DuskTaskError(`${what}: '${name}' is a built-in or bound function, which cannot be shipped to workers as source; wrap it: (x) => ${name}(x)`, name);
  }
  knownGlobals ??= workerGlobals();
  let free: string[];
  try {
    free = freeVariables(source, knownGlobals).filter((v) => !(v in globals));
  } catch (err) {
    throw new DuskTaskError(`${what}: cannot read the source of '${name}' to ship it to workers (${(err as Error).message}); define it with ddf.task(import.meta.url, function ${name}(…) {…}) in a module`, name);
  }
  if (free.length > 0) {
    const list = free.map((v) => `'${v}'`).join(', ');
    throw new DuskTaskError(
      `${what}: function '${name}' uses ${list} from the calling script, which workers do not have. ` +
        `Pass ${free.length > 1 ? 'them' : 'it'} as ${free.length > 1 ? 'arguments' : 'an argument'}, or as globals: ddf.delayed(fn, { globals: { ${free.join(', ')} } }), ` +
        `or export the function from a module with ddf.task(import.meta.url, function ${name}(…) {…}).`,
      name,
    );
  }
  const globalNames = Object.keys(globals).sort();
  const origin = originOf(source, fn.name);
  if (globalNames.length === 0) return { ref: { kind: 'source', name, source, globalsKey: null, globalNames, origin }, shared: [] };
  const values = Object.fromEntries(globalNames.map((n) => [n, globals[n]]));
  const problem = unsendable(values, 'globals', { role: 'input', tables: false, cycles: 'refuse' });
  if (problem !== null) throw new DuskTaskError(`${what}: function '${name}': ${problem}`, name);
  const globalsKey = `globals-${tokenize(values)}`;
  return { ref: { kind: 'source', name, source, globalsKey, globalNames, origin }, shared: [[globalsKey, { kind: 'value', value: values }]] };
}

/** Dusk's own compiled and source files (dist/, src/; a stack may be source-mapped from one to the other): frames there are not the user's. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_FILES = [`${PACKAGE_ROOT}dist/`, `${PACKAGE_ROOT}src/`];
const FRAME = /(?:\(|at )((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?$/;

/** Whether a file (a path or a file: URL) is one of Dusk's own. */
function isOwnFile(file: string): boolean {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  return OWN_FILES.some((own) => path.startsWith(own));
}

/**
 * The first frame of the user's code on the current stack (the delayed()/map()/submit() call),
 * as V8 has it: positions in the code as run, not mapped to a source. Cheap (no stack text),
 * so it keys the cache of origins.
 */
function rawUserFrame(): string | null {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 50;
    const sites = new Error().stack as unknown as NodeJS.CallSite[];
    for (const site of sites) {
      const file = site.getFileName();
      if (!file || file.startsWith('node:') || isOwnFile(file)) continue;
      return `${file}:${site.getLineNumber()}:${site.getColumnNumber()}`;
    }
    return null;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** The same frame as the stack text gives it: mapped to the user's source when source maps are on (tsx, test runners). */
function userCallSite(): SourceOrigin | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const frame of stack.split('\n').slice(1)) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith('node:') || isOwnFile(file) || (!file.startsWith('/') && !/^[A-Za-z]:\\/.test(file))) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

const fileTexts = new Map<string, string | null>();
function fileText(file: string): string | null {
  if (!fileTexts.has(file)) {
    if (fileTexts.size > 100) fileTexts.clear();
    try {
      fileTexts.set(file, readFileSync(file, 'utf8'));
    } catch {
      fileTexts.set(file, null);
    }
  }
  return fileTexts.get(file)!;
}

/** Offsets in `text` where `name` is defined as a function (function name(, name = (…) =>, name(…) {). */
function definitionsOf(text: string, name: string): number[] {
  const n = name.replace(/[$]/g, '\\$');
  const pattern = new RegExp(`function\\s*\\*?\\s*${n}\\s*[(<]|\\b${n}\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\(|[A-Za-z_$][\\w$]*\\s*=>)|^[ \\t]*(?:async\\s+)?${n}\\s*\\(`, 'gm');
  return [...text.matchAll(pattern)].map((m) => m.index);
}

/** Where a function's source text starts in its file: 1-based line and column. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

const origins = new Map<string, SourceOrigin | null>();

/**
 * Where the user wrote a function shipped as source, so that a failing task's stack names the
 * user's file and line instead of eval'd code. The file is the first non-Dusk frame of the
 * shipping call; in it, the function's exact text (plain JavaScript), else the definition of
 * its name nearest that call (TypeScript, whose text the loader rewrote), else the call itself.
 * Kept per call site and source text: a lambda made anew in a loop is located once.
 */
function originOf(source: string, name: string): SourceOrigin | null {
  const key = `${rawUserFrame()}\0${source}`;
  if (origins.has(key)) return origins.get(key)!;
  const site = userCallSite();
  let origin = site;
  const text = site && fileText(site.file);
  if (site && text) {
    let offsets: number[] = [];
    for (let at = text.indexOf(source); at >= 0; at = text.indexOf(source, at + 1)) offsets.push(at);
    if (offsets.length === 0 && name) offsets = definitionsOf(text, name);
    const nearest = offsets.map((offset) => ({ ...positionAt(text, offset), file: site.file })).sort((a, b) => Math.abs(a.line - site.line) - Math.abs(b.line - site.line))[0];
    if (nearest) origin = nearest;
  }
  if (origins.size > 1000) origins.clear();
  origins.set(key, origin);
  return origin;
}
