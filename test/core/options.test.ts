import { describe, expect, it } from 'vitest';
import { DuskSchemaError } from '../../src/core/errors.js';
import { checkOptions, type ListsEveryKey } from '../../src/core/options.js';
import { errorOf } from '../helpers.js';

interface Options {
  encoding?: string;
  naValues?: string[];
}
const KEYS = ['encoding', 'naValues'] as const satisfies readonly (keyof Options)[];

describe('checkOptions', () => {
  it('passes known keys and no options; refuses an unknown key with the call, the key, the closest name and the list', () => {
    expect(() => checkOptions('load', { encoding: 'utf8', naValues: [] }, KEYS)).not.toThrow();
    expect(() => checkOptions('load', undefined, KEYS)).not.toThrow();
    const e = errorOf(() => checkOptions('load', { encoding: 'utf8', encodng: 'latin1' }, KEYS));
    expect(e).toBeInstanceOf(DuskSchemaError);
    expect(e.message).toBe("load: unknown option 'encodng'. Did you mean 'encoding'? Options: encoding, naValues");
    // A key whose value is undefined is still a misspelling; snake_case and aliases find their names.
    expect(() => checkOptions('load', { encodng: undefined }, KEYS)).toThrow(/unknown option 'encodng'/);
    expect(() => checkOptions('load', { na_values: [] }, KEYS)).toThrow(/Did you mean 'naValues'\?/);
    expect(() => checkOptions('load', { na: [] }, KEYS, { aliases: { na: 'naValues' } })).toThrow(/Did you mean 'naValues'\?/);
    expect(() => checkOptions('load', { colour: 1 }, KEYS)).toThrow(/^load: unknown option 'colour'\. Options: encoding, naValues$/);
  });

  it('refuses what is not an object, and builds the error the caller asks for', () => {
    expect(() => checkOptions('load', 'latin1', KEYS)).toThrow(/^load: options must be an object with keys among encoding, naValues; got the string "latin1"$/);
    expect(() => checkOptions('load', ['encoding'], KEYS)).toThrow(/got an array$/);
    expect(() => checkOptions('load', null, KEYS)).toThrow(/got null$/);
    class Refusal extends Error {}
    expect(() => checkOptions('load', { x: 1 }, KEYS, { error: (m) => new Refusal(m) })).toThrow(Refusal);
  });

  it('a key list that misses a key of its interface, or names one it lacks, does not compile (npm run typecheck)', () => {
    true satisfies ListsEveryKey<Options, typeof KEYS>;
    const missing = ['encoding'] as const;
    // @ts-expect-error naValues is not listed
    true satisfies ListsEveryKey<Options, typeof missing>;
    // @ts-expect-error 'delimiter' is not a key of Options
    const extra = ['encoding', 'naValues', 'delimiter'] as const satisfies readonly (keyof Options)[];
    expect([missing, extra]).toHaveLength(2);
  });
});
