import { log, pow, sqrt } from '../libm.js';
import type { RawSource } from '../raw-source.js';
import { standardExponential, standardNormal } from './ziggurat.js';

/**
 * numpy's random_standard_gamma: exponential for shape 1, Johnk-style rejection
 * (Ahrens–Dieter GS) for shape < 1, Marsaglia–Tsang for shape > 1.
 */
export function standardGamma(src: RawSource, shape: number): number {
  if (shape === 1.0) return standardExponential(src);
  if (shape === 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const U = src.double();
      const V = standardExponential(src);
      if (U <= 1.0 - shape) {
        const X = pow(U, 1 / shape);
        if (X <= V) return X;
      } else {
        const Y = -log((1 - U) / shape);
        const X = pow(1.0 - shape + shape * Y, 1 / shape);
        if (X <= V + Y) return X;
      }
    }
  }
  const b = shape - 1 / 3;
  const c = 1 / sqrt(9 * b);
  for (;;) {
    let X: number, V: number;
    do {
      X = standardNormal(src);
      V = 1.0 + c * X;
    } while (V <= 0.0);
    V = V * V * V;
    const U = src.double();
    if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return b * V;
    if (log(U) < 0.5 * X * X + b * (1 - V + log(V))) return b * V;
  }
}

/** Draws per sample that are certain to be consumed (for RawSource read-ahead). */
export function gammaMinDraws(shape: number): number {
  return shape === 0 ? 0 : shape === 1 ? 1 : 2;
}
