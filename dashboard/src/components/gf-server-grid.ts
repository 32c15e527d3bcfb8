import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ServerView } from '../data/FleetData.js';
import { linkTo, type Route } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';
import './gf-server-card.js';

const PAGE = 300;

/** The servers as cards, worst health first; long fleets are shown a page at a time. */
export class GfServerGrid extends LitElement {
  static override properties = { servers: { attribute: false }, route: { attribute: false }, shown: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.75rem; }
    `,
  ];
  servers: ServerView[] = [];
  route!: Route;
  shown = PAGE;

  override render() {
    if (this.servers.length === 0) return html`<p class="empty">No server matches. Clear the search or filters to see the fleet.</p>`;
    const visible = this.servers.slice(0, this.shown);
    return html`<div class="grid" role="list">
        ${repeat(
          visible,
          (s) => s.id,
          (s) => html`<gf-server-card role="listitem" .server=${s} href=${linkTo(this.route, 'servers', s.id)}></gf-server-card>`,
        )}
      </div>
      ${
        this.servers.length > this.shown
          ? html`<button class="more" @click=${() => (this.shown += PAGE)}>Show ${Math.min(PAGE, this.servers.length - this.shown)} more of ${this.servers.length - this.shown}</button>`
          : ''
      }`;
  }
}

customElements.define('gf-server-grid', GfServerGrid);

declare global {
  interface HTMLElementTagNameMap {
    'gf-server-grid': GfServerGrid;
  }
}
