import { log, pow, sqrt } from '../libm.js';
import type { RawSource } from '../raw-source.js';
import { standardExponential, standardNormal } from './ziggurat.js';

/**
 * The draws standard gamma is made of. numpy's Generator (random_standard_gamma) and its legacy
 * RandomState (legacy_standard_gamma) run the same loops and differ only here: ziggurat
 * exponentials and normals versus −log(1 − U) and the cached polar Gaussian.
 */
export interface GammaSources {
  /** A uniform double in [0, 1). */
  double(): number;
  standardExponential(): number;
  standardNormal(): number;
}

/**
 * Standard gamma from `sources`: exponential for shape 1, Johnk-style rejection (Ahrens–Dieter GS)
 * for shape < 1, Marsaglia–Tsang for shape > 1.
 */
export function standardGammaFrom(sources: GammaSources, shape: number): number {
  if (shape === 1.0) return sources.standardExponential();
  if (shape === 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const U = sources.double();
      const V = sources.standardExponential();
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
      X = sources.standardNormal();
      V = 1.0 + c * X;
    } while (V <= 0.0);
    V = V * V * V;
    const U = sources.double();
    if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return b * V;
    if (log(U) < 0.5 * X * X + b * (1 - V + log(V))) return b * V;
  }
}

/** A raw source's ziggurat draws as GammaSources, made once per source. */
const zigguratSources = new WeakMap<RawSource, GammaSources>();

/** numpy's random_standard_gamma (Generator): standardGammaFrom with the ziggurat samplers. */
export function standardGamma(src: RawSource, shape: number): number {
  let sources = zigguratSources.get(src);
  if (sources === undefined) {
    sources = { double: () => src.double(), standardExponential: () => standardExponential(src), standardNormal: () => standardNormal(src) };
    zigguratSources.set(src, sources);
  }
  return standardGammaFrom(sources, shape);
}

/** Draws per sample that are certain to be consumed (for RawSource read-ahead). */
export function gammaMinDraws(shape: number): number {
  return shape === 0 ? 0 : shape === 1 ? 1 : 2;
}
