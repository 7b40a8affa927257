import { isArrowTable } from '../core/to-arrow.js';
import { isPlainObject } from '../core/plain-object.js';

/**
 * What may cross to a worker and back (task arguments, shared data, globals, results), checked
 * on every scheduler before anything is sent, so sync, threads and processes accept and refuse
 * the same values. A worker receives a structured clone: plain data and the built-ins below
 * arrive intact; a class instance would arrive as a plain object without its methods, so it is
 * refused here with the path of the value and what to pass instead.
 */

/** One step of a value's path: an array index, an object key, or a Map/Set entry (already worded). */
export type PathStep = string | number | { entry: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** args[1].model, result["a b"][0], value<Map value 2> */
export function formatPath(root: string, steps: readonly PathStep[]): string {
  let out = root;
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (typeof step === 'string') out += IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
    else out += `<${step.entry}>`;
  }
  return out;
}

const ERROR_PROTOTYPES = new Set<unknown>([Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].map((c) => c.prototype));
const BOXED_PROTOTYPES = new Set<unknown>([Number, String, Boolean, BigInt].map((c) => c.prototype));

/**
 * Built-ins the structured clone carries intact (Map and Set contents are checked too). Only
 * the built-ins themselves: an instance of a subclass (class Vec extends Float64Array, a Node
 * Buffer) arrives as the plain built-in, without the subclass's methods.
 */
const CLONEABLE_PROTOTYPES = new Set<unknown>(
  [
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
    DataView, ArrayBuffer, SharedArrayBuffer, Date, RegExp,
  ].map((c) => c.prototype),
);
function isCloneableBuiltin(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return CLONEABLE_PROTOTYPES.has(proto) || ERROR_PROTOTYPES.has(proto) || BOXED_PROTOTYPES.has(proto);
}

/** An array made by [] or Array(…), not an instance of a subclass of Array (whose methods a worker would not get). */
export function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** Built-ins a class may extend, for the wording of what a worker would get instead. */
const EXTENDABLE = [Array, Map, Set, Date, RegExp, Error, ArrayBuffer, SharedArrayBuffer, DataView, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];

/** Names of the methods `value` inherits from its own prototypes (not from Object or a built-in), at most five. */
function inheritedMethods(value: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(value) as object | null; proto && proto !== Object.prototype && !EXTENDABLE.some((c) => c.prototype === proto); proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
      if (name !== 'constructor' && (typeof descriptor.value === 'function' || descriptor.get)) names.add(name);
    }
  }
  return [...names].slice(0, 5);
}

export interface SendableOptions {
  /** Whose value it is, for the advice: a task's input (arguments, shared data, globals) or its result. */
  role: 'input' | 'result';
  /** Arrow tables are carried (as IPC bytes) where Dusk replaces them: in arrays and plain objects, not inside Maps or Sets. */
  tables: boolean;
  /** Results may be cyclic (the clone keeps cycles); arguments may not (Dusk copies them to replace lazy values). */
  cycles: 'allow' | 'refuse';
  /** Extra wording for values Dusk handles itself at the top (lazy values, shared data). */
  describe?: (value: object) => string | null;
}

const RETURN_PLAIN = 'return plain data (arrays, plain objects, numbers, strings, typed arrays, Maps, Sets, Dates or Arrow tables)';

/** Why a class instance cannot be sent, as words after its path. */
export function describeClassInstance(value: object, role: 'input' | 'result'): string {
  const proto = Object.getPrototypeOf(value) as object | null;
  const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name || 'an anonymous class';
  if (typeof Buffer === 'function' && Buffer.isBuffer(value)) {
    return role === 'input'
      ? "is a Buffer: a worker would receive a plain Uint8Array without Buffer's methods (toString('utf8'), readInt32LE…). " +
          'Pass a Uint8Array (new Uint8Array(buf.buffer, buf.byteOffset, buf.length)) and make a Buffer of it inside the task if you need one (Buffer.from(array.buffer, array.byteOffset, array.length))'
      : `is a Buffer: the caller would receive a plain Uint8Array without Buffer's methods; return a Uint8Array (new Uint8Array(buf.buffer, buf.byteOffset, buf.length)) or a string`;
  }
  const methods = inheritedMethods(value);
  const lost = methods.length > 0 ? ` (${methods.join(', ')})` : '';
  const base = EXTENDABLE.find((c) => value instanceof c);
  if (base && base.prototype !== proto) {
    return role === 'input'
      ? `is an instance of class ${name}, a subclass of ${base.name}: a worker would receive a plain ${base.name} without ${name}'s methods${lost}. ` +
          `Pass the ${base.name} itself (or plain data) and rebuild the ${name} inside the task, or create it inside a task function (ddf.task in a module)`
      : `is an instance of class ${name}, a subclass of ${base.name}: the caller would receive a plain ${base.name} without ${name}'s methods${lost}; ${RETURN_PLAIN}`;
  }
  if (proto !== null && !Object.prototype.hasOwnProperty.call(proto, 'constructor')) {
    // Object.create(proto) or Object.setPrototypeOf: no class, an object inheriting from another.
    return role === 'input'
      ? `is an object whose prototype is another object (made with Object.create or Object.setPrototypeOf): a worker would receive its own fields only, without what it inherits${lost}. ` +
          'Pass a plain object with every field the task needs, and define the functions inside the task (or in a task module: ddf.task)'
      : `is an object whose prototype is another object (Object.create): the caller would receive its own fields only, without what it inherits${lost}; ${RETURN_PLAIN}`;
  }
  switch (name) {
    case 'Future':
      return role === 'input' ? 'is a Future: await it first (or pass it to client.submit / client.map, which wait for futures)' : `is a Future; ${RETURN_PLAIN}`;
    case 'Promise':
      return role === 'input' ? 'is a Promise: await it first and pass its value' : 'is a Promise nested in the result: await it inside the task and return its value';
    case 'DataFrame':
    case 'Series':
      return `is a ${name}, which is not a value: pass a lazy result of it (df.toArrow(), s.sum()) or a computed value`;
    case 'Shared':
      return 'is shared data (ddf.shared / client.scatter), which tasks receive only as an argument or inside arrays and plain objects of arguments';
    case 'WeakMap':
    case 'WeakSet':
    case 'WeakRef':
      return `is a ${name}, which cannot be copied to a worker: pass a Map, a Set or plain data`;
    default:
      return role === 'input'
        ? `is an instance of class ${name}: a worker would receive a plain copy of its fields without its methods. ` +
            'Pass plain data (an object of its fields) and rebuild the instance inside the task, or create it inside a task function (ddf.task in a module)'
        : `is an instance of class ${name}: the caller would receive a plain copy of its fields without its methods; ${RETURN_PLAIN}`;
  }
}

