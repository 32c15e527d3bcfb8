import { runDoctor } from '../../doctor/runDoctor.js';
import type { CheckResult } from '../../doctor/DoctorCheck.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

export const doctorCommand = defineCommand({
  command: 'doctor',
  describe: 'Check this machine against its fleet repository: versions, access, clock, budget, cache, scheduler',
  builder: (y) => y.example('$0 doctor --server web-01', 'check this machine as the agent of web-01 sees it'),
  async run(ctx) {
    // Lines appear as checks finish: a slow remote shows where the time goes.
    const report = await runDoctor(
      ctx.config,
      () => ctx.openFleet(),
      (check) => {
        if (ctx.json) return;
        ctx.io.out(`${MARK[check.status]}  ${check.id.padEnd(11)} ${check.message}${check.fix ? ` -- fix: ${check.fix}` : ''}`);
      },
    );
    if (ctx.json) ctx.printJson(report);
    else {
      const count = (s: CheckResult['status']) => report.checks.filter((c) => c.status === s).length;
      ctx.io.out(
        report.ok
          ? `${report.checks.length === 1 ? 'the check' : `all ${report.checks.length} checks`} passed${count('warn') ? ` (${plural(count('warn'), 'warning')})` : ''}`
          : `${count('fail')} of ${plural(report.checks.length, 'check')} failed (exit ${report.exitCode})`,
      );
    }
    return report.exitCode;
  },
});
