/**
 * dusk/random: numpy-compatible random numbers. Same seeds, same streams, same values as
 * numpy.random (SeedSequence, PCG64, PCG64DXSM, MT19937, Philox, SFC64, Generator, and the
 * legacy RandomState behind np.random.seed / np.random.normal).
 */
export { BitGenerator, type Seed } from './bit-generator.js';
export { DuskRandomError } from './errors.js';
export { Generator, type IntArrayOf, type IntDtype, type IntScalarOf } from './generator.js';
export { MT19937, type MT19937State } from './mt19937.js';
export { PCG64 } from './pcg64.js';
export {
  RandomState, type LegacySeed, type RandintArrayOf, type RandintDtype, type RandomStateState,
} from './random-state.js';
export { PCG64DXSM } from './pcg64-dxsm.js';
export type { PcgState } from './pcg-base.js';
export { Philox, type PhiloxOptions, type PhiloxState } from './philox.js';
export { SeedSequence, type Entropy, type SeedSequenceOptions } from './seed-sequence.js';
export { SFC64, type SFC64State } from './sfc64.js';
export { taskGenerator, taskSeedSequence } from './task-streams.js';

import { Generator } from './generator.js';
import { PCG64 } from './pcg64.js';
import type { Seed } from './bit-generator.js';

/** numpy's default_rng(seed): a Generator on PCG64. */
export function defaultRng(seed?: Seed): Generator {
  return new Generator(new PCG64(seed));
}
