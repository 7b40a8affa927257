/** min: the smallest non-null value per group (extreme.ts has the rules). */
import { makeExtreme } from './extreme.js';

export const min = makeExtreme('min');
