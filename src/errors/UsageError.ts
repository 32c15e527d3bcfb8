import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A flag or argument is wrong; the hint says how to call the command. */
export class UsageError extends GitfleetError {
  declare readonly code: 'E_USAGE';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_USAGE', message, options);
    this.name = 'UsageError';
  }
}
