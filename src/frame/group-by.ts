import { DuskSchemaError } from '../core/errors.js';
import type { ListsEveryKey } from '../core/options.js';
import type { ExprLike } from '../expr/index.js';
import { toNode } from '../expr/expr.js';
import { Aggregate, type LogicalPlan } from '../plan/logical/index.js';
import { DataFrame } from './data-frame.js';
import { groupApply, type GroupApplyOptions, type GroupFunction } from './verbs/group-apply.js';

export interface GroupByOptions {
  /** Output sorted by the keys (default true, as pandas); false: first-seen order, still the same on every schedule. */
  sort?: boolean;
  /** Drop rows whose key is null (default true, as pandas); false: null is a group of its own. */
  dropna?: boolean;
  /**
   * Lanes of the final merge, as Dask's split_out: 'auto' (default) merges in parallel lanes on
   * the workers once the partitions show many groups (65,536 in one partial); a number n always
   * uses n lanes, 1 never. The result is the same either way.
   */
  splitOut?: number | 'auto';
}

/** Every GroupByOptions key (checked against the interface both ways). */
export const GROUP_BY_OPTION_KEYS = ['sort', 'dropna', 'splitOut'] as const satisfies readonly (keyof GroupByOptions)[];
true satisfies ListsEveryKey<GroupByOptions, typeof GROUP_BY_OPTION_KEYS>;

/** Rows grouped by key columns, waiting for the aggregations to compute per group. */
export class GroupBy {
  constructor(
    private readonly plan: LogicalPlan,
    readonly keys: readonly string[],
    private readonly options: GroupByOptions,
  ) {}

  /** One output row per group: the keys, then each named aggregation. */
  agg(aggs: Record<string, ExprLike>): DataFrame {
    const list = Object.entries(aggs).map(([name, expr]) => ({ name, expr: toNode(expr) }));
    if (list.length === 0) throw new DuskSchemaError('agg needs at least one aggregation, e.g. { n: ddf.len() }');
    return new DataFrame(new Aggregate(this.plan, this.keys, list, {
      sort: this.options.sort ?? true,
      dropna: this.options.dropna ?? true,
      splitOut: this.options.splitOut ?? 'auto',
    }));
  }

  /**
   * fn on each group's rows as an Arrow table with its key ({ column: value }), on the workers
   * (pandas' groupby().apply): the rows are shuffled by the keys so each group is whole in one
   * task. fn returns one row { column: value }, an Arrow table or columns; `schema` names what
   * it returns (without the keys). The result: the keys, then those columns; groups in key
   * order unless groupBy's `sort: false` (then grouped by the shuffle's partitions).
   */
  apply(fn: GroupFunction, options: GroupApplyOptions): DataFrame {
    return new DataFrame(groupApply(this.plan, this.keys, this.options, fn, options));
  }
}
