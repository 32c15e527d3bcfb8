import { composeMessage } from '../messages/composeMessage.js';
import { sendMessagePlan } from '../messages/sendMessagePlan.js';
import type { Message } from '../schema/types.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

type Line = { from: string; to: string; subject: string; body?: string; priority?: Message['priority']; type?: Message['type'] };
type Pick = <T>(items: readonly T[]) => T;

/**
 * What the simulated servers of `npm start` say to each other: templates filled with
 * varying versions, figures and names, so that a demo left running reads like a fleet
 * and not like a loop of five canned lines.
 */
const TEMPLATES: ((pick: Pick, n: number) => Line)[] = [
  (pick, n) => ({
    from: pick(['build-01', 'build-02']),
    to: 'label:web',
    subject: `Artifacts for v1.${4 + Math.floor(n / 7)}.${n % 10} are ready`,
    body: pick(['Deploy when the web tier is quiet.', 'Changelog in the release notes.', 'Includes the cache fix.']),
  }),
  (pick) => ({
    from: pick(['web-01', 'web-02']),
    to: pick(['build-01', 'build-02']),
    subject: pick(['Please rebuild the base image', 'Can you rerun the flaky integration suite?', 'Please bump the node image']),
    type: 'request',
    priority: 'high',
  }),
  (pick) => ({ from: 'db-01', to: 'all', subject: `Backup window starts in ${pick([5, 10, 15, 30])} minutes`, type: 'warning' }),
  (pick) => ({
    from: pick(['build-01', 'build-02']),
    to: 'op:local',
    subject: pick(['GPU driver updated to 550.90', 'Docker cache pruned: 12 GiB freed', 'Kernel update staged for the next reboot']),
    body: 'No action needed.',
  }),
  (pick) => ({
    from: pick(['web-01', 'web-02']),
    to: 'db-01',
    subject: `Connection pool at ${pick([72, 81, 88, 93])}%`,
    type: 'warning',
    priority: pick(['normal', 'high'] as const),
  }),
  (pick) => ({
    from: pick(['web-01', 'web-02', 'db-01']),
    to: 'op:local',
    subject: `Certificate for ${pick(['api', 'www', 'admin'])}.example.com renews in ${pick([7, 14, 21])} days`,
    type: 'info',
  }),
  (pick) => ({
    from: 'db-01',
    to: 'label:web',
    subject: pick(['Replica lag back under 1 s', 'Vacuum finished on the orders table', 'Slow query log rotated']),
  }),
];

/**
 * Sends the next demo message every `everyMs`, from the simulated server's own
 * store, and answers requests the way a person would. Returns a stop function.
 */
export function startDemoMessages(
  stores: Map<string, Store>,
  options: { everyMs: number; logger: Logger; say: (line: string) => void },
): { stop: () => void; onReceived: (server: string, messages: Message[]) => Promise<void> } {
  let next = 0;
  const send = async (from: string, message: Message) => {
    const store = stores.get(from);
    if (!store) return;
    const result = await store.transact(`message from ${from}: ${message.subject}`, sendMessagePlan(message, { force: true }), { actor: from });
    if (result.status === 'committed') options.say(`message  ${from} -> ${message.to}  [${message.priority}/${message.type}] ${message.subject}`);
  };
  const pick: Pick = (items) => items[Math.floor(Math.random() * items.length)]!;
  const timer = setInterval(() => {
    const n = next++;
    const item = TEMPLATES[n % TEMPLATES.length]!(pick, n);
    const message = composeMessage({ ...item, ...(item.priority ? {} : { priority: 'normal' }) });
    send(item.from, message).catch((error: unknown) => options.logger.warn('demo.send-failed', { reason: (error as Error).message }));
  }, options.everyMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    onReceived: async (server, messages) => {
      for (const m of messages) {
        options.say(`received ${server} <- ${m.from}  ${m.subject}`);
        if (m.type === 'request' && m.to === server) {
          await send(server, composeMessage({ from: server, to: m.from, subject: `Re: ${m.subject}`.slice(0, 200), body: 'Done.', replyTo: m }));
        }
      }
    },
  };
}
