import { DuskSchemaError } from '../core/errors.js';
import type { DType } from '../core/dtypes.js';
import type { EmitContext, ExprType, JsValue } from '../expr/index.js';
import type { LoopPlan } from './cse.js';

/**
 * Collects the pieces of one generated kernel: constants (passed in as values, never written
 * into the code), temporaries, column bindings and the statements of the current block.
 * Everything the generated code names is an identifier made here (K3, t7, c0v); column names
 * and string literals never become identifiers.
 */
export class KernelWriter implements EmitContext {
  readonly constants: unknown[] = [];
  private readonly constantIds = new Map<unknown, string>();
  private readonly tempInits: string[] = [];
  private lines: string[] = [];
  /** Input columns in binding order (c0, c1, ...), with the dtype the kernel was compiled for. */
  readonly columns: { name: string; dtype: DType }[] = [];
  /** Statements run once per batch, after the columns are bound (per-dictionary tables). */
  readonly batchSetup: string[] = [];
  /** Names given to per-batch values, by a key of what they compute, so each is made once. */
  readonly batchValues = new Map<string, string>();
  /** What the loop being written shares between its sub-expressions (see cse.ts); null writes every one out. */
  cse: LoopPlan | null = null;
  /**
   * Values computed earlier in the current row, by sub-expression key: one map per open block,
   * innermost last. A value found here was computed before the current point on every path
   * that reaches it (in this block or one around it), so it can be used instead of recomputed.
   */
  private scopes: Map<string, JsValue>[] = [new Map()];

  constant(value: unknown): string {
    const known = this.constantIds.get(value);
    if (known) return known;
    const id = `K${this.constants.length}`;
    this.constants.push(value);
    this.constantIds.set(value, id);
    return id;
  }

  temp(type?: ExprType): string {
    const id = `t${this.tempInits.length}`;
    this.tempInits.push(type ? this.zero(type) : 'undefined');
    return id;
  }

  emit(statement: string): void {
    this.lines.push(statement);
  }

  block(body: () => void): string {
    const outer = this.lines;
    this.lines = [];
    this.scopes.push(new Map());
    body();
    this.scopes.pop();
    const inner = this.lines.join('\n');
    this.lines = outer;
    return inner;
  }

  /** The body of a row loop: a block that sees no value of another loop (their rows differ). */
  loop(plan: LoopPlan | null, body: () => void): string {
    const outer = { scopes: this.scopes, cse: this.cse };
    this.scopes = [];
    this.cse = plan;
    const inner = this.block(body);
    this.scopes = outer.scopes;
    this.cse = outer.cse;
    return inner;
  }

  /** A value this row already computed for `key`, where the current point may use it. */
  recall(key: string): JsValue | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const value = this.scopes[s]!.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Records a value computed at the current point, for the rest of the current block. */
  remember(key: string, value: JsValue): void {
    this.scopes[this.scopes.length - 1]!.set(key, value);
  }

  zero(type: ExprType): string {
    switch (type) {
      case 'int64':
        return '0n';
      case 'bool':
        return 'false';
      case 'string':
      case 'category':
        return '""';
      default:
        return '0';
    }
  }

  /** The binding index of an input column (c<index>), added on first use. */
  column(name: string, dtype: DType): number {
    const index = this.columns.findIndex((c) => c.name === name);
    if (index >= 0) return index;
    this.columns.push({ name, dtype });
    return this.columns.length - 1;
  }

  /** Declarations of the temporaries (at the top of the kernel, so every block can assign them). */
  tempDeclarations(): string {
    return this.tempInits.length === 0 ? '' : `let ${this.tempInits.map((init, k) => `t${k} = ${init}`).join(', ')};`;
  }
}

/** A number as JS source: finite numbers as literals (parenthesized when negative), NaN and ±Infinity as expressions. */
export function numberSource(value: number): string {
  if (Number.isNaN(value)) return '(0 / 0)';
  if (value === Infinity) return '(1 / 0)';
  if (value === -Infinity) return '(-1 / 0)';
  if (Object.is(value, -0)) return '(-0)';
  if (typeof value !== 'number') throw new DuskSchemaError(`kernel: expected a number literal; got ${typeof value}`);
  const text = String(value);
  return value < 0 ? `(${text})` : text;
}

export function bigintSource(value: bigint): string {
  if (typeof value !== 'bigint') throw new DuskSchemaError(`kernel: expected a bigint literal; got ${typeof value}`);
  return value < 0n ? `(${value.toString()}n)` : `${value.toString()}n`;
}
