import { LitElement, css, html } from 'lit';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import { ago } from '../view/format.js';
import { linkTo, type Route } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';

const PAGE = 200;

/** Messages, newest first; a subject opens its thread. Receipts are counted for the rows shown only. */
export class GfMessageList extends LitElement {
  static override properties = { messages: { attribute: false }, receipts: { attribute: false }, route: { attribute: false }, now: { type: Number }, shown: { state: true } };
  static override styles = [sharedStyles, css`.subject { max-width: 32rem; overflow-wrap: anywhere; }`];
  messages: Message[] = [];
  receipts = new Map<string, ReadReceipts>();
  route!: Route;
  now = Date.now();
  shown = PAGE;

  override render() {
    if (this.messages.length === 0) return html`<p class="empty">No message matches.</p>`;
    const visible = this.messages.slice(0, this.shown);
    return html`<table>
        <thead><tr><th scope="col">Priority</th><th scope="col">Subject</th><th scope="col">From → to</th><th scope="col" class="wide-only">Read by</th><th scope="col">When</th></tr></thead>
        <tbody>
          ${visible.map(
            (m) => html`<tr>
              <td><span class="badge ${m.priority}">${m.priority}</span></td>
              <td class="subject"><a href=${linkTo(this.route, 'messages', m.thread)}>${m.subject}</a>${m.replyTo ? html` <span class="muted">(reply)</span>` : ''}</td>
              <td>${m.from} → ${m.to}</td>
              <td class="wide-only">${readBy(m.id, this.receipts).length}</td>
              <td>${ago(m.createdAt, this.now)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.messages.length > this.shown ? html`<button class="more" @click=${() => (this.shown += PAGE)}>Show more (${this.messages.length - this.shown} left)</button>` : ''}`;
  }
}

/** The servers whose receipts say they read a message. */
export function readBy(id: string, receipts: Map<string, ReadReceipts>): string[] {
  const servers: string[] = [];
  for (const [server, r] of receipts) if (Object.hasOwn(r.read, id)) servers.push(server);
  return servers;
}

customElements.define('gf-message-list', GfMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'gf-message-list': GfMessageList;
  }
}
