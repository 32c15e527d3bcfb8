import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The remote has no such branch yet: the fleet repository is not initialised. */
export class BranchNotFoundError extends GitfleetError {
  declare readonly code: 'E_BRANCH_NOT_FOUND';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_BRANCH_NOT_FOUND', message, options);
    this.name = 'BranchNotFoundError';
  }
}
