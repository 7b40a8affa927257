/** first: the first non-null value per group in row order (positional.ts). */
import { makePositional } from './positional.js';

export const first = makePositional('first');
