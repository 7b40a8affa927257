import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type LogicalPlan, Shuffle } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';

export interface ShuffleOptions {
  /** Partitions of the result (default: as many as the frame has). */
  npartitions?: number;
}

const SHUFFLE_OPTION_KEYS = ['npartitions'] as const satisfies readonly (keyof ShuffleOptions)[];
true satisfies ListsEveryKey<ShuffleOptions, typeof SHUFFLE_OPTION_KEYS>;

/** The plan of frame.shuffle(on, options). */
export function shuffle(frame: DataFrame, on: string | string[], options: ShuffleOptions): LogicalPlan {
  checkOptions('shuffle', options, SHUFFLE_OPTION_KEYS, { aliases: { partitions: 'npartitions', nparts: 'npartitions' } });
  const keys = [on].flat();
  for (const key of keys) if (!frame.columns.includes(key)) throw unknownColumnError(key, frame.columns, ' in shuffle');
  return new Shuffle(frame.plan, keys, options.npartitions ?? frame.npartitions);
}
