import { tokenize } from '../../graph/tokenize.js';
import type { ConsumerSpec } from '../../kernels/consumer.js';
import type { Source } from '../../sources/source.js';

/**
 * One read of a source per compute call: every consumer of the source (filters, derived
 * columns, reductions, group-bys, collects, across all the targets of the call) is fed by the
 * same pass over each partition. Equal consumers are kept once.
 */
export class SharedScan {
  readonly columns: string[] = [];
  readonly consumers: ConsumerSpec[] = [];
  private readonly byToken = new Map<string, number>();
  private keys: string[] | null = null;

  constructor(readonly source: Source) {}

  static keyOf(source: Source): string {
    return tokenize(source.kind, source.fingerprint, source.format);
  }

  /**
   * Adds a consumer reading `columns`; returns its index among the scan's results. Statistics
   * of one column after the same pipeline share one accumulator, widened to what every user
   * needs (min, max and std of a column: one pass over its values).
   */
  addConsumer(columns: readonly string[], consumer: ConsumerSpec): number {
    if (this.keys !== null) throw new Error('internal: a consumer was added to a scan already lowered');
    for (const c of columns) if (!this.columns.includes(c)) this.columns.push(c);
    const { sink } = consumer;
    const token = sink.kind === 'stats' ? tokenize('stats', consumer.pipeline, sink.column) : tokenize(consumer);
    const found = this.byToken.get(token);
    if (found !== undefined) {
      const kept = this.consumers[found]!.sink;
      if (kept.kind === 'stats' && sink.kind === 'stats') {
        this.consumers[found] = { ...this.consumers[found]!, sink: { ...kept, countOnly: kept.countOnly && sink.countOnly, squares: kept.squares || sink.squares } };
      }
      return found;
    }
    const index = this.consumers.push(consumer) - 1;
    this.byToken.set(token, index);
    return index;
  }

  /** The columns to read, in the source's order. */
  readColumns(): string[] {
    return this.source.schema.columns.filter((c) => this.columns.includes(c));
  }

  get lowered(): string[] | null {
    return this.keys;
  }
  set lowered(keys: string[]) {
    this.keys = keys;
  }
}
