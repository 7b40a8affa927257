import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { tempDirFor } from '../../../io/write/target-dir.js';
import { writeAbortOp } from '../../../ops/write-abort.js';
import { writeBeginOp } from '../../../ops/write-begin.js';
import { writeCommitOp } from '../../../ops/write-commit.js';
import { writePartitionOp } from '../../../ops/write-partition.js';
import { Write } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** part.<i>.<ext>, i zero-padded to the width of the last index: a glob lists the files in partition order. */
export function partFileName(index: number, count: number, extension: string): string {
  return `part.${String(index).padStart(String(Math.max(0, count - 1)).length, '0')}.${extension}`;
}

/**
 * A write: a local task checks the target and creates a temporary directory next to it; one
 * task per partition (on the workers) writes that partition's rows to part.<i>; a local task
 * renames the directory into place once every file is written. If the run ends before that
 * (a partition failed, a worker died), a clean-up removes the temporary directory. Each run
 * gets its own temporary directory.
 */
export const writeLowering = registerLowering({
  node: Write,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
    const { format, target, overwrite, call } = node;
    const extension = format.kind === 'parquet' ? 'parquet' : format.compression === 'gzip' ? 'csv.gz' : 'csv';
    const columns = [...node.input.schema.columns];
    const dtypes = { ...node.input.schema.dtypes };
    return () => {
      const inputs = parts();
      const temp = tempDirFor(target, randomBytes(6).toString('hex'));
      const dirArgs = { target, temp, overwrite, call };
      const token = ['write', temp];
      const begin = planner.add(writeBeginOp, dirArgs, [], `${call}: begin`, token);
      const files = inputs.map((key, i) => {
        const file = partFileName(i, inputs.length, extension);
        return planner.add(writePartitionOp, { format, dir: temp, file, columns, dtypes }, [begin, key], `write ${i + 1}/${inputs.length} ${basename(target)}/${file}`, token);
      });
      const commit = planner.add(writeCommitOp, dirArgs, files, `${call}: commit`, token);
      planner.cleanup(commit, writeAbortOp, { temp }, call, files);
      return [commit];
    };
  },
});
