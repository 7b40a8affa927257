import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { DuskSchemaError } from '../../core/errors.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { DropDuplicates, type LogicalPlan } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';

export interface DropDuplicatesOptions {
  /** Which row of each set of duplicates stays: 'first' (default) or 'last' in input order. */
  keep?: 'first' | 'last';
}

const DROP_DUPLICATES_OPTION_KEYS = ['keep'] as const satisfies readonly (keyof DropDuplicatesOptions)[];
true satisfies ListsEveryKey<DropDuplicatesOptions, typeof DROP_DUPLICATES_OPTION_KEYS>;

/** The plan of frame.dropDuplicates(subset, options). */
export function dropDuplicates(frame: DataFrame, subset: string | string[] | undefined, options: DropDuplicatesOptions): LogicalPlan {
  checkOptions('dropDuplicates', options, DROP_DUPLICATES_OPTION_KEYS);
  const keep = options.keep ?? 'first';
  if (keep !== 'first' && keep !== 'last') {
    const hint = (keep as unknown) === false ? " (pandas' keep=False, dropping every duplicated row, is not supported)" : '';
    throw new DuskSchemaError(`dropDuplicates: keep must be 'first' or 'last'; got ${JSON.stringify(keep)}${hint}`);
  }
  const columns = subset === undefined ? frame.columns : [subset].flat();
  for (const c of columns) if (!frame.columns.includes(c)) throw unknownColumnError(c, frame.columns, ' in dropDuplicates');
  return new DropDuplicates(frame.plan, columns, keep);
}
