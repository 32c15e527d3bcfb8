import type { GitfleetCommand } from '../GitfleetCommand.js';

/**
 * One top-level command as `gitfleet --help` lists it, and how to load it. The table is
 * light on purpose: a run imports only the module of the command it runs (and with it
 * that command's dependencies), so `gitfleet --version` or a cron `agent --once` does
 * not pay for loading every other command. `command` and `describe` must equal the
 * loaded command's own (src/cli/commands/index.test.ts checks).
 */
export interface CommandEntry {
  /** The yargs command string: the name, then its positionals. */
  command: string;
  describe: string;
  load: () => Promise<GitfleetCommand<any>>;
}

/** Every top-level command, in the order `gitfleet --help` lists them. Adding a command is one entry. */
export const commands: CommandEntry[] = [
  {
    command: 'status',
    describe: 'The fleet at a glance: health, last seen, CPU, memory, disk and jobs per server, worst first',
    load: async () => (await import('./statusCommand.js')).statusCommand,
  },
  {
    command: 'msg',
    describe: 'Messages between operators and servers: send, list, show, read, reply, thread, search, ack, archive',
    load: async () => (await import('./msgCommand.js')).msgCommand,
  },
  { command: 'job', describe: 'Jobs: submit, list, show, cancel, retry, stats, kinds', load: async () => (await import('./jobCommand.js')).jobCommand },
  {
    command: 'agent',
    describe: "Report this server's status: a daemon, or one run (--once) for cron, systemd timers, Task Scheduler or launchd",
    load: async () => (await import('./agentCommand.js')).agentCommand,
  },
  {
    command: 'coordinator',
    describe: "Assign queued jobs, fail over dead servers' jobs, hold the coordinator lease (run two for a standby)",
    load: async () => (await import('./coordinatorCommand.js')).coordinatorCommand,
  },
  {
    command: 'drain <server>',
    describe: 'Give a server no new jobs; it finishes the ones it has',
    load: async () => (await import('./drainCommands.js')).drainCommand,
  },
  { command: 'undrain <server>', describe: 'Let a drained server take jobs again', load: async () => (await import('./drainCommands.js')).undrainCommand },
  {
    command: 'failover <server>',
    describe: 'Take every job a server holds back to the queue now, and drain it (a late result from it is rejected)',
    load: async () => (await import('./drainCommands.js')).failoverCommand,
  },
  {
    command: 'maintenance [target]',
    describe: 'Put servers in maintenance for a while (no failover, no notifications, left out of uptime), end it early, or list the windows',
    load: async () => (await import('./maintenanceCommand.js')).maintenanceCommand,
  },
  {
    command: 'migrate',
    describe: 'Shard the archives (layout 2) so no folder passes 3,000 entries; batch by batch, safe while the fleet runs',
    load: async () => (await import('./migrateCommand.js')).migrateCommand,
  },
  {
    command: 'init',
    describe: 'Prepare a fleet repository: fleet.json and the status/, messages/ and jobs/ folders',
    load: async () => (await import('./initCommand.js')).initCommand,
  },
  {
    command: 'validate',
    describe: 'Check every record of the fleet repository against its schema and path rules',
    load: async () => (await import('./validateCommand.js')).validateCommand,
  },
  {
    command: 'doctor',
    describe: 'Check this machine against its fleet repository: versions, access, clock, budget, cache, scheduler',
    load: async () => (await import('./doctorCommand.js')).doctorCommand,
  },
  {
    command: 'import <system>',
    describe: 'Import another fleet system into gitfleet records in one commit (Build: servers, messages, jobs), with a report',
    load: async () => (await import('./importCommand.js')).importCommand,
  },
  {
    command: 'log',
    describe: 'Who changed what: the history of the fleet repository, newest first',
    load: async () => (await import('./logCommand.js')).logCommand,
  },
  {
    command: 'budget',
    describe: "Projected pushes a minute and git reads a second of the whole fleet, writer by writer, against the host's limits",
    load: async () => (await import('./budgetCommand.js')).budgetCommand,
  },
  {
    command: 'compact',
    describe: 'Fold old history into one snapshot commit (same content; needs force-push rights; running agents recover)',
    load: async () => (await import('./compactCommand.js')).compactCommand,
  },
  {
    command: 'notify',
    describe:
      "Post pending events (critical messages, dead servers, dead jobs) once to each fleet.json webhook, at its destination in this machine's config (notify)",
    load: async () => (await import('./notifyCommand.js')).notifyCommand,
  },
  {
    command: 'snapshot',
    describe: "Write the fleet's live records to <dir>/snapshot.json, for the dashboard's first paint (GitHub Pages)",
    load: async () => (await import('./snapshotCommand.js')).snapshotCommand,
  },
  {
    command: 'site',
    describe: 'Write the static dashboard site for GitHub Pages into <dir>: the dashboard, snapshot.json, dashboard.json and status badges',
    load: async () => (await import('./siteCommand.js')).siteCommand,
  },
  {
    command: 'serve',
    describe: 'Serve the dashboard with live data from the fleet repository, until Ctrl-C',
    load: async () => (await import('./serveCommand.js')).serveCommand,
  },
  {
    command: 'relay',
    describe: "Serve one site's agents: fold their heartbeats into one push a period, and serve them the fleet fetched once a period",
    load: async () => (await import('./relayCommand.js')).relayCommand,
  },
  {
    command: 'metrics',
    describe: "Print the fleet's Prometheus metrics (what serve's /metrics shows), or write them for node_exporter's textfile collector",
    load: async () => (await import('./metricsCommand.js')).metricsCommand,
  },
  {
    command: 'start',
    describe: 'Run a whole fleet locally: a fleet repository served on loopback (npm start)',
    load: async () => (await import('./startCommand.js')).startCommand,
  },
  {
    command: 'completion [shell]',
    describe: 'Print a bash or zsh completion script: source <(gitfleet completion)',
    load: async () => (await import('./completionCommand.js')).completionCommand,
  },
];

/** The words that select a command: the first word of its command string. */
export function commandName(entry: Pick<CommandEntry, 'command'>): string {
  return entry.command.split(' ')[0]!;
}
