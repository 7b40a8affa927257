import { describe, expect, it } from 'vitest';
import { inheritedExecArgv } from '../../src/scheduler/process-spawn.js';

describe('worker processes inherit node options, not the parent script', () => {
  it('drops -e/-p/--eval code, --input-type and debugger options; keeps loaders and limits', () => {
    expect(inheritedExecArgv(['--input-type=module', '-e', 'CODE', '--max-old-space-size=512'])).toEqual(['--max-old-space-size=512']);
    expect(inheritedExecArgv(['--eval=CODE', '--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(inheritedExecArgv(['-p', 'CODE', '--inspect=9229', '--require', 'x.cjs'])).toEqual(['--require', 'x.cjs']);
    expect(inheritedExecArgv(['--input-type', 'module', '--print', 'CODE'])).toEqual([]);
  });
});
