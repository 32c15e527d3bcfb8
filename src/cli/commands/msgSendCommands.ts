import type { Argv } from 'yargs';
import { ConfigError, NotFoundError, SecretDetectedError, UsageError } from '../../errors/index.js';
import { findOwnSecrets } from '../../messages/secretScanner.js';
import { composeMessage, MAX_BODY_CHARS, type MessageType } from '../../messages/composeMessage.js';
import { resolveMessage } from '../../messages/resolveMessageId.js';
import { sendMessagePlan } from '../../messages/sendMessagePlan.js';
import type { Message, Priority } from '../../schema/types.js';
import { parseDuration } from '../../util/duration.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';
import { readPipedInput, readTextInput, STDIN_GRACE_MS } from '../readTextInput.js';

const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
const TYPES = ['info', 'warning', 'error', 'request', 'response', 'heartbeat'] as const;

function contentOptions<T>(y: Argv<T>) {
  return y
    .option('body', {
      type: 'string',
      describe:
        'The text; "-" waits for stdin. Without --body or --body-file, stdin is read only when it is a pipe or file that speaks within 1 s (with a notice)',
    })
    .option('body-file', { type: 'string', describe: 'Read the text from this file; "-" waits for stdin until it ends' })
    .option('priority', {
      choices: PRIORITIES,
      default: 'normal' as Priority,
      describe: 'How urgent: critical messages are logged at once by agents and can page',
    })
    .option('type', { choices: TYPES, describe: 'Default: info (response for replies)' })
    .option('tag', { type: 'string', array: true, describe: 'A tag (repeatable)' })
    .option('expires', { type: 'string', describe: 'Expire after this long (e.g. 2h, 7d); default from fleet.json' })
    .option('allow-secret', { type: 'boolean', default: false, describe: 'Send even if the text looks like it contains a credential' })
    .option('as-server', { type: 'boolean', default: false, describe: 'Send as this server (--server) instead of as the operator' })
    .option('force', { type: 'boolean', default: false, describe: 'Send to a recipient that has not reported yet' })
    .middleware(stdinDashAsValue, true);
}

/**
 * yargs-parser never takes a lone "-" as an option's value: `--body-file -` arrives as an
 * empty --body-file and a stray "-" positional (refused as unknown). Put it back, before
 * validation, where the operator wrote it.
 */
function stdinDashAsValue(argv: Record<string, unknown> & { _: (string | number)[] }): void {
  const dash = argv._.indexOf('-');
  if (dash === -1) return;
  const option = argv['body-file'] === '' ? 'body-file' : argv.body === '' ? 'body' : undefined;
  if (!option) return;
  argv[option] = '-';
  argv._.splice(dash, 1);
}

interface ContentArgs {
  body?: string;
  'body-file'?: string;
  priority: Priority;
  type?: MessageType;
  tag?: string[];
  expires?: string;
  'allow-secret': boolean;
  'as-server': boolean;
  force: boolean;
}

export const msgSendCommand = defineCommand({
  command: 'send',
  describe: 'Send a message to a server, label:<name>, all, or op:<name>',
  builder: (y) =>
    contentOptions(y)
      .option('to', { type: 'string', demandOption: true, describe: 'server id, label:<name>, all, or op:<name>' })
      .option('subject', { type: 'string', demandOption: true, describe: 'One line, up to 200 characters' })
      .example('gitfleet msg send --to label:web --subject "Deploy at 14:00" --body "Drain first." --priority high', 'to every server with the label web')
      .example('journalctl -n 50 | gitfleet msg send --to op:alice --subject "Last log lines" --body-file -', 'the body from a pipe'),
  async run(ctx, argv) {
    const body = await readBody(ctx, argv);
    const fleet = ctx.openFleet(sender(ctx, argv['as-server']));
    const message = composeMessage({ ...common(ctx, argv, body), to: argv.to, subject: argv.subject });
    return send(ctx, fleet, message, argv.force);
  },
});

