import { execFileSync } from 'node:child_process';

/**
 * Exact answers from Python: Fraction arithmetic (exact) rounded
 * once by float() (correctly rounded): the sum, the mean and the ddof=1 variance. Values travel as
 * JSON numbers (shortest round-trip text on both sides, so the doubles are the same).
 */
export interface ExactMoments {
  sum: number;
  mean: number;
  var: number;
}

const SCRIPT = `
import sys, json, math
from fractions import Fraction as F
def rounded(q):
    try:
        return repr(float(q))
    except OverflowError:
        return 'inf' if q > 0 else '-inf'
out = []
for raw in json.load(sys.stdin):
    xs = [float(x) for x in raw]  # JSON integers parse as Python ints; the data are doubles
    n = len(xs)
    s = sum(F(x) for x in xs)
    s2 = sum(F(x) * F(x) for x in xs)
    var = (n * s2 - s * s) / (n * (n - 1)) if n > 1 else None
    out.append([rounded(s), rounded(s / n) if n else 'nan', rounded(var) if var is not None else 'nan'])
print(json.dumps(out))
`;

function number(text: string): number {
  return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
}

export function exactMoments(groups: readonly (readonly number[])[]): ExactMoments[] {
  for (const xs of groups) for (const x of xs) if (!Number.isFinite(x)) throw new Error('exactMoments takes finite values');
  const out = execFileSync('python3', ['-c', SCRIPT], { input: JSON.stringify(groups), encoding: 'utf8', maxBuffer: 1 << 28 });
  return (JSON.parse(out) as string[][]).map(([sum, mean, variance]) => ({ sum: number(sum!), mean: number(mean!), var: number(variance!) }));
}

/** Same bits (NaN equal to NaN, −0 different from 0). */
export function sameBits(a: number, b: number): boolean {
  return Object.is(a, b);
}
