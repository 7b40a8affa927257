import { randomInt } from 'node:crypto';
import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { DuskSchemaError } from '../../core/errors.js';
import { type LogicalPlan, Sample } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';

export interface SampleOptions {
  /** The share of rows to draw from each partition: round(frac × rows) of them (0 ≤ frac ≤ 1; above 1 with replace). */
  frac: number;
  /** Seed of the random streams (a non-negative whole number); default: one drawn from the OS when the frame is built. */
  seed?: number;
  /** Draw with replacement (a row may come more than once). Default false. */
  replace?: boolean;
}

const SAMPLE_OPTION_KEYS = ['frac', 'seed', 'replace'] as const satisfies readonly (keyof SampleOptions)[];
true satisfies ListsEveryKey<SampleOptions, typeof SAMPLE_OPTION_KEYS>;

/** The plan of frame.sample(options). */
export function sample(frame: DataFrame, options: SampleOptions): LogicalPlan {
  if (typeof options === 'object' && options !== null && 'n' in options) {
    throw new DuskSchemaError('sample: n (a number of rows) is not supported, as in Dask: the partitions\' lengths are not known before they are read. Use frac (a share of the rows)');
  }
  checkOptions('sample', options, SAMPLE_OPTION_KEYS, { aliases: { random_state: 'seed', randomState: 'seed', fraction: 'frac', with_replacement: 'replace' } });
  if (options === undefined || typeof options.frac !== 'number') throw new DuskSchemaError('sample needs { frac }: the share of rows to draw, e.g. sample({ frac: 0.01, seed: 1 })');
  const seed = options.seed ?? randomInt(2 ** 47);
  return new Sample(frame.plan, options.frac, seed, options.replace ?? false);
}
