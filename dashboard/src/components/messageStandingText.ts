import { html } from 'lit';
import type { Message } from '../../../src/schema/types.js';
import type { MessageStanding } from '../view/messageAttention.js';

/**
 * A message's standing as the list and the message page show it. Only an open critical
 * message wears the "needs attention" badge (what the summary counts); other open ones say
 * "open", so a fleet whose servers never acknowledge chatter is not a wall of red.
 */
export function messageStandingText(m: Message, s: MessageStanding) {
  switch (s.state) {
    case 'expired':
      return html`expired`;
    case 'acknowledged':
      return html`acknowledged <span class="muted">by ${s.recipients === 1 ? 'its recipient' : `all ${s.recipients}`}</span>`;
    case 'open':
      return html`${m.priority === 'critical' ? html`<span class="badge attention">needs attention</span>` : 'open'}
        <span class="muted">${s.recipients ? `${s.acked} of ${s.recipients} acknowledged` : 'nobody to acknowledge it'}</span>`;
  }
}
