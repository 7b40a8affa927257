/** Reference NNLS for the tests: by enumeration of the free sets (small problems only). */

export function residual(A: readonly Float64Array[], b: Float64Array, x: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < b.length; r++) {
    let v = -b[r]!;
    A.forEach((column, j) => (v += column[r]! * x[j]!));
    s += v * v;
  }
  return Math.sqrt(s);
}

/** By enumeration: for every set of free columns, the unconstrained fit (Gaussian elimination); the best feasible one. */
export function bruteForceNnls(A: readonly Float64Array[], b: Float64Array): Float64Array {
  const k = A.length;
  let best = new Float64Array(k), bestR = residual(A, b, best);
  for (let mask = 1; mask < 1 << k; mask++) {
    const idx = [...Array(k).keys()].filter((j) => mask & (1 << j));
    const m = idx.length;
    const M = idx.map((i) => [...idx.map((j) => A[i]!.reduce((s, v, r) => s + v * A[j]![r]!, 0)), A[i]!.reduce((s, v, r) => s + v * b[r]!, 0)]);
    let singular = false;
    for (let p = 0; p < m; p++) {
      let piv = p;
      for (let r = p + 1; r < m; r++) if (Math.abs(M[r]![p]!) > Math.abs(M[piv]![p]!)) piv = r;
      [M[p], M[piv]] = [M[piv]!, M[p]!];
      if (Math.abs(M[p]![p]!) < 1e-300) { singular = true; break; }
      for (let r = 0; r < m; r++) {
        if (r === p) continue;
        const f = M[r]![p]! / M[p]![p]!;
        for (let c = p; c <= m; c++) M[r]![c]! -= f * M[p]![c]!;
      }
    }
    if (singular) continue;
    const x = new Float64Array(k);
    idx.forEach((j, a) => (x[j] = M[a]![m]! / M[a]![a]!));
    if (x.some((v) => v < 0)) continue;
    const r = residual(A, b, x);
    if (r < bestR) (best = x), (bestR = r);
  }
  return best;
}

