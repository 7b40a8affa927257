import type { Writable } from 'node:stream';
import { concatBytes } from '../concat-bytes.js';
import { DuskIoError } from '../../core/errors.js';
import { bz2SignatureError } from './bz2-signature.js';

/** A decoder program found on PATH and the arguments that make it decode stdin to stdout. */
export interface Bz2Command {
  file: string;
  args: string[];
}

/**
 * Output held back until this much more has arrived. bzip2 writes a block's bytes before it
 * checks the block's CRC, so the last block it wrote may be garbage when it then fails; holding
 * back more than one block's output (900 kB at level 9, unless long runs expand it) lets the
 * failure surface before any unverified bytes reach the parser, whose own error would mask it.
 */
const HOLD_BACK_BYTES = 1 << 20;
/** Keep only the start of the child's stderr: its first lines say what went wrong. */
const STDERR_KEEP = 4096;

/**
 * Decodes with an external program (lbzip2 or bzip2): our compressed bytes go to its stdin while
 * we read its stdout, so decoding runs in another process, in parallel with our parsing.
 * Its failure (exit status, stderr) becomes a DuskIoError; stopping early kills and reaps it.
 */
export async function* decodeBz2System(compressed: AsyncIterable<Uint8Array>, path: string, command: Bz2Command): AsyncGenerator<Uint8Array> {
  const source = compressed[Symbol.asyncIterator]();
  // Check the signature ourselves so every decoder path reports a non-bz2 file the same way.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 4) {
    const r = await source.next();
    if (r.done) break;
    head.push(r.value);
    headBytes += r.value.length;
  }
  const signatureError = bz2SignatureError(concatBytes(head), path);
  if (signatureError) {
    await source.return?.();
    throw signatureError;
  }

  // Loaded here, not at import: only a bz2 read with a system decoder spawns one.
  const child = process.getBuiltinModule('node:child_process').spawn(command.file, command.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
    child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_KEEP) stderr += s;
  });
  // Writes after the child exits fail with EPIPE; the exit status is the error worth reporting.
  child.stdin.on('error', () => undefined);

  let fed = 0;
  let stopped = false;
  let sourceError: unknown;
  const feeding = (async () => {
    try {
      for (const chunk of head) {
        if (stopped || !(await write(child.stdin, chunk))) return;
        fed += chunk.length;
      }
      for (;;) {
        if (stopped) return;
        const r = await source.next();
        if (r.done) break;
        if (stopped || !(await write(child.stdin, r.value))) return;
        fed += r.value.length;
      }
      child.stdin.end();
    } catch (err) {
      // Reading the file failed: that error, not the decoder's, is the one to report.
      sourceError = err;
      child.kill('SIGKILL');
    } finally {
      // Close the file. Never reject: this promise is awaited only later.
      await Promise.resolve(source.return?.()).catch(() => undefined);
    }
  })();

  let finished = false;
  try {
    // The pipe's chunks go to the parser as they are (joining them was a copy of every byte).
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const out of child.stdout as AsyncIterable<Buffer>) {
      pending.push(out);
      pendingBytes += out.length;
      while (pendingBytes - pending[0]!.length >= HOLD_BACK_BYTES) {
        const next = pending.shift()!;
        pendingBytes -= next.length;
        yield next;
      }
    }
    const exit = await closed;
    await feeding;
    if (sourceError !== undefined) throw sourceError;
    if (exit.spawnError) {
      throw new DuskIoError(`${path}: cannot run the bz2 decoder '${command.file}': ${exit.spawnError.message}`, { path }, { cause: exit.spawnError });
    }
    if (exit.code !== 0) throw childFailure(path, command, exit.code, exit.signal, stderr, fed);
    // The held-back tail only after a successful exit.
    yield* pending;
    finished = true;
  } finally {
    if (!finished) {
      // Stopped early or failed: end the child now and wait until it is reaped (no zombies),
      // and let the feeder close the file.
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child.stdin.destroy();
      child.stdout.destroy();
      await closed;
      await feeding;
    }
  }
}

/** Writes a chunk, waiting while the pipe is full; false if the pipe closed meanwhile. */
function write(stream: Writable, chunk: Uint8Array): Promise<boolean> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve(false);
  if (stream.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}

function childFailure(path: string, command: Bz2Command, code: number | null, signal: NodeJS.Signals | null, stderr: string, fed: number): DuskIoError {
  const text = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 2)
    .join(' ');
  const lower = text.toLowerCase();
  // Name the problem the way the WASM path does; the tool's own words follow.
  const kind = /ends unexpectedly|unexpected end/.test(lower)
    ? 'truncated bz2 file'
    : /integrity|crc|data error|corrupt/.test(lower)
      ? 'corrupt bz2 data'
      : 'bz2 decoding failed';
  const status = signal ? `killed by ${signal}` : `exit status ${code}`;
  return new DuskIoError(
    `${path}: ${kind}: ${command.file} ${command.args.join(' ')} failed (${status}): ${text || 'no message'} ` +
      `(compressed byte ${fed}: bytes given to the decoder when it failed; it does not report the block)`,
    { path, offset: fed },
  );
}
