import type { Argv } from 'yargs';
import { UsageError } from '../../errors/index.js';
import { archivePlan } from '../../messages/archivePlan.js';
import { findThread } from '../../messages/findThread.js';
import { resolveMessage } from '../../messages/resolveMessageId.js';
import { selectMessages, type MessageFilter } from '../../messages/selectMessages.js';
import { resolveFleetSettings } from '../../settings/fleetSettings.js';
import type { Message, Priority } from '../../schema/types.js';
import type { Snapshot } from '../../store/Snapshot.js';
import { parseDuration } from '../../util/duration.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';
import { printMessageList } from '../printMessages.js';
import { messageReader } from './msgMarkCommands.js';
import { sinceArg } from '../sinceArg.js';
import { terminalText } from '../terminalText.js';

function filterOptions<T>(y: Argv<T>) {
  return y
    .option('mine', {
      type: 'boolean',
      default: false,
      describe: 'Your inbox, unread first: messages to you as the operator (op:<name>), or to the server with --server',
    })
    .option('unread', { type: 'boolean', default: false, describe: 'Only messages the reader has not read (needs --server or --mine)' })
    .option('from', { type: 'string', describe: 'Only from this sender (server id or op:<name>)' })
    .option('to', { type: 'string', describe: 'Only to this recipient, exactly as addressed' })
    .option('priority', { choices: ['critical', 'high', 'normal', 'low'] as const, describe: 'Only of this priority' })
    .option('type', { choices: ['info', 'warning', 'error', 'request', 'response', 'heartbeat'] as const, describe: 'Only of this type' })
    .option('tag', { type: 'string', describe: 'Only with this tag' })
    .option('since', { type: 'string', describe: 'Only messages sent since then: a duration (2h, 7d) or a date (2026-11-01)' })
    .option('archived', { type: 'boolean', default: false, describe: 'Look in the archive instead' })
    .option('expired', { type: 'boolean', default: false, describe: 'Include expired messages' })
    .option('limit', { type: 'number', default: 100, describe: 'Show at most this many (1 to 100000)' });
}

