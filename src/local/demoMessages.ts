import { composeMessage } from '../messages/composeMessage.js';
import { sendMessagePlan } from '../messages/sendMessagePlan.js';
import type { Message } from '../schema/types.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

/** What the simulated servers of `npm start` say to each other, in turn. */
const SCRIPT: { from: string; to: string; subject: string; body?: string; priority?: Message['priority']; type?: Message['type'] }[] = [
  { from: 'build-01', to: 'label:web', subject: 'Artifacts for v1.4.2 are ready', body: 'Deploy when the web tier is quiet.' },
  { from: 'web-01', to: 'build-01', subject: 'Please rebuild the base image', type: 'request', priority: 'high' },
  { from: 'db-01', to: 'all', subject: 'Backup window starts in 10 minutes', type: 'warning' },
  { from: 'build-02', to: 'op:local', subject: 'GPU driver updated to 550.90', body: 'No reboot needed.' },
  { from: 'web-02', to: 'db-01', subject: 'Connection pool at 90%', type: 'warning', priority: 'high' },
];

/**
 * Sends the next scripted message every `everyMs`, from the simulated server's own
 * store, and answers requests the way a person would. Returns a stop function.
 */
export function startDemoMessages(stores: Map<string, Store>, options: { everyMs: number; logger: Logger; say: (line: string) => void }): { stop: () => void; onReceived: (server: string, messages: Message[]) => Promise<void> } {
  let next = 0;
  const send = async (from: string, message: Message) => {
    const store = stores.get(from);
    if (!store) return;
    const result = await store.transact(`message from ${from}: ${message.subject}`, sendMessagePlan(message, { force: true }), { actor: from });
    if (result.status === 'committed') options.say(`message  ${from} -> ${message.to}  [${message.priority}/${message.type}] ${message.subject}`);
  };
  const timer = setInterval(() => {
    const item = SCRIPT[next++ % SCRIPT.length]!;
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
