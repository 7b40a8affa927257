import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { tempDir } from '../helpers.js';

/** lazy.visualize: the task graph as SVG, partitions of one op collapsed past a size. */

const data = tempDir('dusk-viz-');
const FILES = 12;
beforeAll(() => {
  for (let f = 0; f < FILES; f++) writeFileSync(join(data.dir, `f${String(f).padStart(2, '0')}.csv`), `k,x\n${f % 3},${f}\n${(f + 1) % 3},${f * 2}\n`);
});
afterAll(() => data.remove());

/** The drawn nodes: op and how many tasks each stands for. */
function nodes(svg: string): { op: string; count: number; target: boolean }[] {
  return [...svg.matchAll(/<g class="node" data-op="([^"]+)" data-count="(\d+)"( data-target="true")?>/g)].map((m) => ({ op: m[1]!, count: Number(m[2]), target: m[3] !== undefined }));
}

describe('visualize', () => {
  it('writes an SVG of the graph compute runs: 12 scans drawn as one node "scan ×12", edges counted, the target marked', () => {
    const df = ddf.readCsv(join(data.dir, '*.csv'));
    const lazy = df.col('x').sum();
    const path = join(data.dir, 'graph.svg');
    const svg = lazy.visualize(path);
    expect(readFileSync(path, 'utf8')).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Balanced groups, and every node's rectangle and label present.
    expect(svg.match(/<g[ >]/g)!.length).toBe(svg.match(/<\/g>/g)!.length);
    const drawn = nodes(svg);
    expect(drawn.find((n) => n.op === 'scan')).toEqual({ op: 'scan', count: FILES, target: false });
    expect(svg).toContain('>scan ×12</text>');
    expect(drawn.filter((n) => n.target)).toHaveLength(1);
    // Every task is in exactly one drawn node.
    const graph = lowerToGraph(optimize([lazy.plan])).graph.cull();
    expect(drawn.reduce((a, n) => a + n.count, 0)).toBe(graph.tasks.size);
    // Edges stand for every task edge (the scans feed a tree of combines: 8 + 4).
    const edgeCounts = [...svg.matchAll(/<path class="edge" data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(edgeCounts.reduce((a, b) => a + b, 0)).toBe([...graph.tasks.values()].reduce((a, t) => a + t.deps.length, 0));
    expect(edgeCounts.slice(0, 2)).toEqual([8, 4]);
    // toDot stays: one line per task and per edge.
    const dot = graph.toDot();
    expect(dot.split('\n').filter((l) => l.includes(' -> '))).toHaveLength([...graph.tasks.values()].reduce((a, t) => a + t.deps.length, 0));
  });

  it('draws each partition when there are few (collapseAbove), with its label; text is escaped', () => {
    const df = ddf.readCsv(join(data.dir, '*.csv'));
    const svg = df.groupBy('k').agg({ n: ddf.len() }).toArrow().visualize(undefined, { collapseAbove: 20 });
    const scans = nodes(svg).filter((n) => n.op === 'scan');
    expect(scans).toHaveLength(FILES);
    expect(scans.every((n) => n.count === 1)).toBe(true);
    expect(svg).toContain('f00.csv');
    expect(svg).not.toMatch(/<text[^>]*>[^<]*[<>&][^<]*<\/text>/);
  });
});
