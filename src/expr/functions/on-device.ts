import { paramError } from './params.js';
import type { ScalarFunction } from './registry.js';

/**
 * x.onDevice('gpu' | 'cpu'): the value unchanged, with a placement hint for the physical
 * planner (a pipeline holding onDevice('gpu') runs its kernel on the GPU when an adapter is
 * found; onDevice('cpu') keeps it on the CPU under compute({ device: 'gpu' })).
 */
export const onDevice: ScalarFunction = {
  name: 'onDevice',
  display: { kind: 'method', paramOrder: ['device'] },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args, params) => {
    if (params.device !== 'gpu' && params.device !== 'cpu') throw paramError('onDevice', `device must be 'gpu' or 'cpu'; got ${JSON.stringify(params.device)}`);
    const t = args[0]!;
    return { operands: [t], result: t };
  },
  evaluate: ([a]) => a!,
  inline: ([a]) => a!,
};
