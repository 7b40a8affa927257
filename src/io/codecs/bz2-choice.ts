import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DuskError } from '../../core/errors.js';
import type { Bz2Command } from './bz2-system.js';

export type Bz2Decoder = 'auto' | 'wasm' | 'wasm-libbz2' | 'system';

export interface Bz2DecoderChoice {
  /** 'wasm': Dusk's own block decoder (WebAssembly); 'wasm-libbz2': libbz2 in WebAssembly (the reference). */
  decoder: 'wasm' | 'wasm-libbz2' | 'system';
  /** The program and arguments, when the system decoder is chosen. */
  command?: string;
  reason: string;
}

const DECODERS: readonly Bz2Decoder[] = ['auto', 'wasm', 'wasm-libbz2', 'system'];

/**
 * Which decoder 'auto' means, from bench/bz2-decoders.ts (MB/s of decoded output per CPU-second
 * of every process involved, same-run medians on the 300k-row airline file; bench/README.md,
 * "bz2 decoders"): Dusk's own WASM decoder (bz2-decode.c) decodes faster per core than
 * `lbzip2 -n 1` (and so than bzip2 and WASM libbz2), and needs no process or pipe; so 'auto' is
 * always 'wasm'. Before it, lbzip2 (46–57) beat WASM libbz2 (40–48) and 'auto' chose lbzip2.
 * 'system' still runs lbzip2 or bzip2 when asked for.
 */
export function resolveBz2Decoder(): Bz2DecoderChoice {
  const { decoder, command, reason } = chooseBz2Decoder(undefined);
  return command === undefined ? { decoder, reason } : { decoder, command, reason };
}

/** Resolves an explicit option, the DUSK_BZ2_DECODER override, then the measured default. */
export function chooseBz2Decoder(option: Bz2Decoder | undefined): Bz2DecoderChoice & { run?: Bz2Command } {
  const env = process.env['DUSK_BZ2_DECODER']?.trim().toLowerCase() ?? '';
  let wanted: Bz2Decoder = option ?? 'auto';
  let source = option && option !== 'auto' ? `decoder: '${option}' was asked for` : '';
  if (wanted === 'auto' && env !== '' && env !== 'auto') {
    if (!DECODERS.includes(env as Bz2Decoder)) {
      throw new DuskError(`DUSK_BZ2_DECODER must be 'wasm', 'wasm-libbz2', 'system' or 'auto', not '${env}'`);
    }
    wanted = env as Bz2Decoder;
    source = `DUSK_BZ2_DECODER=${env}`;
  }
  if (wanted === 'wasm') return { decoder: 'wasm', reason: `${source}: Dusk's bz2 decoder in WebAssembly` };
  if (wanted === 'wasm-libbz2') return { decoder: 'wasm-libbz2', reason: `${source}: libbz2 compiled to WebAssembly` };
  if (wanted === 'system') {
    const tool = findSystemDecoder();
    if (!tool) throw new DuskError(`${source}, but neither lbzip2 nor bzip2 is on PATH`);
    return { decoder: 'system', command: describe(tool), run: tool, reason: `${source}: ${describe(tool)} found on PATH` };
  }
  return { decoder: 'wasm', reason: "Dusk's WebAssembly bz2 decoder: faster per core than lbzip2 -n 1, bzip2 and libbz2 (measured), in the worker's own thread" };
}

type FoundDecoder = Bz2Command & { name: 'lbzip2' | 'bzip2' };
let cached: { path: string; tool: FoundDecoder | undefined } | undefined;

/** lbzip2 (single-threaded: the scheduler already runs one task per core), else bzip2. */
export function findSystemDecoder(): FoundDecoder | undefined {
  const path = process.env['PATH'] ?? '';
  if (cached?.path === path) return cached.tool;
  let tool: FoundDecoder | undefined;
  const lbzip2 = findOnPath('lbzip2', path);
  if (lbzip2) tool = { name: 'lbzip2', file: lbzip2, args: ['-d', '-c', '-n', '1'] };
  else {
    const bzip2 = findOnPath('bzip2', path);
    if (bzip2) tool = { name: 'bzip2', file: bzip2, args: ['-d', '-c'] };
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
