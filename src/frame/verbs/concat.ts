import { DuskSchemaError } from '../../core/errors.js';
import { col } from '../../expr/index.js';
import { Concat, Select } from '../../plan/logical/index.js';
import { DataFrame } from '../data-frame.js';

/**
 * The rows of several frames one after the other (Dask's dd.concat, axis 0): the result's
 * partitions are the inputs' partitions in order. Columns are lined up by name (each frame
 * must have the same columns, in any order, with the same dtypes).
 */
export function concat(frames: readonly DataFrame[]): DataFrame {
  if (!Array.isArray(frames as unknown) || frames.length === 0) throw new DuskSchemaError('concat needs a non-empty array of frames: ddf.concat([a, b])');
  frames.forEach((f, i) => {
    if (!(f instanceof DataFrame)) throw new DuskSchemaError(`concat: item ${i} is not a Dusk DataFrame`);
  });
  const names = frames[0]!.columns;
  const plans = frames.map((frame, i) => {
    const columns = frame.columns;
    const missing = names.filter((c) => !columns.includes(c));
    const extra = columns.filter((c) => !names.includes(c));
    if (missing.length > 0 || extra.length > 0) {
      const what = [missing.length > 0 ? `lacks ${missing.join(', ')}` : '', extra.length > 0 ? `has ${extra.join(', ')} that frame 0 lacks` : ''].filter(Boolean).join(' and ');
      throw new DuskSchemaError(`concat: frame ${i} ${what}; select or add columns so every frame has the same ones`);
    }
    const sameOrder = columns.every((c, j) => c === names[j]);
    return sameOrder ? frame.plan : new Select(frame.plan, names.map((name) => ({ name, expr: col(name).node })));
  });
  return new DataFrame(plans.length === 1 ? plans[0]! : new Concat(plans));
}
