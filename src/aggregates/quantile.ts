/** quantile(q): the exact q-quantile per group, linear interpolation (order-statistics.ts). */
import { makeOrderStatistic } from './order-statistics.js';

export const quantile = makeOrderStatistic('quantile');
