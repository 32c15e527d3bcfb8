import { LitElement, css, html, nothing } from 'lit';
import type { UptimeDayView } from '../../../src/status/uptimeView.js';

/**
 * Daily availability as upptime draws it: one thin bar per UTC day, coloured by the share
 * of the day the server was up (maintenance left out), with the date and the figure in
 * each bar's tooltip, and the percentage over the days shown. Text only, from numbers the
 * reader computed (src/status/uptimeView.ts); nothing from the repository is markup.
 */
export class GfUptimeBar extends LitElement {
  static override properties = { days: { attribute: false }, count: { type: Number }, label: { type: String } };
  static override styles = css`
    :host { display: block; }
    .bars { display: flex; gap: 1px; height: 1.3rem; align-items: stretch; }
    :host([size='large']) .bars { height: 2rem; gap: 2px; }
    .day { flex: 1 1 0; min-width: 2px; border-radius: 1px; background: var(--off-bg); }
    .day:hover, .day:focus-visible { outline: 1px solid var(--fg); outline-offset: 0; }
    .up { background: var(--ok); }
    .minor { background: color-mix(in srgb, var(--ok) 55%, var(--warn)); }
    .partial { background: var(--warn); }
    .down { background: var(--bad); }
    .maintenance { background: var(--info-fg); }
    .caption { display: flex; justify-content: space-between; color: var(--muted); font-size: 0.75rem; margin-top: 0.1rem; }
  `;
  days: readonly UptimeDayView[] = [];
  /** How many of the most recent days to draw. */
  count = 30;
  label = '';

  override render() {
    const days = this.days.slice(-this.count);
    if (days.length === 0) return nothing;
    const pct = percentOf(days);
    const summary = `${this.label} ${pct === null ? 'no data' : `${format(pct)} up`} over ${days.length} days`;
    return html`<div class="bars" role="img" aria-label=${summary}>
        ${days.map((d) => html`<span class="day ${dayClass(d)}" title=${tooltip(d)} data-date=${d.date}></span>`)}
      </div>
      <div class="caption"><span>${days.length} days ago</span><span class="pct">${pct === null ? 'no data' : `${format(pct)} up`}</span><span>today</span></div>`;
  }
}

function dayClass(d: UptimeDayView): string {
  if (d.pct === null) return d.maintenanceMs > 0 ? 'maintenance' : 'none';
  if (d.pct >= 99.9) return 'up';
  if (d.pct >= 99) return 'minor';
  if (d.pct >= 90) return 'partial';
  return 'down';
}

function tooltip(d: UptimeDayView): string {
  const parts = [d.date, d.pct === null ? 'no data' : `${format(d.pct)} up`];
  if (d.downMs > 0) parts.push(`down ${duration(d.downMs)}`);
  if (d.maintenanceMs > 0) parts.push(`maintenance ${duration(d.maintenanceMs)}`);
  return parts.join(' · ');
}

function percentOf(days: readonly UptimeDayView[]): number | null {
  const up = days.reduce((a, d) => a + d.upMs, 0);
  const down = days.reduce((a, d) => a + d.downMs, 0);
  return up + down > 0 ? Math.floor((up / (up + down)) * 10_000) / 100 : null;
}

const format = (pct: number) => `${pct === 100 ? '100' : pct.toFixed(2)} %`;

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

customElements.define('gf-uptime-bar', GfUptimeBar);

declare global {
  interface HTMLElementTagNameMap {
    'gf-uptime-bar': GfUptimeBar;
  }
}