export const msgReplyCommand = defineCommand({
  command: 'reply <id>',
  describe: 'Answer a message (to its sender, in its thread)',
  builder: (y) =>
    contentOptions(y)
      .positional('id', { type: 'string', demandOption: true, describe: 'The message id (or a unique prefix of at least 6 characters)' })
      .option('subject', { type: 'string', describe: 'Default: "Re: <subject>"' })
      .example('gitfleet msg reply 01jb9f8z3q --body "Done, drained."', 'answer as the operator')
      .example('gitfleet msg reply 01jb9f8z3q --server web-01 --as-server --body "Drained."', 'answer as the server web-01'),
  async run(ctx, argv) {
    const body = await readBody(ctx, argv);
    const fleet = ctx.openFleet(sender(ctx, argv['as-server']));
    const original = await resolveMessage(await fleet.store.snapshot(), argv.id);
    const subject = argv.subject ?? (/^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`).slice(0, 200);
    const message = composeMessage({ ...common(ctx, argv, body), to: original.from, subject, replyTo: original });
    return send(ctx, fleet, message, true);
  },
});

function sender(ctx: CommandContext, asServer: boolean): string {
  if (!asServer) return ctx.operatorActor();
  if (!ctx.config.server) throw new ConfigError("--as-server needs this server's id", { hint: 'pass --server <id> or set GITFLEET_SERVER' });
  return ctx.config.server;
}

function common(ctx: CommandContext, argv: ContentArgs, body: string) {
  let expiresInMs: number | undefined;
  if (argv.expires !== undefined) {
    const ms = parseDuration(argv.expires);
    if (ms === null || ms <= 0) throw new UsageError(`--expires ${JSON.stringify(argv.expires)} is not a duration`, { hint: 'e.g. 2h or 7d' });
    expiresInMs = ms;
  }
  return {
    from: sender(ctx, argv['as-server']),
    body,
    priority: argv.priority,
    ...(argv.type ? { type: argv.type } : {}),
    ...(argv.tag ? { tags: argv.tag } : {}),
    ...(expiresInMs !== undefined ? { expiresInMs } : {}),
    allowSecret: argv['allow-secret'],
  };
}

/**
 * The body: --body, --body-file, or stdin. Stdin is waited on only when asked (--body -
 * or --body-file -); otherwise it is read only when it is a pipe or file that speaks at
 * once (readPipedInput), with a notice, so a wrapper's open stdin never hangs a send.
 */
async function readBody(ctx: CommandContext, argv: ContentArgs): Promise<string> {
  const limit = MAX_BODY_CHARS * 4;
  if (argv.body !== undefined && argv['body-file'] !== undefined) throw new UsageError('give --body or --body-file, not both');
  if (argv['body-file'] === '') throw new UsageError('--body-file needs a file name, or - for stdin', { hint: 'e.g. --body-file notes.txt' });
  const asked = argv.body === '-' || argv['body-file'] === '-';
  if (asked) {
    if (process.stdin.isTTY) ctx.io.err('gitfleet: reading the body from stdin until end of input (Ctrl-D)');
    return readTextInput('-', 'body', limit);
  }
  if (argv['body-file'] !== undefined) return readTextInput(argv['body-file'], 'body', limit);
  if (argv.body !== undefined || ctx.env.GITFLEET_NO_STDIN === '1') return argv.body ?? '';
  const piped = await readPipedInput('body', limit, {
    onLongRead: () => ctx.io.err('gitfleet: reading the body from stdin until it ends (it was not asked for: pass --body or --body-file to say what to send)'),
  });
  if ('text' in piped) {
    if (piped.text)
      ctx.io.err(`gitfleet: the body was read from stdin (${Buffer.byteLength(piped.text)} bytes); pass --body-file - to say so, or --body '' to send none`);
    return piped.text;
  }
  if (piped.skipped === 'silent') {
    ctx.io.err(`gitfleet: stdin is open but sent nothing within ${STDIN_GRACE_MS / 1000} s: sending without a body (pass --body-file - to wait for stdin)`);
  }
  return '';
}

async function send(ctx: CommandContext, fleet: ReturnType<CommandContext['openFleet']>, message: Message, force: boolean): Promise<number> {
  // The token this command runs with (registered when the configuration was read) is
  // never sent, --allow-secret or not: it is the key to the fleet repository itself.
  const own = findOwnSecrets(`${message.subject}\n${message.body ?? ''}`);
  if (own.length > 0) {
    throw new SecretDetectedError(`refusing to send: the message holds the token this machine uses for the fleet repository (${own[0]!.masked})`, {
      hint: '--allow-secret does not send it; remove it from the message',
    });
  }
  const result = await fleet.store.transact(`message ${message.id} to ${message.to}: ${message.subject}`, sendMessagePlan(message, { force }), {
    offline: { kind: 'message', key: `message-${message.id}`, payload: message },
  });
  if (result.status === 'aborted') throw new NotFoundError(result.reason, { hint: 'nothing was sent' });
  if (ctx.json) ctx.printJson({ status: result.status, message });
  else if (result.status === 'queued') ctx.io.out(`queued ${message.id}: the remote is unreachable; it is sent with the next push from this machine`);
  else ctx.io.out(`sent ${message.id} to ${message.to}`);
  return 0;
}
