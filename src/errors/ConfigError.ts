import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The configuration (file, environment or flags) is missing something or is malformed. */
export class ConfigError extends GitfleetError {
  declare readonly code: 'E_CONFIG';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_CONFIG', message, options);
    this.name = 'ConfigError';
  }
}
