import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** git failed in a way gitfleet does not recognise; the message carries git's own words. */
export class GitCommandError extends GitfleetError {
  declare readonly code: 'E_GIT';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_GIT', message, options);
    this.name = 'GitCommandError';
  }
}
