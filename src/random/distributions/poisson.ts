import { exp, log, sqrt } from '../libm.js';
import type { RawSource } from '../raw-source.js';
import { loggam } from './loggam.js';

/** Multiplication method for lam < 10: count uniforms until their product drops below e**-lam. */
function poissonMult(src: RawSource, lam: number): number {
  const enlam = exp(-lam);
  let X = 0;
  let prod = 1.0;
  for (;;) {
    prod *= src.double();
    if (prod > enlam) X += 1;
    else return X;
  }
}

/** Hörmann's transformed rejection (PTRS) for lam ≥ 10. */
function poissonPtrs(src: RawSource, lam: number): number {
  const slam = sqrt(lam);
  const loglam = log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = src.double() - 0.5;
    const V = src.double();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor((2 * a / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - loggam(k + 1)) return k;
  }
}

/** numpy's random_poisson. */
export function poisson(src: RawSource, lam: number): number {
  if (lam >= 10) return poissonPtrs(src, lam);
  if (lam === 0) return 0;
  return poissonMult(src, lam);
}
