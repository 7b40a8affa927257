import { DuskError } from '../core/errors.js';

/**
 * Bad input to dusk/random. `numpyType` names the exception numpy raises for the same input
 * (ValueError, TypeError, OverflowError) so ports of Python code can map them one to one.
 */
export class DuskRandomError extends DuskError {
  override name = 'DuskRandomError';
  readonly numpyType: 'ValueError' | 'TypeError' | 'OverflowError';
  constructor(message: string, numpyType: 'ValueError' | 'TypeError' | 'OverflowError' = 'ValueError') {
    super(message);
    this.numpyType = numpyType;
  }
}
