import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The remote refused the credentials (or asked for some and none were given). */
export class AuthError extends GitfleetError {
  declare readonly code: 'E_AUTH';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_AUTH', message, options);
    this.name = 'AuthError';
  }
}
