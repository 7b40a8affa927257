import type { ListsEveryKey } from '../core/options.js';
import type { DelayedOptions } from './delayed.js';

/**
 * Every DelayedOptions key (checked against the interface both ways), for refusing misspelt
 * options of delayed() and client.map(). Apart from delayed.ts so that client.ts can use it
 * without a cycle.
 */
export const DELAYED_OPTION_KEYS = ['pure', 'globals', 'name'] as const satisfies readonly (keyof DelayedOptions)[];
true satisfies ListsEveryKey<DelayedOptions, typeof DELAYED_OPTION_KEYS>;
