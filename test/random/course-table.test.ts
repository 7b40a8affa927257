import { describe, expect, it } from 'vitest';
import { Generator, MT19937, PCG64, SeedSequence, taskGenerator, taskSeedSequence } from '../../src/random/index.js';
import { hexAll, loadFixture } from './fixtures.js';

interface Tasks {
  tasks: { seed: string; task: number; normals: string[]; uniforms: string[] }[];
  course: Record<'random3' | 'jumped1' | 'jumped2' | 'mtJumped1', string[]>;
}

const fx = loadFixture<Tasks>('tasks');
const round8 = (a: ArrayLike<number>): number[] => Array.from(a, (v) => Number(v.toPrecision(8)));

describe("the course unit's printed table", () => {
  it('Generator(PCG64(1)).random(3)', () => {
    const v = new Generator(new PCG64(1)).random(3);
    expect(round8(v)).toEqual([0.51182162, 0.9504637, 0.14415961]);
    expect(hexAll(v)).toEqual(fx.course.random3);
  });

  it('PCG64(1).jumped(1) normal(0, 1, 3)', () => {
    const v = new Generator(new PCG64(1).jumped(1)).normal(0, 1, 3);
    expect(round8(v)).toEqual([1.2336239, 0.42793616, -1.9044764]);
    expect(v[0]!.toFixed(8)).toBe('1.23362391');
    expect(v[2]!.toFixed(8)).toBe('-1.90447637');
    expect(hexAll(v)).toEqual(fx.course.jumped1);
  });

  it('jumped(2) equals jumped(1).jumped(1)', () => {
    const a = new Generator(new PCG64(1).jumped(2)).normal(0, 1, 3);
    const b = new Generator(new PCG64(1).jumped(1).jumped(1)).normal(0, 1, 3);
    expect(Array.from(a, (x) => x.toFixed(8))).toEqual(['-0.31752967', '1.22269493', '0.28254622']);
    expect(hexAll(a)).toEqual(hexAll(b));
    expect(hexAll(a)).toEqual(fx.course.jumped2);
  });

  it('MT19937(1).jumped(1) normal(0, 1, 3)', () => {
    const v = new Generator(new MT19937(1).jumped(1)).normal(0, 1, 3);
    expect(Array.from(v, (x) => x.toFixed(8))).toEqual(['0.12667829', '-2.10318780', '-1.53950735']);
    expect(hexAll(v)).toEqual(fx.course.mtJumped1);
  });
});

describe('per-task streams', () => {
  it.each(fx.tasks.map((t) => [`seed ${t.seed} task ${t.task}`, t] as const))(
    'taskGenerator(%s) equals numpy Generator(PCG64(SeedSequence(seed).spawn(n)[i]))',
    (_, t) => {
      const g = taskGenerator(BigInt(t.seed), t.task);
      expect(hexAll(g.normal(0, 1, 5))).toEqual(t.normals);
      expect(hexAll(g.random(5))).toEqual(t.uniforms);
    },
  );

  it('does not depend on how many siblings were spawned or in which order tasks run', () => {
    const viaSpawn = new SeedSequence(123).spawn(10).map((s) => new Generator(new PCG64(s)).random(2));
    const direct = [9, 3, 0, 7].map((i) => [i, taskGenerator(123, i).random(2)] as const);
    for (const [i, v] of direct) expect(hexAll(v)).toEqual(hexAll(viaSpawn[i]!));
    expect(Array.from(taskSeedSequence(123, 4).generateState(4))).toEqual(
      Array.from(new SeedSequence(123).spawn(5)[4]!.generateState(4)),
    );
  });
});
