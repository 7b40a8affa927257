import { DuskSchemaError } from './errors.js';

/** Edit distance counting a swap of two neighbouring characters as one edit (medain → median: 1), the commonest typo. */
function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the (a.length+1) x (b.length+1) table.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The column name closest to `name` (case-insensitive edit distance), if any is close. */
export function closestName(name: string, columns: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const column of columns) {
    const d = editDistance(name.toLowerCase(), column.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = column;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function unknownColumnError(name: string, columns: readonly string[], context = ''): DuskSchemaError {
  const suggestion = closestName(name, columns);
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
  return new DuskSchemaError(`Unknown column '${name}'${context}.${hint} Columns: ${columns.join(', ')}`);
}
