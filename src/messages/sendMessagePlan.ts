import type { Message } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort } from '../store/Plan.js';
import type { Snapshot } from '../store/Snapshot.js';
import type { Plan } from '../store/Store.js';

/**
 * Sends a message: checked against the snapshot first, so a message to a server that
 * has never reported, to a label no server has, or in reply to a message that does not
 * exist is refused with its reason (unless `force`). Messages are immutable files with
 * fresh time-sortable ids, so concurrent sends never touch the same file.
 */
export function sendMessagePlan(message: Message, options: { force?: boolean } = {}): Plan {
  return async (snapshot) => {
    if (!options.force) {
      const problem = await recipientProblem(snapshot, message.to);
      if (problem) return abort('unknown-recipient', problem);
    }
    if (message.replyTo && !(await findMessage(snapshot, message.replyTo))) {
      return abort('unknown-message', `there is no message ${message.replyTo} to reply to`);
    }
    if (await snapshot.has('message', message.id)) return abort('duplicate', `message ${message.id} already exists`);
    return new ChangeSet().put('message', message);
  };
}

/** Why a recipient cannot be reached, or null. */
export async function recipientProblem(snapshot: Snapshot, to: string): Promise<string | null> {
  if (to === 'all' || to.startsWith('op:')) return null;
  const { records } = await snapshot.list('status');
  if (to.startsWith('label:')) {
    const label = to.slice('label:'.length);
    return records.some((s) => s.labels?.includes(label)) ? null : `no server has the label ${label} (pass --force to send anyway)`;
  }
  return records.some((s) => s.server === to) ? null : `unknown recipient ${to}: no server with that id has reported (pass --force to send anyway)`;
}

/** A message by id, live or archived. */
export async function findMessage(snapshot: Snapshot, id: string): Promise<Message | undefined> {
  const live = await snapshot.get('message', id);
  if (live) return live;
  const { records } = await snapshot.list('message', { archived: true });
  return records.find((m) => m.id === id);
}
