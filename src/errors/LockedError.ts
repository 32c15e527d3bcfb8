import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** Another live process holds the local cache for longer than we may wait. */
export class LockedError extends GitfleetError {
  declare readonly code: 'E_LOCKED';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_LOCKED', message, options);
    this.name = 'LockedError';
  }
}
