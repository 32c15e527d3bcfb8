import { LitElement, css, html } from 'lit';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';
import { ago } from '../view/format.js';
import { byAttention, messageStanding } from '../view/messageAttention.js';
import { linkTo, type Route } from '../view/route.js';
import { messageStandingText } from './messageStandingText.js';
import { sharedStyles } from './sharedStyles.js';

const PAGE = 200;

/**
 * Messages, those that need attention first (not expired, not yet acknowledged by every
 * recipient), critical first within each part; a subject opens its thread.
 */
export class GfMessageList extends LitElement {
  static override properties = {
    messages: { attribute: false },
    servers: { attribute: false },
    receipts: { attribute: false },
    route: { attribute: false },
    now: { type: Number },
    shown: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      .subject { max-width: 32rem; overflow-wrap: anywhere; }
      tr.attention td:first-child { box-shadow: inset 3px 0 var(--bad-fg); }
      .badge.attention { background: var(--bad-bg); color: var(--bad-fg); }
    `,
  ];
  messages: Message[] = [];
  /** The servers (ids and labels) that messages are addressed to. */
  servers: ServerView[] = [];
  receipts = new Map<string, ReadReceipts>();
  route!: Route;
  now = Date.now();
  shown = PAGE;

  override render() {
    if (this.messages.length === 0) return html`<p class="empty">No message matches.</p>`;
    const ordered = byAttention(this.messages, this.servers, this.receipts, this.now);
    const visible = ordered.slice(0, this.shown);
    return html`<table>
        <thead><tr><th scope="col">Priority</th><th scope="col">Subject</th><th scope="col" class="wide-only">From → to</th><th scope="col">Standing</th><th scope="col">When</th></tr></thead>
        <tbody>
          ${visible.map((m) => {
            const standing = messageStanding(m, this.servers, this.receipts, this.now);
            return html`<tr class=${standing.state === 'open' && m.priority === 'critical' ? 'attention' : standing.state}>
              <td><span class="badge ${m.priority}">${m.priority}</span></td>
              <td class="subject"><a href=${linkTo(this.route, 'messages', m.thread)}>${m.subject}</a>${m.replyTo ? html` <span class="muted">(reply)</span>` : ''}</td>
              <td class="wide-only">${m.from} → ${m.to}</td>
              <td class="standing">${messageStandingText(m, standing)}</td>
              <td>${ago(m.createdAt, this.now)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${this.messages.length > this.shown ? html`<button class="more" @click=${() => (this.shown += PAGE)}>Show more (${this.messages.length - this.shown} left)</button>` : ''}`;
  }
}

customElements.define('gf-message-list', GfMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'gf-message-list': GfMessageList;
  }
}
