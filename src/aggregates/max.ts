/** max: the largest non-null value per group (extreme.ts has the rules). */
import { makeExtreme } from './extreme.js';

export const max = makeExtreme('max');
