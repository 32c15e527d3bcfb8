import { UsageError } from '../../errors/index.js';
import { composeJob } from '../../jobs/composeJob.js';
import { submitJobPlan } from '../../jobs/operatorPlans.js';
import type { Job, Priority } from '../../schema/types.js';
import { parseDuration } from '../../util/duration.js';
import { parseBytes } from '../../util/parseBytes.js';
import { defineCommand } from '../GitfleetCommand.js';
import { terminalText } from '../terminalText.js';
import { raiseIfRefused } from './raiseIfRefused.js';

export const jobSubmitCommand = defineCommand({
  command: 'submit <kind>',
  describe: "Queue a job of a kind the agents run (the command itself lives in each agent's config)",
  builder: (y) =>
    y
      .positional('kind', { type: 'string', demandOption: true, describe: 'The kind of job (gitfleet job kinds lists what the servers run)' })
      .option('param', { alias: 'p', type: 'string', array: true, describe: 'A parameter, name=value (repeatable)' })
      .option('priority', {
        choices: ['critical', 'high', 'normal', 'low'] as const,
        default: 'normal' as const,
        describe: 'Higher priorities are assigned first',
      })
      .option('label', { type: 'string', array: true, describe: 'Only on servers with this label (repeatable)' })
      .option('os', { type: 'string', array: true, describe: 'Only on this platform (linux, darwin, win32; repeatable)' })
      .option('min-cores', { type: 'number', describe: 'Only on servers with at least this many CPU cores' })
      .option('min-memory', { type: 'string', describe: 'e.g. 4GiB' })
      .option('on', { type: 'string', array: true, describe: 'Only on these servers (repeatable)' })
      .option('depends-on', { type: 'string', array: true, describe: 'Run after these jobs succeed (repeatable)' })
      .option('max-attempts', { type: 'number', describe: 'Give up (dead) after this many attempts (default from fleet.json)' })
      .option('timeout', { type: 'string', describe: 'e.g. 30m' })
      .option('not-before', { type: 'string', describe: 'Not before this time: a delay (10m) or a date' })
      .example('$0 job submit demo.build -p target=main --label linux', 'build main on any linux server')
      .example('$0 job submit backup --on db-01 --not-before 2h', 'run on db-01, two hours from now'),
  async run(ctx, argv) {
    const job = composeJob({
      kind: argv.kind!,
      params: parseParams(argv.param ?? []),
      priority: argv.priority as Priority,
      constraints: constraints(argv),
      ...(argv['depends-on'] ? { dependsOn: argv['depends-on'].map(String) } : {}),
      ...(argv['max-attempts'] !== undefined ? { maxAttempts: wholeNumber('--max-attempts', argv['max-attempts'], 1, 100) } : {}),
      ...(argv.timeout !== undefined ? { timeoutSeconds: seconds('--timeout', argv.timeout) } : {}),
      ...(argv['not-before'] !== undefined ? { notBefore: futureTime(argv['not-before']) } : {}),
      createdBy: ctx.operatorActor(),
    });
    const fleet = ctx.openFleet();
    const result = await fleet.store.transact(`job ${job.id}: submit ${job.kind}`, submitJobPlan(job));
    if (result.status === 'aborted' && result.code === 'bad-params') throw paramsError(result.reason, result.data);
    raiseIfRefused(result);
    const refusedBy = 'value' in result ? (result.value?.refusedBy ?? []) : [];
    // Some servers that run the kind would refuse it: the job still runs, on one of the others.
    if (refusedBy.length > 0 && !ctx.json)
      ctx.io.err(
        `gitfleet: ${refusedBy.map((r) => r.server).join(', ')} ${refusedBy.length === 1 ? 'runs' : 'run'} ${job.kind} but would refuse these parameters (${terminalText(refusedBy[0]!.problem)}); it can only run elsewhere`,
      );
    if (ctx.json)
      ctx.printJson({
        id: job.id,
        kind: job.kind,
        state: job.state,
        commit: 'commit' in result ? result.commit : null,
        ...(refusedBy.length ? { refusedBy } : {}),
      });
    else ctx.io.out(job.id);
  },
});

/** The refusal of a job's parameters: the pattern and a valid invocation, in one line each (patterns come from the repository). */
function paramsError(reason: string, data: Record<string, unknown> | undefined): UsageError {
  const example = typeof data?.example === 'string' ? data.example : undefined;
  const pattern = typeof data?.pattern === 'string' ? data.pattern : undefined;
  const hint = [
    pattern !== undefined && !reason.includes(pattern) ? `${String(data?.param)} must match ${pattern}` : '',
    example ? `e.g. ${example}` : '',
    'see gitfleet job kinds',
  ]
    .filter(Boolean)
    .join('; ');
  return new UsageError(terminalText(reason), { hint: terminalText(hint) });
}

function parseParams(list: (string | number)[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const item of list.map(String)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${JSON.stringify(item.slice(0, 80))} is not name=value`, { hint: 'e.g. --param target=release' });
    const name = item.slice(0, eq);
    if (name in params) throw new UsageError(`--param ${name} is given twice`);
    params[name] = item.slice(eq + 1);
  }
  return params;
}

function constraints(argv: {
  label?: (string | number)[];
  os?: (string | number)[];
  'min-cores'?: number;
  'min-memory'?: string;
  on?: (string | number)[];
}): Job['constraints'] {
  const c: NonNullable<Job['constraints']> = {};
  if (argv.label?.length) c.labels = [...new Set(argv.label.map(String))];
  if (argv.os?.length) c.os = [...new Set(argv.os.map((o) => String(o).toLowerCase()))];
  if (argv['min-cores'] !== undefined) c.minCores = wholeNumber('--min-cores', argv['min-cores'], 1, 65536);
  if (argv['min-memory'] !== undefined) {
    const bytes = parseBytes(argv['min-memory']);
    if (bytes === null || bytes < 1) throw new UsageError(`--min-memory ${JSON.stringify(argv['min-memory'])} is not a size`, { hint: 'e.g. 512MiB or 4GiB' });
    c.minMemoryBytes = bytes;
  }
  if (argv.on?.length) c.servers = [...new Set(argv.on.map(String))];
  return c;
}

function wholeNumber(flag: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return value;
}

function seconds(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms < 1000 || ms > 604_800_000)
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not a duration from 1s to 7d`, { hint: 'e.g. 90s, 30m, 2h' });
  return Math.round(ms / 1000);
}

function futureTime(text: string): Date {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(Date.now() + ms);
  const date = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? new Date(text.trim()) : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new UsageError(`--not-before ${JSON.stringify(text)} is not a delay or a date`, { hint: 'e.g. 10m or 2026-12-01T08:00:00Z' });
  return date;
}
