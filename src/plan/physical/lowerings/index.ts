/** Every partition lowering, registered by importing its file: a new one is one file plus one line here. */
export { concatLowering } from './concat.js';
export { exchangeParts, hashExchange, isHashPartitioned, shuffleLowering } from './shuffle.js';
export { partitionListLowering, partitionLowering } from './partition.js';
export { mapPartitionsLowering } from './map-partitions.js';
export { groupApplyLowering } from './group-apply.js';
export { sortLowering } from './sort.js';
export { topKLowering } from './top-k.js';
export { dropDuplicatesLowering } from './drop-duplicates.js';
export { sampleLowering } from './sample.js';
export { joinLowering } from './join.js';
export { loweringFor, registerLowering, type Emit, type PartitionLowering, type PartitionPlanner, type PartsEmit, type ShuffleSpill } from './lowering.js';
export { writeLowering, partFileName } from './write.js';
