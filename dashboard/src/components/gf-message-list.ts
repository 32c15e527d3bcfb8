import { LitElement, css, html, nothing } from 'lit';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';
import { ago } from '../view/format.js';
import { byAttention, messageStanding } from '../view/messageAttention.js';
import { readByOperator, unreadFirst } from '../view/operatorInbox.js';
import { linkTo, type Route } from '../view/route.js';
import { messageStandingText } from './messageStandingText.js';
import { phoneCards } from './phoneCards.js';
import { sharedStyles } from './sharedStyles.js';

const PAGE = 200;

/**
 * Messages, those that need attention first (not expired, not yet acknowledged by every
 * recipient), critical first within each part; a subject opens its thread. Filtered to
 * operators (`to` in the route), it is their inbox: unread first, each row saying which
 * operator it is for and whether they read it.
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
    phoneCards,
    css`
      .subject { max-width: 32rem; overflow-wrap: anywhere; }
      tr.attention td:first-child { box-shadow: inset 3px 0 var(--bad-fg); }
      .badge.attention { background: var(--bad-bg); color: var(--bad-fg); }
      .badge.unread { background: var(--info-bg); color: var(--info-fg); }
      td.for { overflow-wrap: anywhere; }
      caption { text-align: left; font-size: 0.85rem; padding: 0.2rem 0.5rem; }
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
    const inbox = Boolean(this.route.to);
    const ordered = inbox ? unreadFirst(this.messages, this.receipts) : byAttention(this.messages, this.servers, this.receipts, this.now);
    const visible = ordered.slice(0, this.shown);
    return html`<table class="cards">
        ${inbox ? html`<caption class="muted">To operators, unread first (read as each operator's own receipts say)</caption>` : nothing}
        <thead><tr><th scope="col">Priority</th><th scope="col">Subject</th>${
          inbox
            ? html`<th scope="col">For</th><th scope="col">Read</th><th scope="col" class="wide-only">From</th>`
            : html`<th scope="col" class="wide-only">From → to</th>`
        }<th scope="col">Standing</th><th scope="col">When</th></tr></thead>
        <tbody>
          ${visible.map((m) => {
            const standing = messageStanding(m, this.servers, this.receipts, this.now);
            return html`<tr class=${standing.state === 'open' && m.priority === 'critical' ? 'attention' : standing.state}>
              <td><span class="badge ${m.priority}">${m.priority}</span></td>
              <td class="subject lead"><a href=${linkTo(this.route, 'messages', m.thread)}>${m.subject}</a>${m.replyTo ? html` <span class="muted">(reply)</span>` : ''}</td>
              ${inbox ? this.#inboxCells(m) : html`<td class="wide-only">${m.from} → ${m.to}</td>`}
              <td class="standing">${messageStandingText(m, standing)}</td>
              <td class="when">${ago(m.createdAt, this.now)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${this.messages.length > this.shown ? html`<button class="more" @click=${() => (this.shown += PAGE)}>Show more (${this.messages.length - this.shown} left)</button>` : ''}`;
  }

  #inboxCells(m: Message) {
    const read = readByOperator(m, this.receipts);
    return html`<td class="for mono" data-label="for">${m.to}</td>
      <td class="read">${read ? html`read <time datetime=${read}>${ago(read, this.now)}</time>` : html`<span class="badge unread">unread</span>`}</td>
      <td class="wide-only" data-label="from">${m.from}</td>`;
  }
}

customElements.define('gf-message-list', GfMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'gf-message-list': GfMessageList;
  }
}
