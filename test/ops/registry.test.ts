import { describe, expect, it } from 'vitest';
import '../../src/ops/index.js';
import { newTaskContext, opNamed, registerOp, runTask, specOf } from '../../src/ops/registry.js';
import { registerReader } from '../../src/sources/readers.js';
import { noProgress } from '../../src/io/io-metrics.js';

describe('task op registry', () => {
  it('refuses a second op of the same name, naming it', () => {
    expect(() => registerOp({ name: 'scan', local: false, run: () => 1 })).toThrow(/task op 'scan' is already registered/);
  });

  it('runs a registered op by name, and names the known ops for an unknown one', async () => {
    const op = registerOp<{ n: number }, number>({ name: 'test-double', local: true, run: (args, deps) => args.n * 2 + (deps[0] as number) });
    expect(opNamed('test-double')).toBe(op);
    expect(await runTask(specOf(op, { n: 20 }), [2], newTaskContext(noProgress))).toBe(42);
    expect(() => opNamed('nope')).toThrow(/unknown task op 'nope' \(known: .*scan.*\)/);
  });

  it('refuses a second reader for a source kind', () => {
    expect(() => registerReader('csv', async function* () {})).toThrow(/reader for source kind 'csv' is already registered/);
  });
});
