import { existsSync, lstatSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DuskIoError } from '../../core/errors.js';

/**
 * A write's directory dance: files go to a temporary directory next to the target, which is
 * renamed into place only once every file is complete; an old directory is replaced (with
 * overwrite) only then, and a failed write removes the temporary directory. Readers of the
 * target never see half a result.
 */

/** The temporary directory of one write (a dot-file next to the target: same filesystem, so the rename is atomic). */
export function tempDirFor(target: string, id: string): string {
  return join(dirname(target), `.${basename(target)}.dusk-tmp-${id}`);
}

/**
 * Refuses a target that exists unless `overwrite`, and, even with overwrite, a target that holds
 * the current directory (replacing it would delete the caller's work). `where` names the call.
 */
export function checkTarget(target: string, overwrite: boolean, where: string): void {
  const path = resolve(target);
  const fromCwd = relative(path, process.cwd());
  if (fromCwd === '' || (!fromCwd.startsWith('..') && !fromCwd.startsWith(sep) && !/^[a-zA-Z]:/.test(fromCwd))) {
    throw new DuskIoError(`${where}: '${target}' is the current directory or holds it; write to a new directory inside it`, { path });
  }
  if (!existsSync(path)) return;
  if (!overwrite) throw new DuskIoError(`${where}: '${target}' already exists; pass { overwrite: true } to replace it (it is replaced only once the new files are complete)`, { path });
  if (!lstatSync(path).isDirectory()) throw new DuskIoError(`${where}: '${target}' exists and is not a directory; overwrite replaces only a directory that an earlier write made`, { path });
}

/** Creates the temporary directory (and the target's parents). */
export async function makeTempDir(temp: string): Promise<void> {
  try {
    await mkdir(dirname(temp), { recursive: true });
    await mkdir(temp);
  } catch (cause) {
    throw new DuskIoError(`cannot create the temporary directory '${temp}': ${(cause as Error).message}`, { path: temp }, { cause });
  }
}

/**
 * Renames the complete temporary directory to the target. With overwrite, an existing target is
 * first moved aside, and deleted only once the new directory is in place (put back if that fails).
 */
export async function commitDir(temp: string, target: string, overwrite: boolean, where: string): Promise<void> {
  checkTarget(target, overwrite, where);
  const aside = existsSync(target) ? `${temp}-old` : null;
  try {
    if (aside !== null) await rename(target, aside);
    try {
      await rename(temp, target);
    } catch (cause) {
      if (aside !== null) await rename(aside, target);
      throw cause;
    }
  } catch (cause) {
    throw new DuskIoError(`${where}: cannot move the written files into '${target}': ${(cause as Error).message}`, { path: target }, { cause });
  }
  if (aside !== null) await rm(aside, { recursive: true, force: true, maxRetries: 3 });
}

/** Removes a failed write's temporary directory (retrying while a stopped worker's last write lands). */
export async function removeTempDir(temp: string): Promise<void> {
  await rm(temp, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}
