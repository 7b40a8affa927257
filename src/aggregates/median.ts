/** median: the exact median per group (order-statistics.ts). */
import { makeOrderStatistic } from './order-statistics.js';

export const median = makeOrderStatistic('median');
