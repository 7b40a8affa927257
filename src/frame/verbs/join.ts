import { DuskSchemaError } from '../../core/errors.js';
import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { Join, type JoinHow, type JoinStrategy, LogicalPlan } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';

export interface JoinOptions {
  /** 'inner' (default), 'left', 'right', 'outer', 'semi' (left rows with a match, once each) or 'anti' (left rows without). */
  how?: JoinHow;
  /** Key column(s) with the same name on both sides (each appears once in the result). */
  on?: string | string[];
  /** The left frame's key column(s), paired with rightOn (both are kept in the result). */
  leftOn?: string | string[];
  /** The right frame's key column(s), paired with leftOn. */
  rightOn?: string | string[];
  /** Added to a right column's name that the left frame already has (default '_right'). */
  suffix?: string;
  /**
   * 'auto' (default): broadcast a small side (estimated under 32 MiB), else shuffle both;
   * 'broadcast': send one side whole to every partition of the other (the right side of a
   * left/semi/anti join, the left side of a right join, the smaller of an inner join's; not
   * possible for outer joins); 'shuffle': hash both sides by their keys.
   */
  strategy?: JoinStrategy;
}

const JOIN_OPTION_KEYS = ['how', 'on', 'leftOn', 'rightOn', 'suffix', 'strategy'] as const satisfies readonly (keyof JoinOptions)[];
true satisfies ListsEveryKey<JoinOptions, typeof JOIN_OPTION_KEYS>;

function keyList(value: string | string[], option: string): string[] {
  const list = [value].flat();
  if (list.length === 0 || list.some((k) => typeof k !== 'string')) throw new DuskSchemaError(`join: ${option} must be a column name or a non-empty array of names`);
  return list;
}

/** The plan of frame.join(other, options). */
export function join(frame: DataFrame, other: DataFrame, options: JoinOptions): LogicalPlan {
  if (typeof other !== 'object' || other === null || !((other as { plan?: unknown }).plan instanceof LogicalPlan)) throw new DuskSchemaError('join: the first argument must be a Dusk DataFrame (the right side)');
  checkOptions('join', options, JOIN_OPTION_KEYS, { aliases: { left_on: 'leftOn', right_on: 'rightOn', suffixes: 'suffix', type: 'how', broadcast: 'strategy' } });
  const { how = 'inner', on, leftOn, rightOn, suffix = '_right', strategy = 'auto' } = options;
  if (on !== undefined && (leftOn !== undefined || rightOn !== undefined)) throw new DuskSchemaError('join: pass either on, or leftOn with rightOn, not both');
  if (on === undefined && (leftOn === undefined || rightOn === undefined)) {
    throw new DuskSchemaError(on === undefined && leftOn === undefined && rightOn === undefined ? 'join: say which columns to join on: { on: key } or { leftOn: key, rightOn: key }' : `join: ${leftOn === undefined ? 'rightOn needs leftOn' : 'leftOn needs rightOn'}`);
  }
  if (typeof suffix !== 'string' || suffix === '') throw new DuskSchemaError(`join: suffix must be a non-empty string, not ${JSON.stringify(suffix)}`);
  const leftKeys = keyList(on ?? leftOn!, on !== undefined ? 'on' : 'leftOn');
  const rightKeys = keyList(on ?? rightOn!, on !== undefined ? 'on' : 'rightOn');
  if (leftKeys.length !== rightKeys.length) throw new DuskSchemaError(`join: leftOn has ${leftKeys.length} columns but rightOn has ${rightKeys.length}; they pair up one by one`);
  const via = on !== undefined ? 'on' : 'leftOn';
  for (const k of leftKeys) if (!frame.columns.includes(k)) throw unknownColumnError(k, frame.columns, ` in join's left frame (${via})`);
  for (const k of rightKeys) if (!other.columns.includes(k)) throw unknownColumnError(k, other.columns, ` in join's right frame (${on !== undefined ? 'on' : 'rightOn'})`);
  return new Join(frame.plan, other.plan, { how, leftKeys, rightKeys, sharedKeys: on !== undefined, suffix, strategy });
}
