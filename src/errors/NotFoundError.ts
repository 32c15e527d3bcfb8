import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A record or object that was asked for does not exist. */
export class NotFoundError extends GitfleetError {
  declare readonly code: 'E_NOT_FOUND';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}
