import { LitElement, css, html, nothing } from 'lit';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import { time } from '../view/format.js';
import { linkTo, type Route } from '../view/route.js';
import { readBy } from './gf-message-list.js';
import { sharedStyles } from './sharedStyles.js';

/** A thread, oldest first, with each message's body as plain text and who read it. */
export class GfThreadView extends LitElement {
  static override properties = { messages: { attribute: false }, receipts: { attribute: false }, route: { attribute: false } };
  static override styles = [
    sharedStyles,
    css`
      article.msg { border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0.6rem 0; background: var(--card); }
      .body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.5rem 0; }
      h3 { margin: 0.2rem 0; font-size: 1rem; overflow-wrap: anywhere; }
    `,
  ];
  /** The messages of this thread (any order). */
  messages: Message[] = [];
  receipts = new Map<string, ReadReceipts>();
  route!: Route;

  override render() {
    const thread = [...this.messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return html`<section aria-label="thread">
      <p><a href=${linkTo(this.route, 'messages')}>← all messages</a></p>
      <h2>${thread[0]?.subject ?? 'Thread'}</h2>
      ${thread.map((m) => {
        const readers = readBy(m.id, this.receipts);
        return html`<article class="msg" id="m-${m.id}">
          <h3><span class="badge ${m.priority}">${m.priority}</span> ${m.subject}</h3>
          <div class="muted">${m.from} → ${m.to} · ${m.type} · ${time(m.createdAt)}${m.expiresAt ? ` · expires ${time(m.expiresAt)}` : ''}</div>
          ${m.body ? html`<div class="body">${m.body}</div>` : nothing}
          ${m.tags?.length ? html`<div class="muted">tags: ${m.tags.join(', ')}</div>` : nothing}
          <div class="muted">read by ${readers.length ? readers.join(', ') : 'no one yet'}</div>
        </article>`;
      })}
    </section>`;
  }
}

customElements.define('gf-thread-view', GfThreadView);

declare global {
  interface HTMLElementTagNameMap {
    'gf-thread-view': GfThreadView;
  }
}
