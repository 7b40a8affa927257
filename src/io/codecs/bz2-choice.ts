import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DuskError } from '../../errors.js';
import type { Bz2Command } from './bz2-system.js';

export type Bz2Decoder = 'auto' | 'wasm' | 'system';

export interface Bz2DecoderChoice {
  decoder: 'wasm' | 'system';
  /** The program and arguments, when the system decoder is chosen. */
  command?: string;
  reason: string;
}

/**
 * Which decoder 'auto' means, measured with bench/bz2-decoders.ts (2 shared cores, 30.7 MB of
 * airline CSV, output MB/s per core, best of 3; see the bench header for the table):
 *   lbzip2 -n 1 ~63, bzip2 ~49 (the tools alone); WASM libbz2 ~24 through our block splitter.
 * A child decoder also runs in its own process, beside our parsing. So either tool beats WASM:
 * use lbzip2 if present, else bzip2, else WASM (always there after `npm install`).
 */
export function resolveBz2Decoder(): Bz2DecoderChoice {
  return chooseBz2Decoder(undefined);
}

/** Resolves an explicit option, the DUSK_BZ2_DECODER override, then the measured default. */
export function chooseBz2Decoder(option: Bz2Decoder | undefined): Bz2DecoderChoice & { run?: Bz2Command } {
  const env = process.env['DUSK_BZ2_DECODER']?.trim().toLowerCase() ?? '';
  let wanted: Bz2Decoder = option ?? 'auto';
  let source = option && option !== 'auto' ? `decoder: '${option}' was asked for` : '';
  if (wanted === 'auto' && env !== '' && env !== 'auto') {
    if (env !== 'wasm' && env !== 'system') {
      throw new DuskError(`DUSK_BZ2_DECODER must be 'wasm', 'system' or 'auto', not '${env}'`);
    }
    wanted = env;
    source = `DUSK_BZ2_DECODER=${env}`;
  }
  if (wanted === 'wasm') return { decoder: 'wasm', reason: `${source}: libbz2 compiled to WebAssembly` };
  const tool = findSystemDecoder();
  if (wanted === 'system') {
    if (!tool) throw new DuskError(`${source}, but neither lbzip2 nor bzip2 is on PATH`);
    return { decoder: 'system', command: describe(tool), run: tool, reason: `${source}: ${describe(tool)} found on PATH` };
  }
  if (tool) {
    return {
      decoder: 'system',
      command: describe(tool),
      run: tool,
      reason: `${describe(tool)} is on PATH and decodes faster per core than WASM libbz2 (measured), in a separate process`,
    };
  }
  return { decoder: 'wasm', reason: 'neither lbzip2 nor bzip2 is on PATH: using libbz2 compiled to WebAssembly' };
}

let cached: { path: string; tool: Bz2Command | undefined } | undefined;

/** lbzip2 (single-threaded: the scheduler already runs one task per core), else bzip2. */
export function findSystemDecoder(): Bz2Command | undefined {
  const path = process.env['PATH'] ?? '';
  if (cached?.path === path) return cached.tool;
  let tool: Bz2Command | undefined;
  const lbzip2 = findOnPath('lbzip2', path);
  if (lbzip2) tool = { file: lbzip2, args: ['-d', '-c', '-n', '1'] };
  else {
    const bzip2 = findOnPath('bzip2', path);
    if (bzip2) tool = { file: bzip2, args: ['-d', '-c'] };
  }
  cached = { path, tool };
  return tool;
}

function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function describe(tool: Bz2Command): string {
  return [tool.file, ...tool.args].join(' ');
}
