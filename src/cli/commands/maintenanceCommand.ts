import { NotFoundError, UsageError } from '../../errors/index.js';
import { maintenancePlan, type MaintenanceOutcome } from '../../settings/maintenancePlan.js';
import { MAX_WINDOW_MS, occurrences, resolveWindows } from '../../settings/maintenanceWindows.js';
import { readFleetRecord } from '../../settings/readFleetRecord.js';
import { isValidId } from '../../store/recordPaths.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { newId } from '../../util/ids.js';
import type { CommandContext } from '../CommandContext.js';
import { formatTable } from '../formatTable.js';
import { defineCommand } from '../GitfleetCommand.js';
import { raiseIfRefused } from './raiseIfRefused.js';

/** A server id, label:<label> or all: what a window may cover. */
function targetArg(value: unknown): string {
  const text = String(value ?? '');
  const id = text.startsWith('label:') ? text.slice(6) : text;
  if (text !== 'all' && !isValidId(id))
    throw new UsageError(`${JSON.stringify(text.slice(0, 70))} is not a server id, label:<label> or all`, {
      hint: 'a server id or label is a DNS label: lowercase letters, digits and -',
    });
  return text;
}

export const maintenanceCommand = defineCommand({
  command: 'maintenance [target]',
  describe: 'Put servers in maintenance for a while (no failover, no notifications, left out of uptime), end it early, or list the windows',
  builder: (y) =>
    y
      .positional('target', { type: 'string', describe: 'A server id, label:<label> or all (none: list the windows)' })
      .option('for', { type: 'string', describe: 'How long, e.g. 2h or 90m (at most 7d)' })
      .option('reason', { type: 'string', describe: 'Why, shown next to the state' })
      .option('end', { type: 'boolean', default: false, describe: "End the target's open window now" })
      .example('$0 maintenance web-01 --for 2h --reason "kernel update"', 'web-01 shows as in maintenance for two hours')
      .example('$0 maintenance label:gpu --end', 'end the open window of the gpu servers now')
      .example('$0 maintenance', 'list the windows in fleet.json'),
  async run(ctx, argv) {
    if (argv.target === undefined) {
      if (argv.for !== undefined || argv.end) throw new UsageError('--for and --end need a target (a server id, label:<label> or all)');
      return listWindows(ctx);
    }
    const target = targetArg(argv.target);
    if (argv.end === (argv.for !== undefined)) throw new UsageError('give either --for <duration> or --end', { hint: 'gitfleet maintenance --help' });
    const fleet = ctx.openFleet();
    if (argv.end) {
      const result = await fleet.store.transact(`maintenance ${target} end`, maintenancePlan({ kind: 'end', target, by: ctx.operatorActor() }));
      if (result.status === 'aborted' && result.code === 'not-found') throw new NotFoundError(result.reason, { hint: 'gitfleet maintenance lists the windows' });
      raiseIfRefused(result);
      const outcome = (result as { value: MaintenanceOutcome }).value;
      if (ctx.json) ctx.printJson({ target, ended: outcome.windows, pruned: outcome.pruned });
      else ctx.io.out(`${target}: maintenance ended`);
      return;
    }
    const durationMs = parseDuration(argv.for ?? '');
    if (durationMs === null || durationMs < 60_000 || durationMs > MAX_WINDOW_MS)
      throw new UsageError(`--for ${JSON.stringify(String(argv.for).slice(0, 40))} is not a duration between 1m and 7d`, { hint: 'e.g. --for 2h' });
    const reason = argv.reason?.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
    const change = { kind: 'start' as const, target, durationMs, by: ctx.operatorActor(), id: `m-${newId()}`, ...(reason ? { reason } : {}) };
    const result = await fleet.store.transact(`maintenance ${target} for ${formatDuration(durationMs)}`, maintenancePlan(change));
    raiseIfRefused(result);
    const outcome = (result as { value: MaintenanceOutcome }).value;
    const window = outcome.windows[0]!;
    if (ctx.json) ctx.printJson({ target, window, pruned: outcome.pruned });
    else ctx.io.out(`${target}: in maintenance for ${formatDuration(durationMs)}, until ${utcMinute(window.end!)}${reason ? `: ${reason}` : ''}`);
  },
});

/** "2026-11-30 19:06 UTC": an end an operator can tell a colleague (a relative age would be stale by then). */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The windows of fleet.json: open and coming ones, and those ended within the last week. */
async function listWindows(ctx: CommandContext): Promise<void> {
  const fleet = ctx.openFleet();
  const record = await readFleetRecord(await fleet.store.snapshot());
  const list = record.state === 'valid' ? (record.fleet.maintenance ?? []) : [];
  const { windows, warnings } = resolveWindows(list);
  for (const w of warnings) ctx.io.err(`gitfleet: warning: fleet.json: ${w}`);
  const now = Date.now();
  const rows = windows.map((w) => {
    // The occurrence open now, else the next one within four weeks, else the last.
    const [next] = occurrences(w, now, now + 28 * 86_400_000);
    const span = next ?? (w.start !== null && w.end !== null ? ([w.start, Math.min(w.end, w.start + MAX_WINDOW_MS)] as const) : null);
    const state = !span ? 'ended' : span[0] <= now && now < span[1] ? 'open' : span[0] > now ? 'coming' : 'ended';
    return {
      id: w.window.id ?? null,
      target: w.window.target,
      state,
      start: span ? new Date(span[0]).toISOString() : null,
      end: span ? new Date(span[1]).toISOString() : null,
      weekly: w.window.weekly ?? null,
      reason: w.window.reason ?? null,
      by: w.window.by ?? null,
    };
  });
  if (ctx.json) {
    ctx.printJson(rows);
    return;
  }
  if (rows.length === 0) {
    ctx.io.out('no maintenance windows (start one: gitfleet maintenance <server|label:L|all> --for 2h)');
    return;
  }
  ctx.terminal.out(
    formatTable(rows, [
      { header: 'TARGET', value: (r) => r.target },
      { header: 'STATE', value: (r) => r.state },
      { header: 'START', value: (r) => (r.start ? ctx.time(r.start) : '-') },
      { header: 'END', value: (r) => (r.end ? ctx.time(r.end) : '-') },
      { header: 'REPEATS', value: (r) => (r.weekly ? `weekly ${r.weekly.days.join(',')} ${r.weekly.at} UTC, ${r.weekly.minutes}m` : '-') },
      { header: 'REASON', value: (r) => r.reason ?? '', max: 50 },
    ]),
  );
}
