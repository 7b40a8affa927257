/** Every partition lowering, registered by importing its file: a new one is one file plus one line here. */
export { concatLowering } from './concat.js';
export { hashExchange, shuffleLowering } from './shuffle.js';
export { partitionListLowering, partitionLowering } from './partition.js';
export { mapPartitionsLowering } from './map-partitions.js';
export { loweringFor, registerLowering, type Emit, type PartitionLowering, type PartitionPlanner, type PartsEmit, type ShuffleSpill } from './lowering.js';
