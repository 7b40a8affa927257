// Dusk's dashboard and performance report page: plain JS, no library, no network but the
// page's own server. Live (the dashboard): /api/state once, then updates over a WebSocket.
// Static (a performance report): the state is in window.__DUSK_REPORT__. The page only reads.
(function () {
  'use strict';
  const report = window.__DUSK_REPORT__ || null;
  const live = report === null;
  /** The state as /api/state gives it, merged with updates. */
  let state = report ? report.state : { startedAt: 0, now: 0, caller: '', computes: [], workers: [], tasks: [], running: [], bytes: [] };
  /** Browser time minus server time, for the live clock. */
  let skew = 0;
  let connected = false;

  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c'];
  const opColors = new Map();
  function opColor(op) {
    if (!opColors.has(op)) {
      let h = 0;
      for (let i = 0; i < op.length; i++) h = (h * 31 + op.charCodeAt(i)) >>> 0;
      // Distinct ops get distinct colours while the palette lasts.
      const used = new Set(opColors.values());
      let c = PALETTE[h % PALETTE.length];
      for (let i = 0; used.has(c) && i < PALETTE.length; i++) c = PALETTE[(h + i) % PALETTE.length];
      opColors.set(op, c);
    }
    return opColors.get(op);
  }
  const SERIES = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) e.append(c);
    return e;
  }
  function swatch(color) {
    const i = document.createElement('i');
    i.style.background = color;
    return i;
  }
  const mb = (n) => (n >= 1e9 ? (n / 1e9).toFixed(2) + ' GB' : (n / 1e6).toFixed(1) + ' MB');
  const secs = (ms) => (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  /** 'host pid 12 thread 3' → 'thread 3' (a thread) or 'pid 12' (a process). */
  function shortWorker(name, kind) {
    const m = /pid (\d+) thread (\d+)$/.exec(name);
    if (!m) return name;
    // The calling process: its CPU clock counts all its threads (worker threads included).
    if (name === state.caller) return 'process ' + m[1] + ' (all threads)';
    return kind === 'thread' || m[2] !== '0' ? 'thread ' + m[2] : 'pid ' + m[1];
  }
  function kindOf(name) {
    const w = state.workers.find((x) => x.name === name);
    return w ? w.kind : 'thread';
  }
  function clock() {
    return live ? Date.now() - skew : state.now;
  }

  // ---- layout ----
  const app = document.getElementById('app');
  const title = report ? 'performance report' : 'dashboard';
  const status = el('span', { class: 'status', id: 'status' }, live ? 'connecting…' : 'written ' + new Date(report.createdAt).toLocaleString());
  const progressBox = el('div', { id: 'progress' });
  const stream = el('canvas', { id: 'stream', 'data-h': '60' });
  const legend = el('div', { class: 'legend', id: 'legend' });
  const memory = el('canvas', { id: 'memory', 'data-h': '170' });
  const memoryLegend = el('div', { class: 'legend' });
  const cpu = el('canvas', { id: 'cpu', 'data-h': '170' });
  const cpuLegend = el('div', { class: 'legend' });
  const bytes = el('canvas', { id: 'bytes', 'data-h': '170' });
  const bytesNote = el('div', { class: 'note', id: 'bytes-note' });
  const opsTable = el('table', { id: 'ops' });
  const plan = el('pre', { id: 'plan' });
  const reportTable = el('table', { id: 'report' });
  const section = (h, ...c) => el('section', {}, el('h2', {}, h), ...c);
  app.append(
    el('header', {}, el('h1', {}, 'Dusk ', el('span', { class: 'dim' }, title)), status),
    section('Progress', progressBox),
    section('Task stream', stream, legend),
    el('div', { class: 'grid' }, section('Worker memory (V8 heap; rss for processes)', memory, memoryLegend), section('Worker CPU (busy share)', cpu, cpuLegend)),
    el('div', { class: 'grid' }, section('Bytes read', bytes, bytesNote), section('Time per op', opsTable)),
    section('Plan (explain)', plan),
    section('Compute report', reportTable),
  );

  // ---- canvas helpers ----
  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = Number(canvas.dataset.h) || 150; // CSS pixels (canvas.height is device pixels)
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    canvas.style.height = height + 'px';
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    return { ctx, width, height };
  }
  /** The time window the charts share: the recent 30 s live, everything in a report. */
  function timeWindow() {
    const tasks = state.tasks;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of state.computes) {
      lo = Math.min(lo, c.startedAt);
      hi = Math.max(hi, c.finishedAt || clock());
    }
    for (const t of tasks) {
      lo = Math.min(lo, t.start);
      hi = Math.max(hi, t.end);
    }
    if (!isFinite(lo)) return [clock() - 30000, clock()];
    if (live) {
      hi = Math.max(hi, clock());
      lo = Math.max(lo, hi - 30000);
    }
    return [lo, Math.max(hi, lo + 1)];
  }
  function timeAxis(ctx, x0, width, y, lo, hi) {
    ctx.fillStyle = '#666';
    ctx.textAlign = 'center';
    const span = (hi - lo) / 1000;
    const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300].find((s) => span / s <= 8) || 600;
    const origin = state.computes.length ? state.computes[0].startedAt : lo;
    const first = Math.ceil((lo - origin) / 1000 / step) * step;
    for (let s = first; origin + s * 1000 <= hi; s += step) {
      const x = x0 + ((origin + s * 1000 - lo) / (hi - lo)) * width;
      ctx.fillRect(x, y, 1, 4);
      ctx.fillText(s.toFixed(step < 1 ? 1 : 0) + ' s', x, y + 14);
    }
  }

  function drawStream() {
    const tasks = state.tasks.filter((t) => !t.local);
    const running = live ? state.running || [] : [];
    const lanes = [...new Set(tasks.map((t) => t.worker).concat(running.map((t) => t.worker)))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    // 28 px a lane up to 8 lanes, then thinner, so the chart keeps a sensible height.
    const laneH = lanes.length <= 8 ? 28 : Math.max(6, 224 / lanes.length);
    stream.dataset.h = String(Math.max(1, lanes.length) * laneH + 28);
    const { ctx, width, height } = prepare(stream);
    const [lo, hi] = timeWindow();
    stream.dataset.lanes = String(lanes.length);
    stream.dataset.tasks = String(tasks.length);
    stream.dataset.running = String(running.length);
    const gutter = 120;
    const plotW = width - gutter - 10;
    ctx.fillStyle = '#333';
    ctx.textAlign = 'right';
    lanes.forEach((lane, i) => {
      const y = 4 + i * laneH;
      ctx.fillStyle = i % 2 ? '#f6f6f6' : '#fbfbfb';
      ctx.fillRect(gutter, y, plotW, laneH);
      ctx.fillStyle = '#333';
      ctx.fillText(shortWorker(lane, kindOf(lane)), gutter - 6, y + laneH / 2 + 4);
    });
    const index = new Map(lanes.map((l, i) => [l, i]));
    const seen = new Map();
    for (const t of tasks) {
      if (t.end < lo) continue;
      const x = gutter + ((Math.max(t.start, lo) - lo) / (hi - lo)) * plotW;
      // A hair of space between one task and the next on a lane.
      const w = Math.max(1.5, ((t.end - Math.max(t.start, lo)) / (hi - lo)) * plotW - 1);
      const y = 4 + index.get(t.worker) * laneH;
      ctx.fillStyle = t.ok ? opColor(t.op) : '#000';
      ctx.fillRect(x, y + 2, w, laneH - 4);
      seen.set(t.op, (seen.get(t.op) || 0) + 1);
    }
    // Running tasks: from their start to now, lighter, with an outline.
    for (const t of running) {
      const x = gutter + ((Math.max(t.start, lo) - lo) / (hi - lo)) * plotW;
      const w = Math.max(2, ((clock() - Math.max(t.start, lo)) / (hi - lo)) * plotW);
      const y = 4 + index.get(t.worker) * laneH;
      ctx.globalAlpha = 0.45;
      ctx.fillStyle = opColor(t.op);
      ctx.fillRect(x, y + 2, w, laneH - 4);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = opColor(t.op);
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(x + 0.5, y + 2.5, w - 1, laneH - 5);
      ctx.setLineDash([]);
    }
    if (lanes.length === 0) {
      ctx.fillStyle = '#999';
      ctx.textAlign = 'left';
      ctx.fillText('no tasks yet', gutter + 8, 20);
    }
    timeAxis(ctx, gutter, plotW, 4 + lanes.length * laneH + 2, lo, hi);
    const local = state.tasks.length - tasks.length;
    legend.replaceChildren(
      ...[...seen].map(([op, n]) => el('span', { class: 'key' }, swatch(opColor(op)), op + ' ×' + n)),
      el('span', { class: 'dim' }, (running.length ? ' · ' + running.length + ' running (dashed)' : '') + (local ? ' · ' + local + ' combine step(s) on the calling thread' : '')),
    );
  }

  /** Lines over the shared time window; series: [{ name, color, points: [[t, v]] }]. */
  function lineChart(canvas, series, format, fixedMax) {
    const { ctx, width, height } = prepare(canvas);
    const [lo, hi] = timeWindow();
    const gutter = 72;
    const plotW = width - gutter - 10;
    const plotH = height - 24;
    let max = fixedMax || 0;
    for (const s of series) for (const [t, v] of s.points) if (t >= lo && v > max) max = v;
    max = max || 1;
    ctx.strokeStyle = '#ddd';
    ctx.fillStyle = '#666';
    ctx.textAlign = 'right';
    for (const f of [0, 0.5, 1]) {
      const y = 4 + plotH * (1 - f);
      ctx.beginPath();
      ctx.moveTo(gutter, y);
      ctx.lineTo(gutter + plotW, y);
      ctx.stroke();
      ctx.fillText(format(max * f), gutter - 6, y + 4);
    }
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      let started = false;
      for (const [t, v] of s.points) {
        if (t < lo) continue;
        const x = gutter + ((t - lo) / (hi - lo)) * plotW;
        const y = 4 + plotH * (1 - v / max);
        if (started) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        started = true;
      }
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    timeAxis(ctx, gutter, plotW, 4 + plotH + 1, lo, hi);
  }
  function seriesLegend(box, series) {
    box.replaceChildren(...series.map((s) => el('span', { class: 'key' }, swatch(s.color), s.name)));
  }

  function drawWorkers() {
    const workers = state.workers.filter((w) => w.samples.length > 0);
    const mem = workers.map((w, i) => ({ name: shortWorker(w.name, w.kind), color: SERIES[i % SERIES.length], points: w.samples.map((s) => [s.at, w.kind === 'process' ? s.rss : s.heapUsed + s.external]) }));
    lineChart(memory, mem, mb);
    seriesLegend(memoryLegend, mem);
    const cores = workers.map((w, i) => ({ name: shortWorker(w.name, w.kind), color: SERIES[i % SERIES.length], points: w.samples.map((s) => [s.at, s.cpu * 100]) }));
    lineChart(cpu, cores, (v) => v.toFixed(0) + ' %', 100);
    seriesLegend(cpuLegend, cores);
  }

  function drawBytes() {
    const pts = state.bytes;
    // MB/s over the last second or more: workers report bytes in bursts.
    const rate = [];
    let j = 0;
    for (let i = 1; i < pts.length; i++) {
      while (j < i - 1 && pts[i].at - pts[j + 1].at >= 1000) j++;
      const dt = (pts[i].at - pts[j].at) / 1000;
      if (dt > 0) rate.push([pts[i].at, (pts[i].bytesRead - pts[j].bytesRead) / 1e6 / dt]);
    }
    lineChart(bytes, [{ name: 'MB/s', color: '#4e79a7', points: rate }], (v) => v.toFixed(1) + ' MB/s');
    const total = state.computes.reduce((a, c) => a + c.bytesRead, 0);
    const c = current();
    const ms = c ? (c.finishedAt || clock()) - c.startedAt : 0;
    bytesNote.textContent = mb(total) + ' read in all' + (c && ms > 0 ? ' · compute #' + c.id + ': ' + mb(c.bytesRead) + ' at ' + (c.bytesRead / 1e6 / (ms / 1000)).toFixed(1) + ' MB/s' : '');
  }

  function drawOps() {
    const byOp = new Map();
    for (const t of state.tasks) {
      const o = byOp.get(t.op) || { n: 0, ms: 0, bytes: 0, local: t.local };
      o.n++;
      o.ms += t.end - t.start;
      o.bytes += t.bytesRead;
      byOp.set(t.op, o);
    }
    const rows = [...byOp].sort((a, b) => b[1].ms - a[1].ms);
    const top = rows.length ? rows[0][1].ms : 1;
    opsTable.replaceChildren(
      el('tr', {}, el('th', {}, 'op'), el('th', {}, 'tasks'), el('th', {}, 'total'), el('th', {}, 'mean'), el('th', {}, 'read'), el('th', {}, '')),
      ...rows.map(([op, o]) => {
        const bar = el('div', { class: 'bar' });
        bar.style.width = Math.max(1, (o.ms / top) * 120) + 'px';
        bar.style.background = opColor(op);
        return el('tr', { 'data-op': op }, el('td', {}, op + (o.local ? ' (caller)' : '')), el('td', {}, String(o.n)), el('td', {}, secs(o.ms)), el('td', {}, (o.ms / o.n).toFixed(1) + ' ms'), el('td', {}, o.bytes ? mb(o.bytes) : ''), el('td', {}, bar));
      }),
    );
  }

  /** The compute shown in the plan and report: the running one, else the latest. */
  function current() {
    const cs = state.computes;
    return cs.find((c) => c.finishedAt === null) || cs[cs.length - 1] || null;
  }

  function drawProgress() {
    const shown = live ? state.computes.slice(-6) : state.computes;
    progressBox.replaceChildren(
      ...(shown.length ? [] : [el('div', { class: 'dim' }, 'no compute yet')]),
      ...shown
        .slice()
        .reverse()
        .map((c) => {
          const ms = (c.finishedAt || clock()) - c.startedAt;
          const fill = el('div', { class: 'fill' + (c.error ? ' failed' : '') });
          fill.style.width = (c.total ? (100 * (c.done + c.failed)) / c.total : c.finishedAt ? 100 : 0) + '%';
          const what = c.scheduler + (c.inline ? ' (inline)' : ' × ' + c.workers);
          return el(
            'div',
            { class: 'compute', 'data-compute': String(c.id) },
            el('span', { class: 'name' }, '#' + c.id + ' ' + what),
            el('div', { class: 'track' }, fill),
            el('span', { class: 'count' }, c.done + '/' + c.total),
            el('span', { class: 'dim' }, (c.failed ? c.failed + ' failed · ' : '') + mb(c.bytesRead) + ' · ' + secs(ms) + (c.finishedAt ? (c.error ? ' · failed' : ' · done') : ' · running')),
          );
        }),
    );
  }

  function drawPlan() {
    const c = current();
    const plans = report ? state.computes.filter((x) => x.explain).map((x) => '#' + x.id + '\n' + x.explain).join('\n\n') : c && c.explain ? '#' + c.id + '\n' + c.explain : '';
    plan.textContent = plans || '(no plan: the computes ran bare task graphs)';
    // The report of each compute in a performance report; live, the latest finished one's.
    const finished = state.computes.filter((x) => x.report);
    const shown = report ? finished : finished.slice(-1);
    const keys = ['scheduler', 'workers', 'inline', 'tasks', 'workerTasks', 'retries', 'wallMs', 'bytesRead', 'bytesDecoded', 'bytesSpilled', 'badLines', 'opens'];
    const cell = (r, k) => {
      const v = r[k];
      if (k === 'wallMs') return secs(v);
      if (k.startsWith('bytes')) return mb(v);
      if (k === 'opens') return Object.keys(v).length + ' files, ' + Object.values(v).reduce((a, b) => Math.max(a, b), 0) + '× each at most';
      return String(v);
    };
    reportTable.replaceChildren(
      el('tr', {}, el('th', {}, ''), ...shown.map((x) => el('th', {}, 'compute #' + x.id))),
      ...(shown.length ? keys.map((k) => el('tr', {}, el('td', {}, k), ...shown.map((x) => el('td', {}, cell(x.report, k))))) : [el('tr', {}, el('td', { class: 'dim' }, 'no finished compute yet'))]),
    );
  }

  let pending = false;
  function render() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      drawProgress();
      drawStream();
      drawWorkers();
      drawBytes();
      drawOps();
      drawPlan();
      document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
    });
  }

  // ---- live updates ----
  function merge(update) {
    skew = Date.now() - update.now;
    state.now = update.now;
    state.caller = update.caller || state.caller;
    for (const c of update.computes) {
      const i = state.computes.findIndex((x) => x.id === c.id);
      if (i >= 0) state.computes[i] = c;
      else state.computes.push(c);
    }
    state.computes.sort((a, b) => a.id - b.id);
    for (const w of update.workers) {
      const have = state.workers.find((x) => x.name === w.name);
      if (!have) {
        state.workers.push(w);
        continue;
      }
      const last = have.samples.length ? have.samples[have.samples.length - 1].at : -Infinity;
      have.samples.push(...w.samples.filter((s) => s.at > last));
      have.samples.splice(0, Math.max(0, have.samples.length - 600));
      have.kind = w.kind;
      have.tasks = w.tasks;
      have.busyMs = w.busyMs;
    }
    const lastSeq = state.tasks.length ? state.tasks[state.tasks.length - 1].seq : 0;
    state.tasks.push(...update.tasks.filter((t) => t.seq > lastSeq));
    state.tasks.splice(0, Math.max(0, state.tasks.length - 5000));
    const lastAt = state.bytes.length ? state.bytes[state.bytes.length - 1].at : -Infinity;
    state.bytes.push(...update.bytes.filter((b) => b.at > lastAt));
    state.running = update.running || [];
  }

  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.onopen = () => {
      connected = true;
      status.textContent = 'live';
      status.className = 'status on';
    };
    ws.onmessage = (m) => {
      merge(JSON.parse(m.data));
      render();
    };
    ws.onclose = () => {
      connected = false;
      status.textContent = 'disconnected (retrying)';
      status.className = 'status off';
      setTimeout(connect, 1000);
    };
  }

  if (live) {
    fetch('/api/state')
      .then((r) => r.json())
      .then((s) => {
        state = s;
        skew = Date.now() - s.now;
        render();
        connect();
      });
    // The clock moves while tasks run even when no update comes.
    setInterval(() => connected && state.computes.some((c) => c.finishedAt === null) && render(), 500);
  } else {
    render();
  }
  window.addEventListener('resize', render);
})();
