import { log } from '../libm.js';

const A = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4,
  8.417508417508418e-4, -1.917526917526918e-3, 6.410256410256410e-3, -2.955065359477124e-2,
  1.796443723688307e-1, -1.3924322169059e0,
];

/** numpy's random_loggam: log-gamma from SPECFUN (Zhang & Jin), used by the Poisson sampler. */
export function loggam(x: number): number {
  if (x === 1.0 || x === 2.0) return 0.0;
  const n = x < 7.0 ? Math.trunc(7 - x) : 0;
  let x0 = x + n;
  const x2 = (1.0 / x0) * (1.0 / x0);
  const lg2pi = 1.8378770664093453;
  let gl0 = A[9]!;
  for (let k = 8; k >= 0; k--) {
    gl0 *= x2;
    gl0 += A[k]!;
  }
  let gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * log(x0) - x0;
  if (x < 7.0) {
    for (let k = 1; k <= n; k++) {
      gl -= log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return gl;
}
