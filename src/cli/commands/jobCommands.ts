import { UsageError } from '../../errors/index.js';
import { resolveFleetSettings } from '../../settings/fleetSettings.js';
import { explainWaiting } from '../../jobs/explainWaiting.js';
import { isHeld } from '../../jobs/jobLifecycle.js';
import { jobStats } from '../../jobs/jobStats.js';
import { cancelJobPlan, retryJobPlan } from '../../jobs/operatorPlans.js';
import { resolveJob } from '../../jobs/resolveJob.js';
import { selectJobs } from '../../jobs/selectJobs.js';
import type { JobState, Priority } from '../../schema/types.js';
import { formatDuration } from '../../util/duration.js';
import { commaList } from '../commaList.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';
import { printJob, printJobList } from '../printJobs.js';
import { JOB_FIELDS } from '../recordFields.js';
import { sinceArg } from '../sinceArg.js';
import { raiseIfRefused } from './raiseIfRefused.js';

const STATES = ['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'dead'] as const;
const ID = 'The job id (or a unique prefix of it)';

export const jobListCommand = defineCommand({
  command: 'list',
  describe: 'Jobs, newest first, with filters',
  builder: (y) =>
    y
      .option('state', { choices: STATES, array: true, coerce: commaList, describe: 'Only in these states (repeatable, or a,b)' })
      .option('kind', { type: 'string', describe: 'Only jobs of this kind' })
      .option('on', { type: 'string', describe: 'Only jobs held by (or last run on) this server' })
      .option('priority', { choices: ['critical', 'high', 'normal', 'low'] as const, describe: 'Only jobs of this priority' })
      .option('since', { type: 'string', describe: 'Created since, e.g. 2h or 2026-11-01' })
      .option('archived', { type: 'boolean', default: false, describe: 'List the archive (jobs finished long ago) instead' })
      .option('limit', { type: 'number', default: 100, describe: 'At most this many jobs' })
      .example('$0 job list --state queued,running', 'the jobs waiting or running')
      .example('$0 job list --json=id,state,kind', 'three fields of each job, as JSON'),
  async run(ctx, argv) {
    const since = sinceArg(argv.since);
    if (!Number.isInteger(argv.limit) || argv.limit < 1 || argv.limit > 1_000_000) throw new UsageError('--limit must be a whole number from 1 to 1000000');
    const snapshot = await ctx.openFleet().store.snapshot();
    const { records, invalid } = await snapshot.list('job', { archived: argv.archived });
    printJobList(
      ctx,
      selectJobs(records, {
        ...(argv.state ? { states: argv.state as JobState[] } : {}),
        ...(argv.kind ? { kind: argv.kind } : {}),
        ...(argv.on ? { server: argv.on } : {}),
        ...(argv.priority ? { priority: argv.priority as Priority } : {}),
        ...(since ? { since } : {}),
        limit: argv.limit,
      }),
    );
    if (invalid.length > 0 && !ctx.json)
      ctx.io.err(`gitfleet: ${invalid.length === 1 ? '1 job file is' : `${invalid.length} job files are`} invalid (see gitfleet validate)`);
  },
});

export const jobShowCommand = defineCommand({
  command: 'show <id>',
  describe: 'One job: its state, attempts, result and output tail (and why it waits, if it does)',
  builder: (y) => y.positional('id', { type: 'string', demandOption: true, describe: ID }).example('$0 job show 7f3a9c', 'a job by a unique prefix of its id'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const snapshot = await fleet.store.snapshot();
    const job = await resolveJob(snapshot, argv.id!);
    let waiting: string | undefined;
    if (job.state === 'queued' || job.state === 'failed') {
      const [status, jobs, fleetRecord] = await Promise.all([snapshot.list('status'), snapshot.list('job'), snapshot.get('fleet')]);
      const load = new Map<string, number>();
      for (const j of jobs.records) if (isHeld(j) && j.assignment) load.set(j.assignment.server, (load.get(j.assignment.server) ?? 0) + 1);
      waiting = explainWaiting(job, status.records, load, resolveFleetSettings(fleetRecord, fleet.remote.url));
    }
    if (ctx.json) ctx.printJson(waiting ? { ...job, waiting } : job, { known: [...JOB_FIELDS, 'waiting'] });
    else printJob(ctx, job, waiting);
  },
});

export const jobStatsCommand = defineCommand({
  command: 'stats',
  describe: 'Queue depth per priority, states, wait p50/p95 and failure rate',
  builder: (y) => y.option('since', { type: 'string', describe: 'Only jobs created since, e.g. 24h' }).example('$0 job stats --since 24h', 'the last day'),
  async run(ctx, argv) {
    const since = sinceArg(argv.since);
    const snapshot = await ctx.openFleet().store.snapshot();
    const stats = jobStats((await snapshot.list('job')).records, since ? { since } : {});
    if (ctx.json) {
      ctx.printJson(stats);
      return;
    }
    const ms = (v: number | null) => (v === null ? '-' : formatDuration(v));
    const s = stats.byState;
    ctx.io.out(
      [
        `jobs:       ${stats.total}`,
        `waiting:    critical ${stats.depth.critical}, high ${stats.depth.high}, normal ${stats.depth.normal}, low ${stats.depth.low}`,
        `in flight:  ${s.assigned} assigned, ${s.running} running`,
        `finished:   ${s.succeeded} succeeded, ${s.dead} dead, ${s.cancelled - stats.refused} cancelled, ${stats.refused} refused by their servers (${s.failed} failed, waiting to retry)`,
        `wait:       p50 ${ms(stats.waitMs.p50)}, p95 ${ms(stats.waitMs.p95)} (creation to first start, ${plural(stats.waitMs.count, 'job')})`,
        `attempts:   ${stats.attempts.finished} finished, ${stats.attempts.failed} failed${stats.attempts.failureRate === null ? '' : ` (${(stats.attempts.failureRate * 100).toFixed(1)} %)`}, ${stats.attempts.lost} lost with their server`,
      ].join('\n'),
    );
  },
});

export const jobCancelCommand = defineCommand({
  command: 'cancel <id>',
  describe: 'Cancel a job (a running one is stopped by its server)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: ID })
      .option('reason', { type: 'string', describe: 'Why, one line (shown with the job)' })
      .example('$0 job cancel 7f3a9c --reason "wrong target"', 'cancel it, saying why'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const job = await resolveJob(await fleet.store.snapshot(), argv.id!);
    if (argv.reason !== undefined && (argv.reason.length > 150 || /[\u0000-\u001f]/.test(argv.reason)))
      throw new UsageError('--reason must be one line of at most 150 characters');
    const result = await fleet.store.transact(`job ${job.id}: cancel`, cancelJobPlan(job.id, ctx.operatorActor(), argv.reason));
    raiseIfRefused(result);
    // The job as the cancel left it, from the attempt that landed (no second read).
    const after = 'value' in result ? result.value : undefined;
    if (ctx.json) ctx.printJson({ id: job.id, state: after?.state, cancelRequested: Boolean(after?.cancel) });
    else
      ctx.io.out(
        after?.state === 'running' ? `${job.id}: cancel requested; ${after.assignment?.server} stops it at its next poll` : `${job.id}: ${after?.state}`,
      );
  },
});

export const jobRetryCommand = defineCommand({
  command: 'retry <id>',
  describe: 'Queue a dead, failed or cancelled job again, with a fresh budget of attempts',
  builder: (y) => y.positional('id', { type: 'string', demandOption: true, describe: ID }).example('$0 job retry 7f3a9c', 'queue it again'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const job = await resolveJob(await fleet.store.snapshot(), argv.id!);
    raiseIfRefused(await fleet.store.transact(`job ${job.id}: retry`, retryJobPlan(job.id)));
    if (ctx.json) ctx.printJson({ id: job.id, state: 'queued' });
    else ctx.io.out(`${job.id}: queued again`);
  },
});
