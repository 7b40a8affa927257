import type { ColumnBatch, ColumnData } from '../../core/column-data.js';
import { emptyColumn } from '../../core/column-from-values.js';
import { DuskError } from '../../core/errors.js';
import { concatColumns } from '../../kernels/concat.js';
import { type LogicalPlan, PartitionList, Scan } from '../../plan/logical/index.js';
import { forgetNow, forgetWhenCollected } from '../memory-lifetime.js';
import { MemoryTable } from '../../sources/memory/memory-source.js';
import { DataFrame } from '../data-frame.js';
import { shareColumn } from '../from-memory.js';
import { Lazy } from '../lazy.js';

/** The sources persist made: unpersist frees only these. */
const persisted = new WeakSet<MemoryTable>();

/**
 * A frame computed and kept in memory (DataFrame.persist): awaited (or computed with options),
 * a DataFrame over the partitions, held in shared memory and read by every worker from there.
 */
export class LazyPersisted extends Lazy<DataFrame> {
  constructor(readonly plan: PartitionList) {
    super();
  }
  finish(raw: unknown): DataFrame {
    return persistedFrame(raw as ColumnBatch[][], this.plan);
  }
}

/** The plan of frame.persist(). */
export function persist(frame: DataFrame): LazyPersisted {
  return new LazyPersisted(new PartitionList(frame.plan));
}

/**
 * The partitions' rows as whole columns in shared memory (one copy), cut back into the same
 * partitions: a frame with the original's partition count and boundaries, whose scan opens no file.
 */
function persistedFrame(parts: ColumnBatch[][], plan: PartitionList): DataFrame {
  const { columns: names, dtypes } = plan.schema;
  const lengths = parts.map((batches) => batches.reduce((n, b) => n + b.length, 0));
  const columns: Record<string, ColumnData> = {};
  for (const name of names) {
    const pieces: ColumnData[] = [];
    parts.forEach((batches, i) => {
      for (const batch of batches) {
        if (batch.length === 0) continue;
        const at = batch.names.indexOf(name);
        if (at < 0) throw new DuskError(`internal: persist: partition ${i} lacks column '${name}' (it has ${batch.names.join(', ')})`);
        pieces.push(batch.columns[at]!);
      }
    });
    columns[name] = shareColumn(pieces.length === 0 ? emptyColumn(dtypes[name]!) : concatColumns(pieces));
  }
  const rows = lengths.reduce((a, b) => a + b, 0);
  const source = new MemoryTable(columns, lengths, `persisted data (${rows} rows computed from: ${plan.input.describe()})`);
  persisted.add(source);
  return DataFrame.fromSource(forgetWhenCollected(source));
}

/**
 * Frees the persisted data a frame reads (DataFrame.unpersist): the source lets go of its
 * columns and every pool and worker forgets them. Frames over it fail to compute from then on.
 */
export function unpersist(frame: DataFrame): void {
  const seen = new Set<LogicalPlan>();
  const visit = (node: LogicalPlan): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node instanceof Scan && node.source instanceof MemoryTable && persisted.has(node.source) && !node.source.released) {
      node.source.release();
      forgetNow(node.source);
    }
    node.children().forEach(visit);
  };
  visit(frame.plan);
}
