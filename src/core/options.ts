/**
 * Options objects from JavaScript callers: TypeScript refuses a misspelt key at compile time,
 * plain JavaScript would silently ignore it. Every public call that takes an options object
 * checks its keys here against a list kept next to the options type.
 */
import { DuskSchemaError } from './errors.js';
import { closestName } from './unknown-column.js';

/**
 * `true` when `Keys` lists every key of `T`, else a type naming the missing ones. Keeps a key
 * list from drifting from its interface:
 *   const KEYS = ['a', 'b'] as const satisfies readonly (keyof Options)[];  // no unknown key
 *   true satisfies ListsEveryKey<Options, typeof KEYS>;                     // no missing key
 */
export type ListsEveryKey<T, Keys extends readonly PropertyKey[]> = [Exclude<keyof T, Keys[number]>] extends [never] ? true : { missingKeys: Exclude<keyof T, Keys[number]> };

export interface CheckOptionsExtra {
  /** Other libraries' spellings (pandas, Dask) whose valid name is not close by edit distance. */
  aliases?: Readonly<Record<string, string>>;
  /** Builds the error (default: a DuskSchemaError). */
  error?: (message: string) => Error;
}

/** The valid name closest to a misspelt key: an alias, else the nearest by edit distance (snake_case and case slips included). */
export function suggestOption(key: string, allowed: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const alias = Object.hasOwn(aliases, key) ? aliases[key] : Object.hasOwn(aliases, key.toLowerCase()) ? aliases[key.toLowerCase()] : undefined;
  return alias ?? closestName(key.replaceAll('_', ''), allowed);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

/**
 * Refuses an options object with a key outside `allowed`, naming the call (`where`, e.g.
 * 'config.set'), the key and the closest valid name. `given` may be undefined (no options);
 * anything but an object is refused too.
 */
export function checkOptions(where: string, given: unknown, allowed: readonly string[], extra: CheckOptionsExtra = {}): void {
  const fail = (message: string): never => {
    throw (extra.error ?? ((m: string) => new DuskSchemaError(m)))(message);
  };
  if (given === undefined) return;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    fail(`${where}: options must be an object with keys among ${allowed.join(', ')}; got ${describeValue(given)}`);
  }
  for (const key of Object.keys(given as object)) {
    if (allowed.includes(key)) continue;
    const suggestion = suggestOption(key, allowed, extra.aliases);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    fail(`${where}: unknown option '${key}'.${hint} Options: ${allowed.join(', ')}`);
  }
}
