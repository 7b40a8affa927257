import { DuskSchemaError } from '../core/errors.js';

export type Compression = 'bz2' | 'gzip' | 'none';
export type CompressionOption = Compression | 'infer';

/** Chooses the codec from the option, or from the file extension when 'infer'. */
export function resolveCompression(path: string, option: CompressionOption = 'infer'): Compression {
  if (option !== 'infer') {
    if (option !== 'bz2' && option !== 'gzip' && option !== 'none') {
      throw new DuskSchemaError(`compression must be 'infer', 'bz2', 'gzip' or 'none', not '${String(option)}'`);
    }
    return option;
  }
  const lower = path.toLowerCase();
  if (lower.endsWith('.bz2') || lower.endsWith('.bz')) return 'bz2';
  if (lower.endsWith('.gz') || lower.endsWith('.gzip')) return 'gzip';
  return 'none';
}
