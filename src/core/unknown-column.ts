import { DuskSchemaError } from './errors.js';

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
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
