import { DuskSchemaError } from '../core/errors.js';
import type { DType } from '../core/dtypes.js';
import type { EmitContext, ExprType } from '../expr/index.js';

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
    body();
    const inner = this.lines.join('\n');
    this.lines = outer;
    return inner;
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
