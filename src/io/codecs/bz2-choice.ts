import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DuskError } from '../../core/errors.js';
import type { Bz2Command } from './bz2-system.js';

export type Bz2Decoder = 'auto' | 'wasm' | 'system';

export interface Bz2DecoderChoice {
  decoder: 'wasm' | 'system';
  /** The program and arguments, when the system decoder is chosen. */
  command?: string;
  reason: string;
}

/**
 * Which decoder 'auto' means, from bench/bz2-decoders.ts (2 shared cores, the 300k-row airline
 * file: 5.0 MB → 30.7 MB; MB/s of output per CPU-second of every process involved; medians of
 * three 5–7-round runs, which vary ±15% with the load on the shared machine):
 *   lbzip2 -n 1 through our pipe   46–57   (lbzip2 alone 49–62)
 *   WASM libbz2, our block stream  40–48   (≈ WASM libbz2 on the whole file at once: no overhead)
 *   bzip2 through our pipe         27–35   (bzip2 alone 47–52: it writes 4 KiB at a time to a
 *                                           pipe, and draining that costs our side more CPU)
 *   seek-bzip 24–33, unbzip2-stream 8–11 (pure JS)
 * So lbzip2 wins per core (and decodes beside our thread); plain bzip2 loses to WASM, so with
 * only bzip2 on PATH 'auto' stays on WASM. 'system' still accepts bzip2 when asked for.
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
  if (tool?.name === 'lbzip2') {
    return {
      decoder: 'system',
      command: describe(tool),
      run: tool,
      reason: `${tool.file} is on PATH: lbzip2 decodes faster per core than WASM libbz2 (measured), in its own process`,
    };
  }
  return {
    decoder: 'wasm',
    reason: tool
      ? 'lbzip2 is not on PATH; bzip2 is, but through a pipe it decodes slower per core than WASM libbz2 (measured)'
      : 'neither lbzip2 nor bzip2 is on PATH: using libbz2 compiled to WebAssembly',
  };
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
