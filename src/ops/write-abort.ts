import { removeTempDir } from '../io/write/target-dir.js';
import { registerOp } from './registry.js';

/** A write's clean-up when it did not complete (a partition failed): removes its temporary directory. */
export const writeAbortOp = registerOp<{ temp: string }, null>({
  name: 'write-abort',
  local: true,
  async run(args) {
    await removeTempDir(args.temp);
    return null;
  },
});
