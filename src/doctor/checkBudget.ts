import type { BudgetProjection } from '../settings/budgetProjection.js';
import { type CheckResult, ok, warn } from './DoctorCheck.js';

/**
 * The fleet's projected pushes and reads against the host's limits (`gitfleet budget`
 * shows the detail). A warning, never a failure: this machine can still work; the
 * fleet as a whole is what needs changing, and the warning comes before the limit.
 */
export function checkBudget(p: BudgetProjection): CheckResult {
  const what = `projected ${p.pushesPerMinute} pushes/min (host ${p.host.pushesPerMinute}, budget ${p.budget}) and ${p.readsPerSecond} reads/s (host ${p.host.readsPerSecond})`;
  if (p.state === 'ok') return ok('budget', what);
  return warn('budget', `${what}: ${p.problems[0]}`, 'see gitfleet budget for each writer');
}
