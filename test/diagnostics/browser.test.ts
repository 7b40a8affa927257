import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { tempDir } from '../helpers.js';

/**
 * The dashboard and the performance report in a real browser (Debian's chromium, driven by
 * playwright-core), during a compute of several seconds on real bz2 files with real worker
 * threads. Screenshots go to test-output/ for review.
 */

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(import.meta.dirname, '..', '..', 'test-output');
const SHARDS = 8;
const WORKERS = 2;
const data = tempDir('dusk-browser-');
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return console.log(`browser tests skipped: no ${CHROMIUM} (.ci/run installs Debian's chromium)`);
  mkdirSync(OUT, { recursive: true });
  // ~0.5–1 s of bz2 decoding per shard: 8 shards on 2 threads run for a few seconds.
  const gen = join(import.meta.dirname, '..', '..', 'scripts', 'gen_airline.py');
  const run = spawnSync('python3', [gen, '--out', data.dir, '--shards', String(SHARDS), '--rows-per-shard', '40000', '--compression', 'bz2', '--seed', '7', '--jobs', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error('could not generate the airline shards (python3 scripts/gen_airline.py)');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  data.remove();
  await ddf.shutdown();
});

const air = () => ddf.readCsv(join(data.dir, '*.csv.bz2'), { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });
const manifest = () => (JSON.parse(readFileSync(join(data.dir, 'manifest.json'), 'utf8')) as { total: { DepDelay: { max: number } } }).total.DepDelay;

describe('in a browser', () => {
  it.runIf(existsSync(CHROMIUM))(
    'the dashboard during a compute: the task stream grows, progress reaches done/total, one lane per worker thread',
    async () => {
      const dash = await ddf.dashboard({ port: 0 });
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(dash.url);
        await page.waitForSelector('#status.on', { timeout: 10_000 }); // the WebSocket is open
        const delay = air().col('DepDelay');
        let finished = false;
        const computing = ddf.compute(delay.max(), delay.mean(), { scheduler: 'threads', numWorkers: WORKERS, inlineBelowBytes: 0, progress: false }).finally(() => (finished = true));
        const seen: number[] = [];
        const running: number[] = [];
        let shot = false;
        while (!finished) {
          const drawn = Number(await page.locator('#stream').getAttribute('data-tasks'));
          seen.push(drawn);
          running.push(Number(await page.locator('#stream').getAttribute('data-running')));
          if (!shot && drawn >= 2 && drawn < SHARDS) {
            await page.screenshot({ path: join(OUT, 'dashboard-running.png'), fullPage: true });
            shot = true;
          }
          await new Promise((r) => setTimeout(r, 150));
        }
        const [max] = await computing;
        expect(max).toBe(manifest().max);
        const compute = page.locator('.compute').first();
        await expect.poll(() => compute.locator('.count').textContent(), { timeout: 5000 }).toBe(`${SHARDS}/${SHARDS}`);
        await expect.poll(() => page.locator('#stream').getAttribute('data-tasks'), { timeout: 5000 }).toBe(String(SHARDS));
        // It grew while the compute ran: it showed some tasks before all were done.
        expect(seen.some((n) => n > 0 && n < SHARDS)).toBe(true);
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
        // Tasks showed as running (on at most one bar per worker) before they ended.
        expect(Math.max(...running)).toBeGreaterThan(0);
        expect(Math.max(...running)).toBeLessThanOrEqual(WORKERS);
        await expect.poll(() => page.locator('#stream').getAttribute('data-running'), { timeout: 5000 }).toBe('0');
        expect(await page.locator('#stream').getAttribute('data-lanes')).toBe(String(WORKERS));
        expect(await page.locator('#plan').textContent()).toMatch(/SharedScan csv 8 files/);
        expect(await page.locator('#ops tr[data-op="scan"] td').nth(1).textContent()).toBe(String(SHARDS));
        // Memory and CPU charts have a line per worker thread (and one for the calling process).
        expect(await page.locator('#memory + .legend .key').count()).toBeGreaterThanOrEqual(WORKERS);
        await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await dash.close();
      }
    },
    120_000,
  );

  it.runIf(existsSync(CHROMIUM))(
    'a performance report opens from disk with no network and shows the task stream, time per op, the plan and the report',
    async () => {
      const file = join(data.dir, 'report.html');
      const delay = air().col('DepDelay');
      const max = await ddf.performanceReport(file, async () => {
        const [m] = await ddf.compute(delay.max(), delay.count(), { scheduler: 'threads', numWorkers: WORKERS, inlineBelowBytes: 0, progress: false });
        await air().col('Distance').sum().compute({ scheduler: 'threads', numWorkers: WORKERS, inlineBelowBytes: 0 });
        return m;
      });
      expect(max).toBe(manifest().max);
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/); // nothing to fetch
      const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 1000 } });
      const requested: string[] = [];
      await context.route('**/*', (route) => {
        requested.push(route.request().url());
        return route.request().url().startsWith('file:') ? route.continue() : route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('body[data-rendered]');
        expect(requested.every((u) => u.startsWith('file:'))).toBe(true);
        expect(await page.locator('.compute').count()).toBe(2);
        expect(await page.locator('.compute .count').allTextContents()).toEqual([`${SHARDS}/${SHARDS}`, `${SHARDS}/${SHARDS}`]);
        expect(await page.locator('#stream').getAttribute('data-tasks')).toBe(String(2 * SHARDS));
        expect(await page.locator('#stream').getAttribute('data-lanes')).toBe(String(WORKERS));
        expect(await page.locator('#ops tr[data-op="scan"] td').nth(1).textContent()).toBe(String(2 * SHARDS));
        const plan = await page.locator('#plan').textContent();
        expect(plan).toMatch(/DepDelay[\s\S]*SharedScan[\s\S]*Distance/);
        // One column of the compute report per compute.
        expect(await page.locator('#report th').allTextContents()).toEqual(['', expect.stringMatching(/^compute #\d+$/), expect.stringMatching(/^compute #\d+$/)]);
        expect(await page.locator('#report').textContent()).toContain(`${SHARDS} files, 1× each at most`);
        await page.screenshot({ path: join(OUT, 'performance-report.png'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
