import { LitElement, css, html } from 'lit';
import type { FleetData } from '../data/FleetData.js';
import type { HealthState } from '../../../src/status/evaluateHealth.js';
import { openCritical } from '../view/messageAttention.js';
import { unreadForOperators } from '../view/operatorInbox.js';
import { linkTo, type Route, withoutFilters } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';

const ORDER: HealthState[] = ['healthy', 'degraded', 'suspect', 'failing', 'offline', 'unknown', 'maintenance'];

/**
 * The fleet at a glance: servers per health (each a filter link), jobs waiting and running,
 * critical messages that still need attention (not expired, not acknowledged by every
 * recipient), messages to operators they have not read yet, invalid files.
 */
export class GfSummary extends LitElement {
  static override properties = { data: { attribute: false }, route: { attribute: false }, now: { type: Number } };
  static override styles = [
    sharedStyles,
    css`
      ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 0.5rem 0; }
      li a { display: inline-flex; gap: 0.4rem; align-items: baseline; text-decoration: none; color: var(--fg); border: 1px solid var(--border); background: var(--card); border-radius: 8px; padding: 0.35rem 0.7rem; }
      strong { font-size: 1.2rem; }
    `,
  ];
  data!: FleetData;
  route!: Route;
  /** The time messages expire against (as the views' ages). */
  now = Date.now();

  override render() {
    const counts = new Map<string, number>();
    for (const s of this.data.servers) counts.set(s.verdict.state, (counts.get(s.verdict.state) ?? 0) + 1);
    let waiting = 0;
    let running = 0;
    for (const j of this.data.jobs) {
      if (j.state === 'queued' || j.state === 'failed') waiting++;
      else if (j.state === 'running' || j.state === 'assigned') running++;
    }
    const critical = openCritical(this.data.messages, this.data.servers, this.data.receipts, this.now).length;
    const unread = unreadForOperators(this.data.messages, this.data.receipts, this.now).length;
    const base = withoutFilters(this.route);
    return html`<ul aria-label="fleet summary">
      <li><a href=${linkTo(base, 'servers')}><strong>${this.data.servers.length}</strong> servers</a></li>
      ${ORDER.filter((h) => counts.get(h)).map((h) => html`<li><a href=${linkTo({ ...base, health: [h] }, 'servers')}><strong>${counts.get(h)}</strong><span class="badge ${h}">${h}</span></a></li>`)}
      <li><a href=${linkTo({ ...base, state: ['queued', 'failed'] }, 'jobs')}><strong>${waiting}</strong> job${waiting === 1 ? '' : 's'} waiting</a></li>
      <li><a href=${linkTo({ ...base, state: ['running', 'assigned'] }, 'jobs')}><strong>${running}</strong> running</a></li>
      <li><a href=${linkTo({ ...base, priority: ['critical'] }, 'messages')}><strong>${critical}</strong> critical message${critical === 1 ? ' needs' : 's need'} attention</a></li>
      ${unread ? html`<li><a href=${linkTo({ ...base, to: 'op' }, 'messages')}><strong>${unread}</strong> unread for operators</a></li>` : ''}
      ${this.data.invalid.length ? html`<li><a href=${linkTo(base, 'invalid')}><strong>${this.data.invalid.length}</strong><span class="badge invalid">invalid files</span></a></li>` : ''}
    </ul>`;
  }
}

customElements.define('gf-summary', GfSummary);

declare global {
  interface HTMLElementTagNameMap {
    'gf-summary': GfSummary;
  }
}
