import { DuskIoError } from '../../core/errors.js';
import { streamHeaderLevel } from './bz2-blocks.js';

/**
 * The "not a bz2 file" check, shared by every decoder path so that each reports it the same
 * way (a child bzip2 would only say "(stdin) is not a bzip2 file").
 * Returns an error for `head` (the file's first bytes; at least 4 unless the file is shorter),
 * or undefined when it starts with "BZh1".."BZh9".
 */
export function bz2SignatureError(head: Uint8Array, path: string): DuskIoError | undefined {
  if (head.length >= 4 && streamHeaderLevel(head) !== 0) return undefined;
  const found = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const message =
    head.length === 0
      ? 'not a bz2 file: the file is empty'
      : `not a bz2 file: it does not start with the bz2 signature "BZh1".."BZh9" (found bytes ${found})`;
  return new DuskIoError(`${path}: ${message} (compressed byte 0)`, { path, offset: 0 });
}
