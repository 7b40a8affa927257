/** last: the last non-null value per group in row order (positional.ts). */
import { makePositional } from './positional.js';

export const last = makePositional('last');
