import { UsageError } from '../../errors/index.js';
import { BUILD_HINT, looksLikeBuild } from '../../import/looksLikeBuild.js';
import { fleetOverview, readOverviewInputs, type ServerRow } from '../../status/fleetOverview.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { sleep } from '../../util/sleep.js';
import type { CommandContext } from '../CommandContext.js';
import { formatTable } from '../formatTable.js';
import { plural } from '../plural.js';
import { SERVER_ROW_FIELDS } from '../recordFields.js';
import { terminalText } from '../terminalText.js';
import { defineCommand } from '../GitfleetCommand.js';
import { STATUS_OPTIONS } from './statusOptions.js';

const OPTIONS = STATUS_OPTIONS;
const COLORS: Record<string, string> = {
  offline: '31',
  failing: '31',
  invalid: '35',
  suspect: '33',
  degraded: '33',
  unknown: '90',
  maintenance: '36',
  healthy: '32',
};

export const statusCommand = defineCommand({
  command: 'status',
  describe: 'The fleet at a glance: health, last seen, CPU, memory, disk and jobs per server, worst first',
  builder: (y) => y.options(OPTIONS).example('gitfleet status --health offline', 'the servers that stopped reporting'),
  plainOptions: OPTIONS,
  async run(ctx, argv) {
    const interval = parseDuration(argv.interval);
    if (interval === null || interval < 1000) throw new UsageError(`--interval ${JSON.stringify(argv.interval)} is not a duration of at least 1s`);
    const fleet = ctx.openFleet();
    const warned = new Set<string>();
    const render = async () => {
      // While the fetch runs, the records the cache held before it: those that have not
      // changed since are then parsed and checked already (docs/decisions.md). Its errors
      // are dropped: the read of the fetched head reports what is wrong.
      void fleet.store
        .snapshotBeforeFetch()
        .then((before) => before && readOverviewInputs(before))
        .catch(() => undefined);
      const snapshot = await fleet.store.snapshot();
      const { rows, warnings } = await fleetOverview(snapshot, fleet.remote.url, { uptimeDays: ctx.json });
      // An empty fleet that is a Build repository: say so instead of "no servers have reported"
      // (on stderr with --json, so the output stays an empty list).
      const foreign = rows.length === 0 && looksLikeBuild((await snapshot.tree()).map((e) => e.path));
      if (foreign && ctx.json) warnings.push(BUILD_HINT);
      // Once per run, on stderr: --json output stays clean, and a watch does not repeat it.
      for (const w of warnings) if (!warned.has(w) && warned.add(w)) ctx.io.err(`gitfleet: warning: ${terminalText(w)}`);
      const shown = rows.filter((r) => (!argv.label || r.labels.includes(argv.label)) && (!argv.health || r.health === argv.health));
      return { rows: shown, all: rows, foreign };
    };
    const filters = { label: argv.label, health: argv.health };
    if (!argv.watch) {
      const { rows, all, foreign } = await render();
      print(ctx, rows, all, filters, false, foreign);
      return;
    }
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    while (!stop.signal.aborted) {
      const { rows, all, foreign } = await render();
      if (ctx.io.isTty && !ctx.json) ctx.terminal.out('\x1b[H\x1b[2J');
      print(ctx, rows, all, filters, true, foreign);
      await sleep(interval, stop.signal).catch(() => undefined);
    }
  },
});

interface Filters {
  label: string | undefined;
  health: string | undefined;
}

function print(ctx: CommandContext, rows: ServerRow[], all: ServerRow[], filters: Filters, watching: boolean, foreign: boolean): void {
  if (ctx.json) {
    ctx.printJson(rows, { compact: watching, known: SERVER_ROW_FIELDS });
    return;
  }
  const color = (state: string) => (ctx.io.isTty ? `\x1b[${COLORS[state] ?? '0'}m${state}\x1b[0m` : state);
  const pct = (n: number | null) => (n === null ? '-' : `${Math.round(n)}%`);
  if (rows.length === 0) {
    ctx.io.out(
      all.length === 0 ? (foreign ? BUILD_HINT : 'no servers have reported yet (start an agent: gitfleet agent --server <id>)') : noMatch(all, filters),
    );
    return;
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.health, (counts.get(r.health) ?? 0) + 1);
  const table = formatTable(rows, [
    { header: 'SERVER', value: (r) => r.server + (r.draining ? ' (draining)' : '') },
    { header: 'HEALTH', value: (r) => r.health },
    {
      header: 'LAST SEEN',
      value: (r) => (r.ageSeconds === null ? '-' : ctx.args.iso && r.updatedAt ? ctx.time(r.updatedAt) : `${formatDuration(r.ageSeconds * 1000)} ago`),
      align: 'right',
    },
    { header: 'CPU', value: (r) => pct(r.cpuPercent), align: 'right' },
    { header: 'MEM', value: (r) => pct(r.memoryPercent), align: 'right' },
    { header: 'DISK', value: (r) => pct(r.diskPercent), align: 'right' },
    { header: 'LOAD', value: (r) => (r.load1 === null ? '-' : r.load1.toFixed(2)), align: 'right' },
    // From jobs/, not the server's last report: a failover or a dead server's jobs show at once.
    { header: 'JOBS', value: (r) => String(r.heldJobs), align: 'right' },
    // Availability over 30 days, maintenance left out (status --json has the days).
    { header: 'UP 30D', value: (r) => uptimeCell(r.uptime?.pct30 ?? null), align: 'right' },
    { header: 'WHY', value: (r) => r.reasons.join('; '), max: 70 },
  ]);
  // Colour after layout, so escape codes do not skew the column widths.
  // The cells went through terminalText in formatTable; only our colours are raw.
  ctx.terminal.out(
    ctx.io.isTty ? table.replace(/ (offline|failing|invalid|suspect|degraded|unknown|maintenance|healthy) /g, (_m, s: string) => ` ${color(s)} `) : table,
  );
  const shownOf = rows.length === all.length ? '' : ` (of ${all.length})`;
  ctx.io.out(
    `${plural(rows.length, 'server')}${shownOf}: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}${watching ? `  (${new Date().toISOString().slice(11, 19)})` : ''}`,
  );
}

/** "99.95%", "100%", or - with no data. */
function uptimeCell(pct: number | null): string {
  if (pct === null) return '-';
  return pct === 100 ? '100%' : `${pct.toFixed(pct >= 99 ? 2 : 1)}%`;
}

/** Says that the filters matched nothing, and what there is: a filter is not "nobody reported". */
function noMatch(all: ServerRow[], filters: Filters): string {
  const asked = [filters.label ? `--label ${filters.label}` : '', filters.health ? `--health ${filters.health}` : ''].filter(Boolean).join(' ');
  const labels = [...new Set(all.flatMap((r) => r.labels))].sort();
  const healths = [...new Set(all.map((r) => r.health))];
  const known =
    filters.label && !labels.includes(filters.label) ? `labels in the fleet: ${labels.join(', ') || 'none'}` : `states in the fleet: ${healths.join(', ')}`;
  return terminalText(`no server matches ${asked} (${plural(all.length, 'server')} reported; ${known})`);
}
