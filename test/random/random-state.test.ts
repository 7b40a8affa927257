import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MT19937, RandomState, type LegacySeed } from '../../src/random/index.js';
import { hex, hexAll, refuses } from './fixtures.js';

/** Written by test/random/make-random-state-vectors.py from this machine's numpy. */
interface Encoded { f?: string[]; i?: number[]; s?: string[] }
interface Vectors {
  numpy: string;
  calls: [string, unknown[]][];
  seeds: { seed: string | number[]; keyHead: number[]; results: Encoded[]; endPos: number; endKeyHead: number[] }[];
  course: { n: number; p: number; xSha256: string; xHead: string[]; xTail: string[]; y: string[]; folds: number[] };
  refusals: { seed: string; error: string | null; message?: string }[];
}
const V = JSON.parse(
  readFileSync(fileURLToPath(new URL('./random-state-vectors.json', import.meta.url)), 'utf8'),
) as Vectors;

const seedOf = (s: string | number[]): LegacySeed => (typeof s === 'string' ? Number(s) : s);

/** Python's None in the call list is "argument omitted". */
const opt = <T>(v: unknown): T | undefined => (v === null ? undefined : (v as T));

/** Replay one numpy call on `rs`; returns what to compare, as the script encodes it. */
function call(rs: RandomState, method: string, args: unknown[]): Encoded {
  const a = args;
  const floats = (v: number | Float64Array): Encoded => ({ f: hexAll(typeof v === 'number' ? [v] : v) });
  const ints = (v: number | ArrayLike<number>): Encoded => ({ i: Array.from(typeof v === 'number' ? [v] : v) });
  const size = (i: number): number | undefined => opt<number>(a[i]);
  switch (method) {
    case 'random_sample': return floats(rs.randomSample(size(0) as number));
    case 'standard_normal': return floats(rs.standardNormal(size(0) as number));
    case 'normal': return floats(rs.normal(a[0] as number, a[1] as number, size(2) as number));
    case 'uniform': return floats(rs.uniform(a[0] as number, a[1] as number, size(2) as number));
    case 'randint': return ints(rs.randint(a[0] as number, opt<number>(a[1]), size(2) as number));
    case 'permutation':
      return Array.isArray(a[0])
        ? floats(rs.permutation(Float64Array.from(a[0] as number[])))
        : ints(rs.permutation(a[0] as number));
    case 'shuffle': {
      const x = Array.from(a[0] as number[]);
      rs.shuffle(x);
      return ints(x);
    }
    case 'choice': {
      const replace = a.length > 2 ? (a[2] as boolean) : undefined;
      const p = a.length > 3 ? opt<number[]>(a[3]) : undefined;
      if (Array.isArray(a[0])) {
        const picked = rs.choice(a[0] as string[], size(1) as number, replace, p);
        return { s: Array.isArray(picked) ? picked : [picked] };
      }
      return ints(rs.choice(a[0] as number, size(1) as number, replace, p));
    }
    case 'exponential': return floats(rs.exponential(a[0] as number, size(1) as number));
    case 'standard_exponential': return floats(rs.standardExponential(size(0) as number));
    case 'gamma': return floats(rs.gamma(a[0] as number, a[1] as number, size(2) as number));
    case 'binomial': return ints(rs.binomial(a[0] as number, a[1] as number, size(2) as number));
    case 'poisson': return ints(rs.poisson(a[0] as number, size(1) as number));
    default: throw new Error(`no replay for ${method}`);
  }
}

describe(`RandomState equals numpy ${V.numpy}'s legacy RandomState to the bit`, () => {
  for (const s of V.seeds) {
    const label = typeof s.seed === 'string' ? s.seed : `[${s.seed.length > 5 ? `${s.seed.length} words` : s.seed.join(', ')}]`;
    it(`seed ${label}: the legacy seeding gives numpy's key`, () => {
      const rs = new RandomState(seedOf(s.seed));
      expect(Array.from(rs.getState().key.subarray(0, 4))).toEqual(s.keyHead);
      expect(rs.getState().pos).toBe(624);
    });
    it(`seed ${label}: every method in turn, state carried over (gauss cache included)`, () => {
      const rs = new RandomState(seedOf(s.seed));
      V.calls.forEach(([method, args], k) => {
        expect(call(rs, method, args), `call ${k}: ${method}(${JSON.stringify(args)})`).toEqual(s.results[k]);
      });
      const end = rs.getState();
      expect(end.pos).toBe(s.endPos);
      expect(Array.from(end.key.subarray(0, 4))).toEqual(s.endKeyHead);
    });
  }

  it('seed() reseeds in place and clears the cached Gaussian', () => {
    const rs = new RandomState(7);
    rs.standardNormal(3); // leaves one value cached
    expect(rs.getState().hasGauss).toBe(true);
    rs.seed(0);
    expect(rs.getState().hasGauss).toBe(false);
    const first = V.seeds.find((x) => x.seed === '0')!;
    expect(hexAll(rs.randomSample(5))).toEqual(first.results[0]!.f);
  });

  it('getState / setState restore the stream and the Gaussian cache', () => {
    const rs = new RandomState(3);
    rs.standardNormal(1);
    const saved = rs.getState();
    const a = rs.standardNormal(5);
    rs.setState(saved);
    expect(hexAll(rs.standardNormal(5))).toEqual(hexAll(a));
  });

  it('a scalar call draws exactly what a size-1 call draws', () => {
    const a = new RandomState(11), b = new RandomState(11);
    expect(hex(a.normal(1, 2))).toBe(hex(b.normal(1, 2, 1)[0]!));
    expect(a.randint(0, 1000)).toBe(b.randint(0, 1000, 1)[0]);
    expect(hex(a.gamma(2.5))).toBe(hex(b.gamma(2.5, 1, 1)[0]!));
    expect(hex(a.randomSample())).toBe(hex(b.randomSample(1)[0]!));
  });
});

