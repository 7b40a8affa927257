import type { DType } from './dtypes.js';

/**
 * The columns a plan node produces, in order, with their dtypes. Every logical plan node and
 * source knows its schema when the plan is built, so a bad expression fails at once.
 */
export interface Schema {
  readonly columns: readonly string[];
  readonly dtypes: Readonly<Record<string, DType>>;
  /**
   * Text columns whose values, as far as the source sampled them, look like numbers, each with
   * how to read it as numbers ("pass dtype: { x: 'int64' } to readCsv"). Only error messages
   * use it: an aggregate that needs numbers suggests a dtype only for these columns.
   */
  readonly numericTextHints?: Readonly<Record<string, string>>;
}

export function schemaOf(columns: readonly string[], dtypes: Readonly<Record<string, DType>>, numericTextHints?: Readonly<Record<string, string>>): Schema {
  const schema = { columns: [...columns], dtypes: Object.fromEntries(columns.map((c) => [c, dtypes[c]!])) };
  const hints = numericTextHints === undefined ? [] : columns.filter((c) => Object.hasOwn(numericTextHints, c)).map((c) => [c, numericTextHints[c]!]);
  return hints.length === 0 ? schema : { ...schema, numericTextHints: Object.fromEntries(hints) };
}
