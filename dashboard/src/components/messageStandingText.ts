import { html } from 'lit';
import type { MessageStanding } from '../view/messageAttention.js';

/** A message's standing as the list and the message page show it (badge, then how many acknowledged). */
export function messageStandingText(s: MessageStanding) {
  switch (s.state) {
    case 'expired':
      return html`expired`;
    case 'acknowledged':
      return html`acknowledged <span class="muted">by ${s.recipients === 1 ? 'its recipient' : `all ${s.recipients}`}</span>`;
    case 'open':
      return html`<span class="badge attention">needs attention</span>
        <span class="muted">${s.recipients ? `${s.acked} of ${s.recipients} acknowledged` : 'no server can acknowledge it'}</span>`;
  }
}