describe("the course unit's dataset", () => {
  it('np.random.seed(1); X = normal(size=(n, p)); Y; folds = permutation(repeat(arange(10), 100)) exactly', () => {
    const { n, p } = V.course;
    const rs = new RandomState();
    rs.seed(1);
    const X = rs.normal(0, 1, n * p); // row-major, as numpy fills a (n, p) array
    expect(hexAll(X.subarray(0, 64))).toEqual(V.course.xHead);
    expect(hexAll(X.subarray(n * p - 8))).toEqual(V.course.xTail);
    const bytes = Buffer.from(X.buffer, X.byteOffset, X.byteLength); // little-endian float64
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(V.course.xSha256);
    const noise = rs.normal(0, 1, n);
    const Y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x1 = X[i * p]!, x2 = X[i * p + 1]!, x3 = X[i * p + 2]!;
      Y[i] = x1 + Math.sqrt(Math.abs(x2 * x3)) + x2 - x3 + noise[i]!;
    }
    expect(hexAll(Y)).toEqual(V.course.y);
    const repeated = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) repeated[i] = Math.floor(i / 100);
    expect(Array.from(rs.permutation(repeated))).toEqual(V.course.folds);
  });
});

describe('RandomState refuses bad arguments', () => {
  it('bad seeds, as numpy refuses them', () => {
    const bySeed: Record<string, LegacySeed> = {
      '-1': -1, '4294967296': 2 ** 32, '[]': [], '[1, -2]': [1, -2], '[1, 4294967296]': [1, 2 ** 32], '1.5': 1.5,
    };
    for (const r of V.refusals) {
      expect(r.error, `numpy accepted ${r.seed}`).not.toBeNull();
      const seed = bySeed[r.seed];
      expect(seed, `no JavaScript form for ${r.seed}`).toBeDefined();
      const numpyMsg = r.error === 'TypeError' ? /must be an integer/ : new RegExp(r.message!.replace(/[*]/g, '\\*'));
      refuses(() => new RandomState(seed), numpyMsg, r.error!);
    }
    refuses(() => new RandomState(2n ** 32n), /Seed must be between 0 and 2\*\*32 - 1/);
    refuses(() => new RandomState(['x'] as unknown as number[]), /seed\[0\] must be an integer/, 'TypeError');
  });

  it('bad distribution parameters name the parameter and value', () => {
    const rs = new RandomState(0);
    refuses(() => rs.normal(0, -1), /scale < 0 \(got -1\)/);
    refuses(() => rs.exponential(-2), /scale < 0/);
    refuses(() => rs.gamma(-1), /shape < 0/);
    refuses(() => rs.binomial(-1, 0.5), /n < 0/);
    refuses(() => rs.binomial(5, 1.5), /p < 0, p > 1/);
    refuses(() => rs.poisson(-1), /lam < 0/);
    refuses(() => rs.uniform(0, Infinity), /Range exceeds valid bounds/, 'OverflowError');
    refuses(() => rs.randint(5, 5), /low >= high \(5 >= 5\)/);
    refuses(() => rs.randint(0, 2 ** 60), /high is out of bounds for int64/);
    refuses(() => rs.randint(0, 2 ** 31 + 1, 2, 'int32'), /high is out of bounds for int32/);
    refuses(() => rs.randomSample(-1), /negative dimensions/);
    refuses(() => rs.choice(0, 3), /a must be greater than 0/);
    refuses(() => rs.choice(3, 5, false), /Cannot take a larger sample than population/);
    refuses(() => rs.choice(3, 2, true, [0.5, 0.6, 0.1]), /do not sum to 1/);
    refuses(() => rs.permutation(2.5), /x must be an integer or at least 1-dimensional/);
  });

  it('legacy seeding leaves no SeedSequence to spawn from', () => {
    const mt = new MT19937();
    mt.legacySeeding(5);
    refuses(() => mt.spawn(2), /SeedSequence is not available/);
  });
});
