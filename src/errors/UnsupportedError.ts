import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The chosen backend or platform cannot do what was asked. */
export class UnsupportedError extends GitfleetError {
  declare readonly code: 'E_UNSUPPORTED';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_UNSUPPORTED', message, options);
    this.name = 'UnsupportedError';
  }
}
