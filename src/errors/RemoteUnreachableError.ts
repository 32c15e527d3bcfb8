import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The remote could not be reached (DNS, connection, TLS, timeout, or a path that does not exist). */
export class RemoteUnreachableError extends GitfleetError {
  declare readonly code: 'E_UNREACHABLE';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_UNREACHABLE', message, options);
    this.name = 'RemoteUnreachableError';
  }
}
