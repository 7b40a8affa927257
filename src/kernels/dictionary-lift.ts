import { columnsUsed, evaluateRow, exprKey, type JsValue, type Scalar, type TypedExpr } from '../expr/index.js';
import type { KernelWriter } from './kernel-writer.js';

/**
 * A sub-expression whose only input is one category column has one value per dictionary
 * entry: it is evaluated once per entry (and once for a null input) with the reference
 * evaluator, and the row loop looks the value up by the row's dictionary index. So
 * `col('Origin').isIn([...])` or `.str.lower()` on a category costs an array read per row.
 */

/** The values for each dictionary entry, then the value for a null input at index dictionary.length. */
export interface DictionaryTable {
  values: Scalar[];
  /** 1 where the value is null. */
  nulls: Uint8Array;
}

/** The category column a sub-expression depends on alone, when it is worth a table. */
export function liftableColumn(t: TypedExpr): string | null {
  if (t.kind !== 'call' && t.kind !== 'cast' && t.kind !== 'when') return null;
  if (t.type === 'null') return null;
  const used = columnsUsed(t.node);
  if (used.length !== 1) return null;
  let isCategory = false;
  const visit = (n: TypedExpr): void => {
    if (n.kind === 'col') isCategory = n.type === 'category';
    else if (n.kind === 'call') n.args.forEach(visit);
    else if (n.kind === 'cast' || n.kind === 'alias') visit(n.arg);
    else if (n.kind === 'when') {
      n.branches.forEach((b) => (visit(b.when), visit(b.then)));
      visit(n.otherwise);
    }
  };
  visit(t);
  return isCategory ? used[0]! : null;
}

export function compileLifted(w: KernelWriter, t: TypedExpr, column: string, zero: Scalar): JsValue {
  const j = w.column(column, 'category');
  const key = `lift:${exprKey(t.node)}`;
  let table = w.batchValues.get(key);
  if (!table) {
    table = `L${w.batchValues.size}`;
    w.batchValues.set(key, table);
    w.batchSetup.push(`const ${table} = ${w.constant(tableBuilder(t, zero))}(c${j}k);`);
  }
  const slot = w.temp('int32');
  const v = w.temp(t.type);
  const n = w.temp('bool');
  w.emit(`${slot} = (c${j}m !== null && (c${j}m[i >> 3] & (1 << (i & 7))) === 0) ? c${j}k.length : c${j}i[i];`);
  w.emit(`${v} = ${table}.values[${slot}]; ${n} = ${table}.nulls[${slot}] === 1;`);
  return { v, n };
}

/** Builds (and caches per dictionary array) the table of one sub-expression. */
function tableBuilder(t: TypedExpr, zero: Scalar): (dictionary: string[]) => DictionaryTable {
  const cache = new WeakMap<string[], DictionaryTable>();
  return (dictionary) => {
    let table = cache.get(dictionary);
    if (!table) {
      const values: Scalar[] = [];
      const nulls = new Uint8Array(dictionary.length + 1);
      for (let k = 0; k <= dictionary.length; k++) {
        const input = k < dictionary.length ? dictionary[k]! : null;
        const value = evaluateRow(t, () => input);
        nulls[k] = value === null ? 1 : 0;
        values.push(value === null ? zero : value);
      }
      table = { values, nulls };
      cache.set(dictionary, table);
    }
    return table;
  };
}
