import { exp, log, sqrt } from '../libm.js';
import type { RawSource } from '../raw-source.js';

/** Inversion for small n*p: walk the pmf from 0, restarting past a 10-sigma bound. */
function binomialInversion(src: RawSource, n: number, p: number): number {
  const q = 1.0 - p;
  const qn = exp(n * log(q));
  const np = n * p;
  const bound = Math.trunc(Math.min(n, np + 10.0 * sqrt(np * q + 1)));
  let X = 0;
  let px = qn;
  let U = src.double();
  while (U > px) {
    X++;
    if (X > bound) {
      X = 0;
      px = qn;
      U = src.double();
    } else {
      U -= px;
      px = ((n - X + 1) * p * px) / (X * q);
    }
  }
  return X;
}

/** Kachitvichyanukul & Schmeiser's BTPE for n*p > 30 (numpy's random_binomial_btpe, p ≤ 0.5). */
function binomialBtpe(src: RawSource, n: number, p: number): number {
  const r = Math.min(p, 1.0 - p);
  const q = 1.0 - r;
  const fm = n * r + r;
  const m = Math.floor(fm);
  const p1 = Math.floor(2.195 * sqrt(n * r * q) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1.0 + a / 2.0);
  const p2 = p1 * (1.0 + 2.0 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;
  const nrq = n * r * q;

  for (;;) {
    // Step 10: triangular region.
    const u = src.double() * p4;
    let v = src.double();
    let y: number;
    if (u <= p1) {
      y = Math.floor(xm - p1 * v + u);
      return p > 0.5 ? n - y : y;
    }
    if (u <= p2) {
      // Step 20: parallelograms.
      const x = xl + (u - p1) / c;
      v = v * c + 1.0 - Math.abs(m - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      // Step 30: left exponential tail.
      y = Math.floor(xl + log(v) / laml);
      if (y < 0 || v === 0.0) continue;
      v = v * (u - p2) * laml;
    } else {
      // Step 40: right exponential tail.
      y = Math.floor(xr - log(v) / lamr);
      if (y > n || v === 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    // Step 50: acceptance test.
    const k = Math.abs(y - m);
    if (!(k > 20 && k < nrq / 2.0 - 1)) {
      const s = r / q;
      const aa = s * (n + 1);
      let F = 1.0;
      if (m < y) {
        for (let i = m + 1; i <= y; i++) F *= aa / i - s;
      } else if (m > y) {
        for (let i = y + 1; i <= m; i++) F /= aa / i - s;
      }
      if (v > F) continue;
      return p > 0.5 ? n - y : y;
    }
    // Step 52: squeeze using upper and lower bounds on log(f(y)).
    const rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const A = log(v);
    if (A < t - rho) return p > 0.5 ? n - y : y;
    if (A > t + rho) continue;
    const x1 = y + 1, f1 = m + 1, z = n + 1 - m, w = n - y + 1;
    const x2 = x1 * x1, f2 = f1 * f1, z2 = z * z, w2 = w * w;
    if (
      A >
      xm * log(f1 / x1) +
        (n - m + 0.5) * log(z / w) +
        (y - m) * log((w * r) / (x1 * q)) +
        (13680 - (462 - (132 - (99 - 140 / f2) / f2) / f2) / f2) / f1 / 166320 +
        (13680 - (462 - (132 - (99 - 140 / z2) / z2) / z2) / z2) / z / 166320 +
        (13680 - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x1 / 166320 +
        (13680 - (462 - (132 - (99 - 140 / w2) / w2) / w2) / w2) / w / 166320
    ) {
      continue;
    }
    return p > 0.5 ? n - y : y;
  }
}

/** numpy's random_binomial: inversion or BTPE on min(p, 1-p), mirrored for p > 0.5. */
export function binomial(src: RawSource, n: number, p: number): number {
  if (n === 0 || p === 0.0) return 0;
  return legacyBinomial(src, n, p);
}

/**
 * numpy's legacy_random_binomial (RandomState): the same without the n == 0 / p == 0 shortcut,
 * so those cases still consume a draw, as RandomState's stream does.
 */
export function legacyBinomial(src: RawSource, n: number, p: number): number {
  if (p <= 0.5) {
    return p * n <= 30.0 ? binomialInversion(src, n, p) : binomialBtpe(src, n, p);
  }
  const q = 1.0 - p;
  return q * n <= 30.0 ? n - binomialInversion(src, n, q) : n - binomialBtpe(src, n, q);
}
