import { exp, log, pow } from '../libm.js';
import type { RawSource } from '../raw-source.js';
import { standardGamma } from './gamma.js';

/** numpy's random_beta: Johnk's algorithm when a, b ≤ 1, else a ratio of gammas. */
export function beta(src: RawSource, a: number, b: number): number {
  if (a <= 1.0 && b <= 1.0) {
    for (;;) {
      const U = src.double();
      const V = src.double();
      const X = pow(U, 1.0 / a);
      const Y = pow(V, 1.0 / b);
      const XpY = X + Y;
      // Reject if both U and V are 0.0 (about 1 in 10**106).
      if (XpY <= 1.0 && U + V > 0.0) {
        if (X > 0.0 && Y > 0.0) return X / XpY;
        // A power underflowed: work with logs.
        let logX = log(U) / a;
        let logY = log(V) / b;
        const logM = logX > logY ? logX : logY;
        logX -= logM;
        logY -= logM;
        return exp(logX - log(exp(logX) + exp(logY)));
      }
    }
  }
  const Ga = standardGamma(src, a);
  const Gb = standardGamma(src, b);
  return Ga / (Ga + Gb);
}
