import { LitElement, css, html, nothing } from 'lit';
import { FILTER_VALUES, type Route } from '../view/route.js';
import { gfEvent } from './gfEvents.js';
import { sharedStyles } from './sharedStyles.js';

/**
 * The filters of the current view as toggle buttons (health for servers, state and
 * priority for jobs, priority for messages) plus a label choice, and for messages whom
 * they are to (anyone, the operators, one operator's inbox). Emits `navigate` with the
 * new route: filters live in the URL.
 */
export class GfFilters extends LitElement {
  static override properties = { route: { attribute: false }, labels: { attribute: false }, operators: { attribute: false } };
  static override styles = [
    sharedStyles,
    css`
      .row { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; margin: 0.5rem 0; }
      fieldset { border: 0; padding: 0; margin: 0 0.75rem 0 0; display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; }
      legend { float: left; margin-right: 0.3rem; color: var(--muted); font-size: 0.85rem; }
      select { font: inherit; background: var(--input); color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: 0.2rem; }
      button { font-size: 0.85rem; padding: 0.1rem 0.5rem; }
    `,
  ];
  route!: Route;
  labels: string[] = [];
  /** The operators (op:<name>) messages are addressed to or who have receipts. */
  operators: string[] = [];

  override render() {
    const r = this.route;
    const groups: ('health' | 'state' | 'priority')[] =
      r.view === 'servers' ? ['health'] : r.view === 'jobs' ? ['state', 'priority'] : r.view === 'messages' ? ['priority'] : [];
    const active = r.health.length + r.state.length + r.priority.length + (r.label ? 1 : 0) + (r.to ? 1 : 0);
    return html`<div class="row" role="group" aria-label="filters">
      ${groups.map(
        (g) => html`<fieldset>
          <legend>${g}</legend>
          ${FILTER_VALUES[g].map((v) => html`<button aria-pressed=${r[g].includes(v) ? 'true' : 'false'} @click=${() => this.#toggle(g, v)}>${v}</button>`)}
        </fieldset>`,
      )}
      ${
        r.view !== 'invalid'
          ? html`<label>label
            <select @change=${(e: Event) => this.#go({ ...r, label: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!r.label}>any</option>
              ${this.labels.map((l) => html`<option .value=${l} ?selected=${r.label === l}>${l}</option>`)}
            </select></label>`
          : nothing
      }
      ${
        r.view === 'messages'
          ? html`<label>to
            <select aria-label="to" @change=${(e: Event) => this.#go({ ...r, to: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!r.to}>anyone</option>
              <option value="op" ?selected=${r.to === 'op'}>operators</option>
              ${this.operators.map((o) => html`<option .value=${o} ?selected=${r.to === o}>${o}</option>`)}
            </select></label>`
          : nothing
      }
      ${active ? html`<button @click=${() => this.#go({ ...r, health: [], state: [], priority: [], label: '', to: '' })}>clear filters</button>` : nothing}
    </div>`;
  }

  #toggle(group: 'health' | 'state' | 'priority', value: string): void {
    const current = this.route[group];
    this.#go({ ...this.route, [group]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value] });
  }

  #go(route: Route): void {
    this.dispatchEvent(gfEvent('navigate', route));
  }
}

customElements.define('gf-filters', GfFilters);

declare global {
  interface HTMLElementTagNameMap {
    'gf-filters': GfFilters;
  }
}
