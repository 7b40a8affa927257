import { Generator } from './generator.js';
import { PCG64 } from './pcg64.js';
import { SeedSequence, type Entropy } from './seed-sequence.js';

/**
 * The Generator for task `i` of a graph seeded with `seed`: numpy's
 * Generator(PCG64(SeedSequence(seed).spawn(n)[i])) for any n > i, built directly from the
 * spawn key (i,) so no earlier children are made. It depends only on (seed, i), so results
 * do not depend on which worker runs the task or in what order.
 */
export function taskGenerator(seed: Entropy, i: number): Generator {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`task index must be a non-negative integer, got ${i}`);
  return new Generator(new PCG64(new SeedSequence(seed, { spawnKey: [i] })));
}

/** The SeedSequence of task i (for other bit generators): SeedSequence(seed).spawn(n)[i]. */
export function taskSeedSequence(seed: Entropy, i: number): SeedSequence {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`task index must be a non-negative integer, got ${i}`);
  return new SeedSequence(seed, { spawnKey: [i] });
}
