import { PcgBase } from './pcg-base.js';

/** numpy's PCG64DXSM: 128-bit LCG with the 64-bit "cheap" multiplier and DXSM output. */
export class PCG64DXSM extends PcgBase {
  // Getters, not fields: the base constructor seeds with them before subclass fields exist.
  protected get multiplier(): bigint { return 0xda942042e4dd58b5n; }
  protected get kernelName(): 'dxsm' { return 'dxsm'; }
}
