import { LitElement, css, html, nothing } from 'lit';
import type { ServerView } from '../data/FleetData.js';
import { age, pct, percent } from '../view/format.js';
import { sharedStyles } from './sharedStyles.js';
import './gf-sparkline.js';
import './gf-uptime-bar.js';

/**
 * One server in the grid: health colour, why it is not healthy (the verdict's reasons, the
 * CLI's WHY column), last-seen age, current figures (greyed when the server is offline:
 * they are the last it sent, not its state now) and sparklines.
 */
export class GfServerCard extends LitElement {
  static override properties = { server: { attribute: false }, href: { type: String } };
  static override styles = [
    sharedStyles,
    css`
      :host { content-visibility: auto; contain-intrinsic-size: auto 150px; }
      article { border: 1px solid var(--border); border-left: 6px solid var(--health-color, var(--border)); border-radius: 8px; padding: 0.6rem 0.75rem; background: var(--card); height: 100%; box-sizing: border-box; }
      article.h-healthy { --health-color: var(--ok); } article.h-degraded, article.h-suspect { --health-color: var(--warn); }
      article.h-failing { --health-color: var(--bad); } article.h-offline, article.h-unknown { --health-color: var(--off); }
      article.h-maintenance { --health-color: var(--info-fg); }
      gf-uptime-bar { margin-top: 0.3rem; }
      header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.2rem 0.5rem; align-items: baseline; }
      .badges { white-space: nowrap; }
      h3 { margin: 0; flex: 1 0 auto; max-width: 100%; font-size: 1rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .figures { display: flex; gap: 0.75rem; font-size: 0.85rem; margin: 0.35rem 0; flex-wrap: wrap; }
      .figures.stale { color: var(--muted); font-style: italic; }
      .why { margin: 0.3rem 0 0; font-size: 0.85rem; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
      .labels { font-size: 0.8rem; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    `,
  ];
  server!: ServerView;
  href = '';

  override render() {
    const { status, verdict } = this.server;
    const memory = percent(status.memory?.usedBytes, status.memory?.totalBytes);
    const fullest = Math.max(-1, ...(status.disks ?? []).map((d) => percent(d.usedBytes, d.totalBytes) ?? -1));
    const running = status.jobs?.running?.length ?? 0;
    const stale = verdict.state === 'offline' || verdict.state === 'unknown';
    const why = verdict.reasons.length ? verdict.reasons.join('; ') : `its agent reports it ${verdict.state}`;
    return html`<article class="h-${verdict.state}" aria-label="server ${this.server.id}, ${verdict.state}">
      <header>
        <h3><a href=${this.href}>${this.server.id}</a></h3>
        <span class="badges"><span class="badge ${verdict.state}" title=${verdict.reasons.join('; ')}>${verdict.state}</span>${this.server.draining ? html` <span class="badge suspect" title="takes no new jobs (fleet.json or its own status)">draining</span>` : nothing}</span>
      </header>
      ${verdict.state === 'healthy' ? nothing : html`<p class="why" title=${why}>${why}</p>`}
      <div class="figures ${stale ? 'stale' : ''}" title=${stale ? `last known figures, sent ${age(verdict.ageMs)} ago` : nothing}>
        <span title="age of the last heartbeat">seen ${age(verdict.ageMs)} ago</span>
        <span class="cpu">CPU ${pct(status.cpu?.usagePercent)}</span>
        <span class="mem">mem ${pct(memory)}</span>
        <span class="disk">disk ${pct(fullest < 0 ? null : fullest)}</span>
        ${running ? html`<span>${running} job${running > 1 ? 's' : ''}</span>` : nothing}
      </div>
      <gf-sparkline .history=${status.history ?? []} label="CPU, memory and disk of ${this.server.id}:"></gf-sparkline>
      <gf-uptime-bar .days=${this.server.uptime.days} count="30" label="uptime of ${this.server.id}:"></gf-uptime-bar>
      <div class="labels">${(status.labels ?? []).join(' · ')}</div>
    </article>`;
  }
}

customElements.define('gf-server-card', GfServerCard);

declare global {
  interface HTMLElementTagNameMap {
    'gf-server-card': GfServerCard;
  }
}
