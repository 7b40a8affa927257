import { checkTarget, makeTempDir } from '../io/write/target-dir.js';
import { registerOp } from './registry.js';

export interface WriteDirArgs {
  target: string;
  temp: string;
  overwrite: boolean;
  /** The user's call, for messages. */
  call: string;
}

/** Before a write's files: checks the target again (it may have appeared since) and creates the temporary directory. */
export const writeBeginOp = registerOp<WriteDirArgs, null>({
  name: 'write-begin',
  local: true,
  async run(args) {
    checkTarget(args.target, args.overwrite, args.call);
    await makeTempDir(args.temp);
    return null;
  },
});
