import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A transaction's plan threw; nothing was written. */
export class PlanError extends GitfleetError {
  declare readonly code: 'E_PLAN_FAILED';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_PLAN_FAILED', message, options);
    this.name = 'PlanError';
  }
}
