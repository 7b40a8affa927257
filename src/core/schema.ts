import type { DType } from './dtypes.js';

/**
 * The columns a plan node produces, in order, with their dtypes. Every logical plan node and
 * source knows its schema when the plan is built, so a bad expression fails at once.
 */
export interface Schema {
  readonly columns: readonly string[];
  readonly dtypes: Readonly<Record<string, DType>>;
}

export function schemaOf(columns: readonly string[], dtypes: Readonly<Record<string, DType>>): Schema {
  return { columns: [...columns], dtypes: Object.fromEntries(columns.map((c) => [c, dtypes[c]!])) };
}
