import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as ddf from '../../src/index.js';
import { tempDir } from '../helpers.js';

/** The dashboard's server: /api/state, live updates, read-only, loopback unless asked. */

const data = tempDir('dusk-dash-');
beforeAll(() => {
  for (let f = 0; f < 4; f++) {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${(i * 13 + f) % 997}`);
    writeFileSync(join(data.dir, `p${f}.csv`), `id,x\n${rows.join('\n')}\n`);
  }
});
afterAll(async () => {
  ddf.config.reset();
  data.remove();
  await ddf.shutdown();
});

/** A raw request (fetch would not let a test set the Host header). */
function raw(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ddf.dashboard', () => {
  it('listens on 127.0.0.1 (a free port with port 0); /api/state has the computes with done/total, the workers and recent tasks', async () => {
    const dash = await ddf.dashboard({ port: 0 });
    try {
      expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(Number(new URL(dash.url).port)).toBeGreaterThan(0);
      const df = ddf.readCsv(join(data.dir, '*.csv'));
      expect(await df.col('x').max().compute({ scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 })).toBe(996);
      const res = await fetch(`${dash.url}api/state`);
      expect(res.headers.get('content-type')).toBe('application/json');
      const state = (await res.json()) as ddf.DiagnosticsState;
      expect(state.computes).toHaveLength(1);
      expect(state.computes[0]).toMatchObject({ scheduler: 'threads', workers: 2, done: 4, total: 4, failed: 0, error: null });
      expect(state.computes[0]!.explain).toMatch(/SharedScan csv 4 files/);
      expect(state.computes[0]!.report).toEqual(ddf.lastComputeReport());
      const scans = state.tasks.filter((t) => t.op === 'scan');
      expect(scans).toHaveLength(4);
      const threads = new Set(scans.map((t) => t.worker));
      for (const w of threads) expect(state.workers.find((x) => x.name === w)).toMatchObject({ kind: 'thread' });
      expect(state.workers.filter((w) => w.kind === 'thread').reduce((a, w) => a + w.tasks, 0)).toBe(4);
      expect(state.caller).toMatch(new RegExp(`pid ${process.pid} thread 0$`));
      // The page and its files come from the package.
      const page = await fetch(dash.url);
      expect(await page.text()).toContain('<script src="/page.js">');
      expect((await fetch(`${dash.url}page.js`)).status).toBe(200);
      expect((await fetch(`${dash.url}nothing`)).status).toBe(404);
    } finally {
      await dash.close();
    }
    await expect(fetch(dash.url)).rejects.toThrow();
  });

  it('is read-only: other methods get 405, messages over the socket are ignored; a Host other than loopback gets 403', async () => {
    const dash = await ddf.dashboard();
    try {
      for (const method of ['POST', 'PUT', 'DELETE']) expect((await raw(`${dash.url}api/state`, method)).status).toBe(405);
      expect((await raw(`${dash.url}api/state`, 'GET', { Host: 'evil.example:80' })).status).toBe(403);
      const ws = new WebSocket(`${dash.url.replace('http', 'ws')}ws`);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const updates: { computes: { id: number; done: number; total: number }[]; tasks: unknown[] }[] = [];
      ws.on('message', (m: Buffer) => updates.push(JSON.parse(m.toString())));
      ws.send(JSON.stringify({ type: 'compute', anything: true }));
      await ddf.readCsv(join(data.dir, '*.csv')).col('x').sum().compute({ scheduler: 'sync' });
      await vi.waitFor(() => expect(updates.some((u) => u.computes.some((c) => c.done === 4 && c.total === 4))).toBe(true), { timeout: 3000 });
      expect(updates.reduce((a, u) => a + u.tasks.length, 0)).toBeGreaterThanOrEqual(5);
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.close();
    } finally {
      await dash.close();
    }
  });

  it('binds elsewhere only when asked, and checks its options', async () => {
    await expect(ddf.dashboard({ port: 70000 })).rejects.toThrow(/port must be an integer from 0/);
    await expect(ddf.dashboard({ prot: 1 } as ddf.DashboardOptions)).rejects.toThrow(/unknown option 'prot'. Did you mean 'port'/);
    const dash = await ddf.dashboard({ host: '0.0.0.0' });
    try {
      expect(dash.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
      // Any Host is served then (the caller chose to share it).
      expect((await raw(`${dash.url}api/state`, 'GET', { Host: 'dusk.example' })).status).toBe(200);
      await expect(ddf.dashboard({ port: Number(new URL(dash.url).port), host: '0.0.0.0' })).rejects.toThrow(/port \d+ on 0\.0\.0\.0 is in use/);
    } finally {
      await dash.close();
    }
  });

  it('config.set({ dashboard }) opens one at the first compute and prints its URL', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (printed.push(String(s)), true));
    try {
      ddf.config.set({ dashboard: { port: 0 } });
      const df = ddf.readCsv(join(data.dir, '*.csv'));
      await df.col('x').max().compute({ scheduler: 'sync' });
      await df.col('x').min().compute({ scheduler: 'sync' });
    } finally {
      spy.mockRestore();
      ddf.config.reset();
    }
    const urls = printed.filter((s) => s.startsWith('dusk: dashboard at '));
    expect(urls).toHaveLength(1);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(urls[0]!)![0];
    const state = (await (await fetch(`${url}api/state`)).json()) as ddf.DiagnosticsState;
    expect(state.computes.map((c) => `${c.done}/${c.total}`)).toEqual(['4/4', '4/4']);
    expect(() => ddf.config.set({ dashboard: 'yes' as unknown as boolean })).toThrow(/dashboard must be true, false or \{ port, host \}/);
  });
});
