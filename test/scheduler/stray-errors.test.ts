import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';

/**
 * Errors a task throws outside its own call (a timer's callback) are traced to that task on
 * every scheduler, and never reach a later, unrelated compute.
 */

const SCHEDULERS = ['sync', 'threads', 'processes'] as const;
const opts = (scheduler: (typeof SCHEDULERS)[number]) => ({ scheduler, numWorkers: 2, progress: false }) as const;

afterAll(() => ddf.shutdown());

/** Throws from a timer `ms` after it starts; resolves after `runMs`. */
const leaky = ddf.delayed(
  function leaky(ms: number, runMs: number) {
    setTimeout(() => {
      throw new Error(`late boom after ${ms} ms`);
    }, ms);
    return new Promise<string>((resolve) => setTimeout(() => resolve('returned'), runMs));
  },
  { pure: false },
);
const slow = ddf.delayed((ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)), { pure: false });

async function warningsDuring(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error) => {
    if (w.name === 'DuskStrayErrorWarning') seen.push(w.message);
  };
  process.on('warning', listener);
  try {
    await body();
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe.each(SCHEDULERS)('a task callback that throws, on %s', (scheduler) => {
  it('while its task runs: that task fails with the error, and the next compute is not affected', async () => {
    const call = leaky(10, 400);
    const error = (await call.compute(opts(scheduler)).catch((e: unknown) => e)) as ddf.DuskTaskError;
    expect(error).toBeInstanceOf(ddf.DuskTaskError);
    expect(error.taskKey).toBe(call.key);
    expect(error.message).toMatch(/^task leaky-[0-9a-f]+ threw Error: late boom after 10 ms in a callback it started \(a timer, an event handler or a promise nobody awaited\), while it ran/);
    expect(await slow(5).compute(opts(scheduler))).toBe(5);
  });

  it('after its task returned, while its compute runs: the compute fails, naming the task', async () => {
    const early = leaky(150, 0);
    const error = (await ddf.compute(early, slow(900), opts(scheduler)).catch((e: unknown) => e)) as ddf.DuskTaskError;
    expect(error).toBeInstanceOf(ddf.DuskTaskError);
    expect(error.taskKey).toBe(early.key);
    expect(error.message).toMatch(/^task leaky-[0-9a-f]+ had returned, but then threw Error: late boom after 150 ms in a callback it started/);
    expect(await slow(5).compute(opts(scheduler))).toBe(5);
  });

  it('after its compute finished: a warning names the task; later computes are not affected', async () => {
    const call = leaky(200, 0);
    const warnings = await warningsDuring(async () => {
      expect(await call.compute(opts(scheduler))).toBe('returned');
      // The error fires while this unrelated compute runs: it must not fail it.
      expect(await slow(600).compute(opts(scheduler))).toBe(600);
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`task ${call.key} had returned, but then threw Error: late boom after 200 ms`);
    expect(warnings[0]).toContain('its compute had already finished');
  });
});