async function runFilter(ctx: CommandContext, argv: Record<string, unknown>, text?: string): Promise<void> {
  const fleet = ctx.openFleet();
  const snapshot = await fleet.store.snapshot();
  // The reader whose inbox this is: --server, or with --mine the operator (op:<name>).
  const server = argv.mine ? messageReader(ctx) : ctx.config.server;
  if (argv.unread && !server)
    throw new UsageError('--unread needs the reader whose inbox to read', { hint: 'pass --mine for your own (op:<name>), or --server <id>' });
  const since = sinceArg(argv.since);
  const limit = Number(argv.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UsageError('--limit must be a whole number from 1 to 100000');
  const [messages, receipts, labels] = await Promise.all([
    snapshot.list('message', { archived: Boolean(argv.archived) }).then((r) => r.records),
    server ? snapshot.get('receipts', server) : undefined,
    server && !server.startsWith('op:') ? serverLabels(ctx, snapshot, server) : [],
  ]);
  const filter: MessageFilter = {
    ...(server ? { server, labels } : {}),
    unread: Boolean(argv.unread),
    ...(argv.from ? { from: String(argv.from) } : {}),
    ...(argv.to ? { to: String(argv.to) } : {}),
    ...(argv.priority ? { priority: argv.priority as Priority } : {}),
    ...(argv.type ? { type: argv.type as Message['type'] } : {}),
    ...(argv.tag ? { tag: String(argv.tag) } : {}),
    ...(since ? { since } : {}),
    ...(text !== undefined ? { text } : {}),
    includeExpired: Boolean(argv.expired || argv.archived),
    unreadFirst: Boolean(argv.mine),
    limit,
  };
  printMessageList(ctx, selectMessages(messages, filter, receipts), server ? (receipts ?? { schemaVersion: 1, server, read: {} }) : undefined);
}

/** A server's labels: from its status record, or this machine's config for its own id. */
async function serverLabels(ctx: CommandContext, snapshot: Snapshot, server: string): Promise<string[]> {
  const status = await snapshot.get('status', server);
  return status?.labels ?? (server === ctx.config.server ? ctx.config.labels : []);
}

export const msgListCommand = defineCommand({
  command: 'list',
  describe: 'Messages, critical first: every message, the inbox of --server (to it, its labels, or all), or with --mine your own inbox (unread first)',
  builder: (y) =>
    filterOptions(y)
      .example('gitfleet msg list --mine', 'replies to you (op:<name>), unread first')
      .example('gitfleet msg list --server web-01 --unread', 'what web-01 has not read yet')
      .example('gitfleet msg list --priority critical --since 1d', 'critical messages of the last day'),
  run: (ctx, argv) => runFilter(ctx, argv as Record<string, unknown>),
});

export const msgSearchCommand = defineCommand({
  command: 'search <text>',
  describe: 'Messages whose subject or body contains the text (case-insensitive), with the same filters as list',
  builder: (y) =>
    filterOptions(y)
      .positional('text', { type: 'string', demandOption: true, describe: 'What to look for in subjects and bodies' })
      .example('gitfleet msg search "disk full" --since 7d', 'messages about a full disk in the last week'),
  async run(ctx, argv) {
    if (!argv.text.trim()) throw new UsageError('say what to search for');
    await runFilter(ctx, argv as Record<string, unknown>, argv.text);
  },
});

export const msgThreadCommand = defineCommand({
  command: 'thread <id>',
  describe: 'A whole conversation, oldest first (archived messages included)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: 'Any message of the thread: id or a unique prefix of at least 6 characters' })
      .example('gitfleet msg thread 01jb9f8z3q', 'the message, the replies and what it answers'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const snapshot = await fleet.store.snapshot();
    const start = await resolveMessage(snapshot, argv.id);
    const thread = (await findThread(snapshot, start.id)) ?? [];
    if (ctx.json) {
      ctx.printJson(thread);
      return;
    }
    for (const m of thread) {
      const depth = m.id === m.thread ? 0 : 1;
      const pad = '  '.repeat(depth);
      ctx.io.out(`${pad}${m.createdAt}  ${terminalText(m.from)} -> ${terminalText(m.to)}  [${m.priority}] ${terminalText(m.subject)}  (${m.id})`);
      for (const line of terminalText(m.body ?? '', { multiline: true }).split('\n')) if (line) ctx.io.out(`${pad}    ${line}`);
    }
  },
});

export const msgArchiveCommand = defineCommand({
  command: 'archive',
  describe: 'Move expired messages, and those older than --older-than, to messages/archive/YYYY-MM/',
  builder: (y) =>
    y
      .option('older-than', {
        type: 'string',
        describe: 'Archive messages older than this (e.g. 30d); default: messages.archiveAfterDays in fleet.json (30 days)',
      })
      .example('gitfleet msg archive --older-than 14d', 'archive what is expired or older than two weeks'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    let olderThan: number;
    if (argv['older-than'] !== undefined) {
      const ms = parseDuration(argv['older-than']);
      if (ms === null) throw new UsageError(`--older-than ${JSON.stringify(argv['older-than'])} is not a duration`, { hint: 'e.g. 30d' });
      olderThan = ms;
    } else {
      const settings = resolveFleetSettings((await (await fleet.store.snapshot()).get('fleet')) ?? null, fleet.remote.url);
      olderThan = settings.messages.archiveAfterDays * 86_400_000;
    }
    let moved = 0;
    for (;;) {
      const result = await fleet.store.transact('archive messages', archivePlan(olderThan));
      if (result.status !== 'committed') break;
      moved += result.value?.moved ?? 0;
      if ((result.value?.remaining ?? 0) === 0) break;
    }
    if (ctx.json) ctx.printJson({ moved });
    else ctx.io.out(moved ? `archived ${moved} messages` : 'nothing to archive');
  },
});
