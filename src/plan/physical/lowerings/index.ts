/** Every partition lowering, registered by importing its file: a new one is one file plus one line here. */
export { concatLowering } from './concat.js';
export { hashExchange, shuffleLowering } from './shuffle.js';
export { loweringFor, registerLowering, type Emit, type PartitionLowering, type PartitionPlanner, type PartsEmit } from './lowering.js';
export { writeLowering, partFileName } from './write.js';