/**
 * The first value inside `value` that cannot be sent, as "<path> <why>", or null when all of it
 * can. `root` names the value (args[0], result, globals.rate).
 */
export function unsendable(value: unknown, root: string, options: SendableOptions): string | null {
  // The containers on the current path: ancestors[k] is the value at path.slice(0, k).
  const ancestors: object[] = [];
  const seen = new Set<object>();
  const path: PathStep[] = [];
  let found: string | null = null;

  const visit = (v: unknown, insideCollection: boolean): boolean => {
    switch (typeof v) {
      case 'function':
        found =
          `${formatPath(root, path)} is a function (${v.name || 'anonymous'}), which cannot be copied to another thread or process: ` +
          (options.role === 'input' ? 'pass data, and call the function inside the task (define it there, or import it in a task module)' : RETURN_PLAIN);
        return false;
      case 'symbol':
        found = `${formatPath(root, path)} is a symbol (${String(v)}), which cannot be copied to another thread or process: ${options.role === 'input' ? 'pass' : 'return'} a string`;
        return false;
      case 'object':
        break;
      default:
        return true;
    }
    if (v === null) return true;
    if (options.cycles === 'allow') {
      if (seen.has(v)) return true;
      seen.add(v);
    } else {
      const at = ancestors.indexOf(v);
      if (at >= 0) {
        found = `${formatPath(root, path)} refers back to ${formatPath(root, path.slice(0, at))} (a cycle): Dusk copies and hashes task inputs, so they must be trees of values; pass the data without the back reference`;
        return false;
      }
    }
    if (options.describe && !insideCollection) {
      const special = options.describe(v);
      if (special !== null) {
        found = `${formatPath(root, path)} ${special}`;
        return false;
      }
    }
    const descend = (step: PathStep, child: unknown, collection: boolean): boolean => {
      path.push(step);
      const ok = visit(child, collection);
      path.pop();
      return ok;
    };
    ancestors.push(v);
    try {
      if (isPlainArray(v)) {
        for (let i = 0; i < v.length; i++) if (!descend(i, v[i], insideCollection)) return false;
        return true;
      }
      if (isPlainObject(v)) {
        for (const key of Object.keys(v)) if (!descend(key, v[key], insideCollection)) return false;
        return true;
      }
      if (v instanceof Map && Object.getPrototypeOf(v) === Map.prototype) {
        let i = 0;
        for (const [key, item] of v) {
          if (!descend({ entry: `Map key ${i}` }, key, true) || !descend({ entry: `Map value ${i}` }, item, true)) return false;
          i++;
        }
        return true;
      }
      if (v instanceof Set && Object.getPrototypeOf(v) === Set.prototype) {
        let i = 0;
        for (const item of v) if (!descend({ entry: `Set item ${i++}` }, item, true)) return false;
        return true;
      }
      if (isCloneableBuiltin(v)) return true;
      if (isArrowTable(v)) {
        if (options.tables && !insideCollection) return true;
        found = insideCollection
          ? `${formatPath(root, path)} is an Arrow table inside a Map or Set, where it would lose its methods: put it in an array or a plain object`
          : `${formatPath(root, path)} is an Arrow table, which Dusk sends only as a task argument, shared data or a result: pass it as an argument, or share it with ddf.shared(table)`;
        return false;
      }
      found = `${formatPath(root, path)} ${describeClassInstance(v, options.role)}`;
      return false;
    } finally {
      ancestors.pop();
    }
  };

  visit(value, false);
  return found;
}
