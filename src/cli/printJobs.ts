import type { Job } from '../schema/types.js';
import { lastServer } from '../jobs/selectJobs.js';
import { shownReason, shownState } from '../jobs/shownState.js';
import { formatDuration } from '../util/duration.js';
import type { CommandContext } from './CommandContext.js';
import { formatTable } from './formatTable.js';
import { JOB_FIELDS } from './recordFields.js';
import { terminalText } from './terminalText.js';

export function printJobList(ctx: CommandContext, jobs: Job[]): void {
  if (ctx.json) {
    ctx.printJson(jobs, { known: JOB_FIELDS });
    return;
  }
  if (jobs.length === 0) {
    ctx.io.out('no jobs');
    return;
  }
  ctx.io.out(
    formatTable(jobs, [
      { header: 'ID', value: (j) => j.id },
      { header: 'KIND', value: (j) => j.kind, max: 24 },
      { header: 'STATE', value: (j) => shownState(j) + (j.cancel && j.state === 'running' ? ' (cancelling)' : '') },
      { header: 'PRIORITY', value: (j) => j.priority },
      { header: 'ATTEMPTS', value: (j) => String(j.attempts), align: 'right' },
      { header: 'SERVER', value: (j) => lastServer(j) ?? '-' },
      { header: 'CREATED', value: (j) => ctx.time(j.createdAt), align: 'right' },
      { header: 'REASON', value: (j) => shownReason(j) ?? '', max: 60 },
    ]),
  );
}

/** One job in full: fields, attempts, result and output tail. */
export function printJob(ctx: CommandContext, job: Job, waiting?: string): void {
  const t = (v: unknown) => terminalText(v);
  const lines = [
    `id:        ${job.id}`,
    `kind:      ${t(job.kind)}    priority: ${job.priority}`,
    `state:     ${shownState(job)}${job.reason ? ` (${t(shownReason(job))})` : ''}`,
    `params:    ${
      Object.entries(job.params)
        .map(([k, v]) => `${k}=${t(v)}`)
        .join(' ') || '-'
    }`,
    `created:   ${ctx.time(job.createdAt)} by ${t(job.createdBy)}`,
    `attempts:  ${job.attempts}${job.maxAttempts ? ` of ${job.maxAttempts}` : ''}    failures: ${job.failures ?? 0}    lost: ${job.lostLeases ?? 0}`,
  ];
  if (job.dependsOn?.length) lines.push(`after:     ${job.dependsOn.join(', ')}`);
  if (job.constraints) lines.push(`needs:     ${t(JSON.stringify(job.constraints))}`);
  if (job.notBefore) lines.push(`not before: ${ctx.time(job.notBefore)}`);
  if (job.retryAt) lines.push(`retry at:  ${ctx.time(job.retryAt)}`);
  if (job.assignment)
    lines.push(
      `held by:   ${job.assignment.server} (attempt ${job.assignment.attempt}, claim ${job.assignment.claimId}, assigned ${ctx.time(job.assignment.assignedAt)}${job.assignment.startedAt ? `, started ${ctx.time(job.assignment.startedAt)}` : ''})`,
    );
  if (job.cancel)
    lines.push(
      `cancel:    requested by ${t(job.cancel.requestedBy)} ${ctx.time(job.cancel.requestedAt)}${job.cancel.reason ? `: ${t(job.cancel.reason)}` : ''}`,
    );
  if (waiting) lines.push(`waiting:   ${t(waiting)}`);
  ctx.io.out(lines.join('\n'));
  if (job.history?.length) {
    ctx.io.out('\nattempts:');
    ctx.io.out(
      formatTable(job.history, [
        { header: '#', value: (h) => String(h.attempt), align: 'right' },
        { header: 'SERVER', value: (h) => h.server ?? '-' },
        { header: 'STARTED', value: (h) => ctx.time(h.startedAt) },
        { header: 'ENDED', value: (h) => ctx.time(h.endedAt) },
        { header: 'OUTCOME', value: (h) => h.outcome },
        { header: 'EXIT', value: (h) => (h.exitCode === undefined || h.exitCode === null ? '-' : String(h.exitCode)), align: 'right' },
        { header: 'REASON', value: (h) => h.reason ?? '', max: 70 },
      ]),
    );
  }
  if (job.result) {
    ctx.io.out(
      `\nresult: exit ${job.result.exitCode ?? '-'}${job.result.signal ? ` (${job.result.signal})` : ''}, ${formatDuration(job.result.durationMs ?? 0)}, finished ${ctx.time(job.result.finishedAt)}${job.result.logPath ? `\nfull log on the server: ${t(job.result.logPath)}` : ''}`,
    );
    if (job.result.outputTail) ctx.io.out(`\noutput (tail):\n${terminalText(job.result.outputTail, { multiline: true })}`);
  }
}
