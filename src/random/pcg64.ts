import { PcgBase } from './pcg-base.js';

/** numpy's PCG64: 128-bit LCG with XSL-RR output (numpy's default bit generator). */
export class PCG64 extends PcgBase {
  // Getters, not fields: the base constructor seeds with them before subclass fields exist.
  protected get multiplier(): bigint { return 0x2360ed051fc65da44385df649fccf645n; }
  protected get kernelName(): 'xslrr' { return 'xslrr'; }
}
