import { DuskError } from '../core/errors.js';

/**
 * Non-negative least squares on the normal equations: the x ≥ 0 that minimises
 * ½ xᵀGx − cᵀx, i.e. ‖Ax − b‖² with G = AᵀA and c = Aᵀb (G row-major, k × k). Lawson and Hanson's
 * active-set method in its Gram form (Bro and De Jong's "fast NNLS"): the work is on the small
 * k × k system (k = the number of methods for superLearner), not on the n rows.
 *
 * A column whose passive system turns out singular (its values a combination of the passive
 * columns') is left at 0: it cannot lower the residual.
 */
export function nnlsGram(G: Float64Array, c: Float64Array): Float64Array {
  const k = c.length;
  if (G.length !== k * k) throw new DuskError(`nnls: G has ${G.length} entries, expected ${k} × ${k}`);
  for (let i = 0; i < G.length; i++) if (!Number.isFinite(G[i]!)) throw new DuskError(`nnls: G[${Math.floor(i / k)}][${i % k}] is ${G[i]}`);
  for (let i = 0; i < k; i++) if (!Number.isFinite(c[i]!)) throw new DuskError(`nnls: c[${i}] is ${c[i]}`);
  let scale = 0;
  for (let i = 0; i < G.length; i++) scale = Math.max(scale, Math.abs(G[i]!));
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(c[i]!));
  // Gradients below this are rounding noise (relative to the problem's size).
  const tol = 10 * Number.EPSILON * Math.max(k, 1) * Math.max(scale, Number.MIN_VALUE);
  const x = new Float64Array(k);
  const passive = new Array<boolean>(k).fill(false);
  const excluded = new Array<boolean>(k).fill(false);
  const gradient = (): Float64Array => {
    const w = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = c[i]!;
      for (let j = 0; j < k; j++) s -= G[i * k + j]! * x[j]!;
      w[i] = s;
    }
    return w;
  };
  const maxOuter = 3 * k + 10;
  for (let outer = 0; outer < maxOuter; outer++) {
    const w = gradient();
    let enter = -1;
    for (let j = 0; j < k; j++) if (!passive[j] && !excluded[j] && w[j]! > tol && (enter < 0 || w[j]! > w[enter]!)) enter = j;
    if (enter < 0) return x;
    passive[enter] = true;
    let s = solvePassive(G, c, passive, k);
    if (s === undefined) {
      // The entering column is (numerically) a combination of the passive ones.
      passive[enter] = false;
      excluded[enter] = true;
      continue;
    }
    for (let inner = 0; inner < 3 * k + 10; inner++) {
      let alpha = Infinity, leaving = -1;
      for (let i = 0; i < k; i++) {
        if (passive[i] && s[i]! <= 0) {
          const a = x[i]! / (x[i]! - s[i]!);
          if (a < alpha) (alpha = a), (leaving = i);
        }
      }
      if (leaving < 0) break; // s is feasible
      for (let i = 0; i < k; i++) if (passive[i]) x[i] = x[i]! + alpha * (s[i]! - x[i]!);
      x[leaving] = 0; // exactly, whatever the rounding of the step
      for (let i = 0; i < k; i++) {
        if (passive[i] && x[i]! <= 0) {
          passive[i] = false;
          x[i] = 0;
        }
      }
      const next = solvePassive(G, c, passive, k);
      if (next === undefined) throw new DuskError('nnls: the passive system became singular after dropping a column (report this problem)');
      s = next;
    }
    for (let i = 0; i < k; i++) x[i] = passive[i] ? Math.max(s[i]!, 0) : 0;
  }
  return x;
}

/** The unconstrained solution on the passive columns (0 elsewhere), by Cholesky; undefined when G_PP is not positive definite. */
function solvePassive(G: Float64Array, c: Float64Array, passive: readonly boolean[], k: number): Float64Array | undefined {
  const idx: number[] = [];
  for (let i = 0; i < k; i++) if (passive[i]) idx.push(i);
  const m = idx.length;
  const L = new Float64Array(m * m);
  let diagScale = 0;
  for (const i of idx) diagScale = Math.max(diagScale, G[i * k + i]!);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let s = G[idx[a]! * k + idx[b]!]!;
      for (let t = 0; t < b; t++) s -= L[a * m + t]! * L[b * m + t]!;
      if (a === b) {
        if (!(s > 1e-13 * diagScale)) return undefined;
        L[a * m + a] = Math.sqrt(s);
      } else {
        L[a * m + b] = s / L[b * m + b]!;
      }
    }
  }
  const z = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = c[idx[a]!]!;
    for (let t = 0; t < a; t++) s -= L[a * m + t]! * z[t]!;
    z[a] = s / L[a * m + a]!;
  }
  const out = new Float64Array(k);
  for (let a = m - 1; a >= 0; a--) {
    let s = z[a]!;
    for (let t = a + 1; t < m; t++) s -= L[t * m + a]! * out[idx[t]!]!;
    out[idx[a]!] = s / L[a * m + a]!;
  }
  return out;
}

/**
 * Non-negative least squares: the x ≥ 0 minimising ‖Ax − b‖², A given as columns (each of b's
 * length). Equal to scipy.optimize.nnls up to rounding (see nnlsGram for the method).
 */
export function nnls(A: readonly Float64Array[], b: Float64Array): Float64Array {
  const k = A.length, n = b.length;
  A.forEach((column, j) => {
    if (column.length !== n) throw new DuskError(`nnls: A[${j}] has ${column.length} rows, b has ${n}`);
  });
  const G = new Float64Array(k * k), c = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ai = A[i]!;
    let s = 0;
    for (let r = 0; r < n; r++) s += ai[r]! * b[r]!;
    c[i] = s;
    for (let j = 0; j <= i; j++) {
      const aj = A[j]!;
      let g = 0;
      for (let r = 0; r < n; r++) g += ai[r]! * aj[r]!;
      G[i * k + j] = g;
      G[j * k + i] = g;
    }
  }
  return nnlsGram(G, c);
}
