import type { TaskGraph } from '../graph/task-graph.js';

export interface VisualizeOptions {
  /** Tasks of one op at one depth drawn as one node ('scan ×32') when there are more than this. Default 6. */
  collapseAbove?: number;
}

/** The colours of ops, as on the dashboard's page: a hash of the op's name picks one. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c'];
function opColor(op: string, used: Map<string, string>): string {
  let color = used.get(op);
  if (color) return color;
  let h = 0;
  for (let i = 0; i < op.length; i++) h = (h * 31 + op.charCodeAt(i)) >>> 0;
  const taken = new Set(used.values());
  color = PALETTE[h % PALETTE.length]!;
  for (let i = 0; taken.has(color) && i < PALETTE.length; i++) color = PALETTE[(h + i) % PALETTE.length]!;
  used.set(op, color);
  return color;
}

/** Dark text on the light colours of the palette, white on the others. */
function textOn(fill: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6 ? '#222' : '#fff';
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface Node {
  id: number;
  op: string;
  depth: number;
  tasks: string[];
  label: string;
  target: boolean;
  x: number;
  y: number;
  width: number;
}

const NODE_H = 34;
const ROW_GAP = 56;
const COL_GAP = 16;
const MARGIN = 20;
const CHAR_W = 6.6;

/**
 * The task graph as SVG: one row per depth (inputs at the top, results at the bottom), a node
 * per task, or one node per op and depth for more than `collapseAbove` such tasks (with their
 * count); edges between drawn nodes carry how many task edges they stand for. A small layered
 * layout (rows ordered by the parents' positions), no Graphviz needed; toDot() gives Graphviz text.
 */
export function taskGraphSvg(graph: TaskGraph, options: VisualizeOptions = {}): string {
  const collapseAbove = options.collapseAbove ?? 6;
  const order = graph.topologicalOrder();
  const depth = new Map<string, number>();
  for (const t of order) depth.set(t.key, t.deps.length === 0 ? 0 : 1 + Math.max(...t.deps.map((d) => depth.get(d) ?? 0)));
  const targets = new Set(graph.targets);

  // Group by (depth, op); a large group is one node.
  const groups = new Map<string, string[]>();
  for (const t of order) {
    const g = `${depth.get(t.key)}\u0000${t.spec.op}`;
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(t.key);
  }
  const nodes: Node[] = [];
  const nodeOf = new Map<string, Node>();
  for (const [g, keys] of groups) {
    const [d, op] = g.split('\u0000') as [string, string];
    const parts = keys.length > collapseAbove ? [keys] : keys.map((k) => [k]);
    for (const tasks of parts) {
      const first = graph.tasks.get(tasks[0]!)!;
      const label = tasks.length > 1 ? `${op} ×${tasks.length}` : clip(first.label || op, 40);
      const node: Node = { id: nodes.length, op, depth: Number(d), tasks, label, target: tasks.some((k) => targets.has(k)), x: 0, y: 0, width: Math.max(70, label.length * CHAR_W + 22) };
      nodes.push(node);
      for (const k of tasks) nodeOf.set(k, node);
    }
  }
  const edges = new Map<string, { from: Node; to: Node; count: number }>();
  for (const t of order) {
    const to = nodeOf.get(t.key)!;
    for (const dep of t.deps) {
      const from = nodeOf.get(dep)!;
      const id = `${from.id}-${to.id}`;
      const e = edges.get(id);
      if (e) e.count++;
      else edges.set(id, { from, to, count: 1 });
    }
  }

  // Rows by depth, each ordered by the mean position of its parents (one sweep down).
  const rows: Node[][] = [];
  for (const n of nodes) (rows[n.depth] ??= []).push(n);
  const parents = new Map<Node, Node[]>();
  for (const e of edges.values()) (parents.get(e.to) ?? parents.set(e.to, []).get(e.to)!).push(e.from);
  const rowWidth = (row: Node[]) => row.reduce((a, n) => a + n.width, 0) + COL_GAP * (row.length - 1);
  const width = Math.max(...rows.map((r) => rowWidth(r ?? [])), 200) + 2 * MARGIN;
  rows.forEach((row, d) => {
    if (d > 0) {
      const center = (n: Node) => {
        const ps = parents.get(n) ?? [];
        return ps.length ? ps.reduce((a, p) => a + p.x + p.width / 2, 0) / ps.length : 0;
      };
      row.sort((a, b) => center(a) - center(b));
    }
    let x = (width - rowWidth(row)) / 2;
    for (const n of row) {
      n.x = x;
      n.y = MARGIN + 26 + d * (NODE_H + ROW_GAP);
      x += n.width + COL_GAP;
    }
  });
  const height = MARGIN * 2 + 26 + rows.length * (NODE_H + ROW_GAP) - ROW_GAP;

  const colors = new Map<string, string>();
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  out.push(`<title>Dusk task graph: ${order.length} tasks, ${nodes.length} nodes</title>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN}" y="${MARGIN + 4}" fill="#444">${order.length} tasks (${order.filter((t) => !t.local).length} on workers); more than ${collapseAbove} of one op at one depth drawn as one node</text>`);
  out.push('<g class="edges" fill="none" stroke="#9aa3ad">');
  for (const { from, to, count } of edges.values()) {
    const x1 = from.x + from.width / 2;
    const y1 = from.y + NODE_H;
    const x2 = to.x + to.width / 2;
    const y2 = to.y;
    const mid = (y1 + y2) / 2;
    const w = Math.min(6, 1 + Math.log2(count));
    out.push(`<path class="edge" data-count="${count}" d="M${x1.toFixed(1)},${y1} C${x1.toFixed(1)},${mid} ${x2.toFixed(1)},${mid} ${x2.toFixed(1)},${y2}" stroke-width="${w.toFixed(2)}"/>`);
    if (count > 1) out.push(`<text x="${((x1 + x2) / 2 + 4).toFixed(1)}" y="${mid + 4}" fill="#7a828c" stroke="none" font-size="10">×${count}</text>`);
  }
  out.push('</g>');
  out.push('<g class="nodes">');
  for (const n of nodes) {
    const fill = opColor(n.op, colors);
    const keys = n.tasks.length > 1 ? `${n.tasks.length} tasks: ${n.tasks.slice(0, 3).join(', ')}…` : n.tasks[0]!;
    out.push(`<g class="node" data-op="${escapeXml(n.op)}" data-count="${n.tasks.length}"${n.target ? ' data-target="true"' : ''}>`);
    out.push(`<title>${escapeXml(n.op)}: ${escapeXml(keys)}</title>`);
    if (n.tasks.length > 1) out.push(`<rect x="${(n.x + 4).toFixed(1)}" y="${n.y - 4}" width="${n.width.toFixed(1)}" height="${NODE_H}" rx="6" fill="${fill}" opacity="0.45"/>`);
    out.push(`<rect x="${n.x.toFixed(1)}" y="${n.y}" width="${n.width.toFixed(1)}" height="${NODE_H}" rx="6" fill="${fill}"${n.target ? ' stroke="#222" stroke-width="2"' : ''}/>`);
    out.push(`<text x="${(n.x + n.width / 2).toFixed(1)}" y="${n.y + NODE_H / 2 + 4}" text-anchor="middle" fill="${textOn(fill)}">${escapeXml(n.label)}</text>`);
    out.push('</g>');
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
