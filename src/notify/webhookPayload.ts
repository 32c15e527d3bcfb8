import type { Webhook } from '../schema/types.js';
import type { NotifyEvent } from './notificationEvents.js';

/** The JSON body each chat system expects from an incoming webhook. */
export function webhookPayload(format: Webhook['format'], event: NotifyEvent, fleetName: string): unknown {
  const line = `gitfleet ${fleetName}: ${event.title}`;
  switch (format) {
    case 'slack':
      return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(line)}*\n${escapeSlack(event.text)}` } }] };
    case 'discord':
      // Discord refuses content over 2000 characters and must not ping anyone.
      return { content: `**${line}**\n${event.text}`.slice(0, 2000), allowed_mentions: { parse: [] } };
    case 'teams':
      return { text: `**${line}**\n\n${event.text}` };
    default:
      return { fleet: fleetName, event: event.kind, key: event.key, priority: event.priority, title: event.title, text: event.text, at: event.at };
  }
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
