import { LitElement, html } from 'lit';
import type { InvalidEntry } from '../data/FleetData.js';
import { sharedStyles } from './sharedStyles.js';

/** Files that are not valid records, each with its reason: shown, never silently dropped. */
export class GfInvalidList extends LitElement {
  static override properties = { entries: { attribute: false } };
  static override styles = sharedStyles;
  entries: InvalidEntry[] = [];

  override render() {
    if (this.entries.length === 0) return html`<p class="empty">Every record is valid.</p>`;
    return html`<p class="muted">These files are in the repository but are not valid records; the rest of the page ignores them. <span class="mono">gitfleet validate</span> lists the same.</p>
      <table>
        <thead><tr><th scope="col">File</th><th scope="col">Why it is invalid</th></tr></thead>
        <tbody>${this.entries.map((e) => html`<tr class="invalid-row"><td class="mono">${e.path}</td><td>${e.reason.slice(0, 500)}</td></tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('gf-invalid-list', GfInvalidList);

declare global {
  interface HTMLElementTagNameMap {
    'gf-invalid-list': GfInvalidList;
  }
}
