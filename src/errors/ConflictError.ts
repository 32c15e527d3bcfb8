import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A transaction kept losing the race for the branch until its time ran out; nothing of it was applied. */
export class ConflictError extends GitfleetError {
  declare readonly code: 'E_CONFLICT';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_CONFLICT', message, options);
    this.name = 'ConflictError';
  }
}
