import type { ColumnBatch } from '../core/column-data.js';
import type { ConsumerSpec } from '../kernels/consumer.js';
import { sinkFor } from '../kernels/consumer.js';
import { withDevice } from '../gpu/device.js';
import { gpuRunOptions } from '../gpu/limits.js';
import { planGpuPipeline } from '../gpu/pipeline-wgsl.js';
import { runMapBatch, runReduceBatches } from '../gpu/run-pipeline.js';
import { registerOp } from './registry.js';

export interface GpuConsumeArgs {
  consumer: ConsumerSpec;
  /** The input is a scan's partials (one per consumer): take this one. null: the input is the rows. */
  pick: number | null;
  /** float64 columns read as f32 (gpuFloat32). */
  float32: boolean;
}

/**
 * A consumer's pipeline on the GPU, for one partition: a statistics sink as one fused
 * filter → expression → partial-reduce kernel (only per-workgroup partials come back), other
 * sinks fed with the rows the map kernel computed. Runs on the calling process (the GPU lane),
 * holding the device; the partial is the same kind the CPU consumer gives, so combine and
 * finish are unchanged.
 */
export const gpuConsumeOp = registerOp<GpuConsumeArgs, unknown>({
  name: 'gpu-consume',
  local: true,
  run(args, deps) {
    const input = deps[0] as unknown;
    const batches = (args.pick === null ? input : (input as unknown[])[args.pick]) as ColumnBatch[];
    const { pipeline, sink } = args.consumer;
    if (pipeline === null) throw new Error('internal: a GPU consumer needs a pipeline');
    return withDevice(async (gpu) => {
      if (sink.kind === 'stats') {
        const output = pipeline.outputs.find((o) => o.name === sink.column)!;
        const plan = planGpuPipeline({ input: pipeline.input, filter: pipeline.filter, outputs: [output] }, 'reduce', args.float32);
        return runReduceBatches(gpu, plan, batches, sink.squares, gpuRunOptions());
      }
      const plan = planGpuPipeline(pipeline, 'map', args.float32);
      const s = sinkFor(sink);
      let acc = s.init(sink);
      for (const batch of batches) acc = s.update(sink, acc, await runMapBatch(gpu, plan, batch, gpuRunOptions()));
      return s.seal(sink, acc);
    });
  },
});
