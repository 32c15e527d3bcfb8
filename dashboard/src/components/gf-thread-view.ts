import { LitElement, css, html, nothing } from 'lit';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';
import { time } from '../view/format.js';
import { messageReceipts, messageStanding } from '../view/messageAttention.js';
import { linkTo, type Route, withoutFilters } from '../view/route.js';
import { messageStandingText } from './messageStandingText.js';
import { sharedStyles } from './sharedStyles.js';

/**
 * A thread, oldest first: each message's body as plain text, whether it still needs
 * attention, and per recipient when it was delivered, read and acknowledged (from the
 * recipients' messages/receipts/<server>.json).
 */
export class GfThreadView extends LitElement {
  static override properties = {
    messages: { attribute: false },
    servers: { attribute: false },
    receipts: { attribute: false },
    route: { attribute: false },
    now: { type: Number },
  };
  static override styles = [
    sharedStyles,
    css`
      article.msg { border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0.6rem 0; background: var(--card); }
      .body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.5rem 0; }
      h3 { margin: 0.2rem 0; font-size: 1rem; overflow-wrap: anywhere; }
      .standing { margin: 0.4rem 0; }
      .badge.attention { background: var(--bad-bg); color: var(--bad-fg); }
      table.receipts { width: auto; min-width: 60%; font-size: 0.9rem; }
      table.receipts tbody th { color: var(--fg); font-weight: 400; font-size: inherit; }
    `,
  ];
  /** The messages of this thread (any order). */
  messages: Message[] = [];
  servers: ServerView[] = [];
  receipts = new Map<string, ReadReceipts>();
  route!: Route;
  now = Date.now();

  override render() {
    const thread = [...this.messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return html`<section aria-label="thread">
      <p><a href=${linkTo(this.route, 'messages')}>← all messages</a></p>
      <h2>${thread[0]?.subject ?? 'Thread'}</h2>
      ${thread.map(
        (m) => html`<article class="msg" id="m-${m.id}">
          <h3><span class="badge ${m.priority}">${m.priority}</span> ${m.subject}</h3>
          <div class="muted">${m.from} → ${m.to} · ${m.type} · ${time(m.createdAt)}${m.expiresAt ? ` · expires ${time(m.expiresAt)}` : ''}</div>
          ${m.body ? html`<div class="body">${m.body}</div>` : nothing}
          ${m.tags?.length ? html`<div class="muted">tags: ${m.tags.join(', ')}</div>` : nothing}
          <div class="standing">${messageStandingText(m, messageStanding(m, this.servers, this.receipts, this.now))}</div>
          ${this.#receipts(m)}
        </article>`,
      )}
    </section>`;
  }

  #receipts(m: Message) {
    const rows = messageReceipts(m, this.servers, this.receipts);
    if (rows.length === 0) return html`<div class="muted">No server or operator is addressed by it or has received it.</div>`;
    const when = (iso: string | null) => (iso ? html`<time datetime=${iso}>${time(iso)}</time>` : html`<span class="muted">not yet</span>`);
    return html`<table class="receipts" aria-label="receipts of ${m.id}">
      <thead><tr><th scope="col">Recipient</th><th scope="col">Delivered</th><th scope="col">Read</th><th scope="col">Acknowledged</th></tr></thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr>
            <th scope="row">${r.server.startsWith('op:') ? r.server : html`<a href=${linkTo(withoutFilters(this.route), 'servers', r.server)}>${r.server}</a>`}${r.addressed ? nothing : html` <span class="muted">${r.server.startsWith('op:') ? '(an operator, not addressed)' : '(no longer addressed)'}</span>`}</th>
            <td>${when(r.delivered)}</td>
            <td>${when(r.read)}</td>
            <td>${when(r.acked)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

customElements.define('gf-thread-view', GfThreadView);

declare global {
  interface HTMLElementTagNameMap {
    'gf-thread-view': GfThreadView;
  }
}
