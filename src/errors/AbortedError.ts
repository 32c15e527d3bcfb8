import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A transaction's plan decided not to write (for example: already claimed). */
export class AbortedError extends GitfleetError {
  declare readonly code: 'E_ABORTED';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_ABORTED', message, options);
    this.name = 'AbortedError';
  }
}
