import { NotFoundError } from '../../errors/index.js';
import { messageReceipts } from '../../messages/messageReceipts.js';
import { receiptsPlan, type ReceiptKind } from '../../messages/receiptsPlan.js';
import { resolveMessage } from '../../messages/resolveMessageId.js';
import type { Message } from '../../schema/types.js';
import type { Snapshot } from '../../store/Snapshot.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';
import { printMessage } from '../printMessages.js';

/** Who reads and acknowledges: the server (--server), or else the operator as op:<name>. */
export function messageReader(ctx: CommandContext): string {
  return ctx.config.server ?? ctx.operatorActor();
}

const ID_DESCRIBE = 'The message id (or a unique prefix of at least 6 characters)';

export const msgReadCommand = defineCommand({
  command: 'read <id>',
  describe: 'Show a message and record that you have read it: as the server with --server, else as the operator (op:<name>)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: ID_DESCRIBE })
      .example('gitfleet msg read 01jb9f8z3q', 'read a message as the operator (it leaves your unread list)')
      .example('gitfleet msg read 01jb9f8z3q --server web-01', 'record that the server web-01 has read it'),
  async run(ctx, argv) {
    const reader = messageReader(ctx);
    const fleet = ctx.openFleet(reader);
    const snapshot = await fleet.store.snapshot();
    const message = await resolveMessage(snapshot, argv.id);
    // An archived message keeps no receipts (they are dropped as it is archived): only show it.
    const marked = (await snapshot.has('message', message.id)) ? await mark(fleet, reader, [message.id], 'read') : null;
    // Shown as of the commit that holds the receipt: no third fetch.
    await show(ctx, marked ? fleet.store.snapshotAt(marked) : snapshot, message);
  },
});

export const msgShowCommand = defineCommand({
  command: 'show <id>',
  describe: 'Show a message with who has had it delivered, read and acknowledged; marks nothing',
  builder: (y) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: ID_DESCRIBE })
      .example('gitfleet msg show 01jb9f8z3q', 'the message and its receipts, without marking it read'),
  async run(ctx, argv) {
    const snapshot = await ctx.openFleet().store.snapshot();
    await show(ctx, snapshot, await resolveMessage(snapshot, argv.id));
  },
});

export const msgAckCommand = defineCommand({
  command: 'ack <id..>',
  describe: 'Acknowledge messages (implies read): as the server with --server, else as the operator (op:<name>)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', array: true, demandOption: true, describe: 'Message ids (or unique prefixes of at least 6 characters)' })
      .example('gitfleet msg ack 01jb9f8z3q', 'acknowledge a message as the operator')
      .example('gitfleet msg ack 01jb9f8z3q 01jb9f9a7c --server web-01', 'acknowledge two messages as the server web-01'),
  async run(ctx, argv) {
    const reader = messageReader(ctx);
    const fleet = ctx.openFleet(reader);
    const snapshot = await fleet.store.snapshot();
    const ids: string[] = [];
    for (const id of argv.id) ids.push((await resolveMessage(snapshot, id)).id);
    await mark(fleet, reader, ids, 'acked');
    // `server` names the reader as the receipts record does (op:<name> for an operator).
    if (ctx.json) ctx.printJson({ server: reader, acked: ids });
    else ctx.io.out(`${reader} acknowledged ${ids.join(', ')}`);
  },
});

/** A message with its receipts from every reader, servers and operators alike. */
async function show(ctx: CommandContext, snapshot: Snapshot, message: Message): Promise<void> {
  const [receipts, servers] = await Promise.all([snapshot.list('receipts'), snapshot.list('status')]);
  const marks = messageReceipts(message, receipts.records, servers.records);
  if (ctx.json) ctx.printJson({ ...message, receipts: marks });
  else printMessage(ctx, message, marks);
}

/** Records the receipts; returns the commit that holds them (null when queued offline). */
async function mark(fleet: ReturnType<CommandContext['openFleet']>, reader: string, ids: string[], kind: ReceiptKind): Promise<string | null> {
  const result = await fleet.store.transact(`receipts ${reader}: ${kind} ${ids.length}`, receiptsPlan(reader, ids, kind), { actor: reader });
  if (result.status === 'aborted') {
    const hint = result.code === 'unknown-recipient' ? 'nothing was marked; gitfleet status lists the servers that have reported' : 'nothing was marked';
    throw new NotFoundError(result.reason, { hint });
  }
  return result.status === 'queued' ? null : result.commit;
}
