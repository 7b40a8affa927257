import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { checkDashboardOptions, type DashboardOptions } from '../config.js';
import { DuskSchemaError } from '../core/errors.js';
import { type DiagnosticsState, Observer } from './observer.js';
import { dashboardHtml, pageAssets } from './page.js';

/** A running dashboard. */
export interface Dashboard {
  /** 'http://127.0.0.1:8787/'. */
  readonly url: string;
  /** Stops the server and closes the pages' connections. */
  close(): Promise<void>;
}

/** How often pages get an update while something changes. */
const PUSH_EVERY_MS = 250;
/** Computes an update carries (the page keeps the earlier ones it has). */
const COMPUTES_PER_UPDATE = 4;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** What changed since the last push: recent computes, new samples, new tasks, new byte counts. */
class Updates {
  private lastTaskSeq = 0;
  private lastBytesAt = -Infinity;
  private readonly lastSampleAt = new Map<string, number>();

  constructor(private readonly observer: Observer) {}

  next(): object {
    const s = this.observer.snapshot();
    const tasks = s.tasks.filter((t) => t.seq > this.lastTaskSeq);
    if (tasks.length) this.lastTaskSeq = tasks[tasks.length - 1]!.seq;
    const bytes = s.bytes.filter((b) => b.at > this.lastBytesAt);
    if (bytes.length) this.lastBytesAt = bytes[bytes.length - 1]!.at;
    const workers = s.workers.map((w) => {
      const after = this.lastSampleAt.get(w.name) ?? -Infinity;
      const samples = w.samples.filter((x) => x.at > after);
      if (samples.length) this.lastSampleAt.set(w.name, samples[samples.length - 1]!.at);
      return { ...w, samples };
    });
    return { now: s.now, caller: s.caller, computes: s.computes.slice(-COMPUTES_PER_UPDATE), workers, tasks, running: s.running, bytes };
  }
}

/**
 * Opens the dashboard: a page with the task stream, progress per compute, workers' memory and
 * CPU, bytes read and the current plan, updated live over a WebSocket, and its data as JSON at
 * /api/state. It only reads: it takes no commands (GET and HEAD only; messages from the page
 * are ignored). It listens on 127.0.0.1 unless `host` says otherwise: another host (such as
 * '0.0.0.0') lets other machines see task names, file paths and plans.
 */
export async function dashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  checkDashboardOptions(options, 'dashboard');
  const host = options.host ?? '127.0.0.1';
  // Loaded here, not with Dusk: a script that never opens a dashboard does not pay for them.
  const [{ createServer }, { WebSocketServer }] = await Promise.all([import('node:http'), import('ws')]);
  const observer = new Observer();
  const { js, css } = pageAssets();
  const html = dashboardHtml();

  const send = (res: ServerResponse, status: number, type: string, body: string, head: boolean) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:",
    });
    res.end(head ? undefined : body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'the Dusk dashboard is read-only\n', false);
    }
    // On loopback, a page of another site that resolves its name to 127.0.0.1 (DNS rebinding) is refused.
    if (LOOPBACK.has(host) && !LOOPBACK.has((req.headers.host ?? '').replace(/:\d+$/, ''))) return send(res, 403, 'text/plain', 'unexpected Host header\n', head);
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/':
        return send(res, 200, 'text/html; charset=utf-8', html, head);
      case '/page.js':
        return send(res, 200, 'text/javascript; charset=utf-8', js, head);
      case '/page.css':
        return send(res, 200, 'text/css; charset=utf-8', css, head);
      case '/api/state':
        return send(res, 200, 'application/json', JSON.stringify(observer.snapshot() satisfies DiagnosticsState), head);
      default:
        return send(res, 404, 'text/plain', 'not found\n', head);
    }
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, headBytes) => {
    if ((req.url ?? '').split('?')[0] !== '/ws' || (LOOPBACK.has(host) && !LOOPBACK.has((req.headers.host ?? '').replace(/:\d+$/, '')))) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, headBytes, (ws: WebSocket) => {
      // Read-only: whatever a page sends is dropped.
      ws.on('message', () => {});
      ws.on('error', () => {});
    });
  });

  const updates = new Updates(observer);
  let pushed = -1;
  const timer = setInterval(() => {
    if (observer.version === pushed) return;
    pushed = observer.version;
    const message = JSON.stringify(updates.next());
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  }, PUSH_EVERY_MS);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new DuskSchemaError(`dashboard: port ${options.port} on ${host} is in use (port 0 picks a free one)`) : err));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  // Open pages do not keep a finished script alive.
  server.unref();
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        observer.close();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

let configured: Promise<Dashboard> | null = null;

/** config.set({ dashboard: true | { port, host } }): the first compute opens it once and prints its URL. */
export function ensureConfiguredDashboard(options: true | DashboardOptions): Promise<Dashboard> {
  configured ??= dashboard(options === true ? {} : options).then(
    (d) => {
      process.stderr.write(`dusk: dashboard at ${d.url}\n`);
      return d;
    },
    (err: unknown) => {
      configured = null; // the next compute tries again (the port may be free by then)
      throw err;
    },
  );
  return configured;
}
