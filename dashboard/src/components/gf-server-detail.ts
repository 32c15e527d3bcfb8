import { LitElement, html, nothing } from 'lit';
import type { Job } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';
import { ago, bytes, pct, percent, time } from '../view/format.js';
import { serverJobs } from '../view/jobServers.js';
import { linkTo, type Route, withoutFilters } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';
import './gf-sparkline.js';
import './gf-uptime-bar.js';

/** Everything one server's status record says, plus its recent jobs: those it runs and the attempts that ended on it. */
export class GfServerDetail extends LitElement {
  static override properties = { server: { attribute: false }, jobs: { attribute: false }, route: { attribute: false }, now: { type: Number } };
  static override styles = sharedStyles;
  server!: ServerView;
  jobs: Job[] = [];
  route!: Route;
  now = Date.now();

  override render() {
    const { status: s, verdict } = this.server;
    const jobs = serverJobs(s.server, s, this.jobs);
    return html`<article aria-labelledby="title">
      <p><a href=${linkTo(this.route, 'servers')}>← all servers</a></p>
      <h2 id="title">${s.server} <span class="badge ${verdict.state}">${verdict.state}</span> ${this.server.draining ? html`<span class="badge suspect">draining</span>` : nothing}</h2>
      ${verdict.reasons.length ? html`<ul>${verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : nothing}
      <gf-sparkline size="large" .history=${s.history ?? []} label="CPU, memory and disk of ${s.server}:"></gf-sparkline>
      <table>
        <tbody>
          <tr><th scope="row">Last heartbeat</th><td>${time(s.updatedAt)} (${ago(s.updatedAt, this.now)}), every ${Math.round(verdict.periodMs / 1000)} s, #${s.seq}</td></tr>
          <tr><th scope="row">Host</th><td>${s.host?.hostname ?? '—'} · ${s.host?.os ?? ''} ${s.host?.release ?? ''} · ${s.host?.arch ?? ''}</td></tr>
          <tr><th scope="row">CPU</th><td>${pct(s.cpu?.usagePercent)} of ${s.cpu?.cores ?? '?'} cores (${s.cpu?.model ?? 'unknown model'}) · load ${(s.cpu?.load ?? []).map((l) => l.toFixed(2)).join(' / ') || '—'}${s.cpu?.temperatureC !== undefined ? ` · ${s.cpu.temperatureC} °C` : ''}</td></tr>
          <tr><th scope="row">Memory</th><td>${bytes(s.memory?.usedBytes)} of ${bytes(s.memory?.totalBytes)} (${pct(percent(s.memory?.usedBytes, s.memory?.totalBytes))}) · swap ${bytes(s.memory?.swapUsedBytes)} of ${bytes(s.memory?.swapTotalBytes)}</td></tr>
          <tr><th scope="row">Disks</th><td>${(s.disks ?? []).map((d) => html`<div><span class="mono">${d.mount}</span> ${bytes(d.usedBytes)} of ${bytes(d.totalBytes)} (${pct(percent(d.usedBytes, d.totalBytes))})</div>`)}</td></tr>
          <tr><th scope="row">Availability</th><td>24 h ${pct(s.availability?.pct24h)} · 7 d ${pct(s.availability?.pct7d)} · 30 d ${uptimePct(this.server.uptime.pct30)} · 90 d ${uptimePct(this.server.uptime.pct90)} · uptime ${s.uptimeSeconds !== undefined ? `${Math.round(s.uptimeSeconds / 3600)} h` : '—'}
            <gf-uptime-bar size="large" .days=${this.server.uptime.days} count="90" label="uptime of ${this.server.id}:"></gf-uptime-bar></td></tr>
          <tr><th scope="row">Remote latency</th><td>${s.remoteLatencyMs !== undefined ? `${Math.round(s.remoteLatencyMs)} ms` : '—'}</td></tr>
          <tr><th scope="row">Labels</th><td>${(s.labels ?? []).map((l) => html`<a href=${linkTo({ ...this.route, label: l }, 'servers')}>${l}</a> `)}</td></tr>
          <tr><th scope="row">Capabilities</th><td>${(s.capabilities ?? []).join(', ') || '—'}</td></tr>
          <tr><th scope="row">Job slots</th><td>${s.jobs?.running?.length ?? 0} running of ${s.jobs?.slots ?? 0} · kinds ${(s.jobs?.kinds ?? []).join(', ') || '—'}</td></tr>
          <tr><th scope="row">Agent</th><td>gitfleet ${s.agent?.version ?? '?'} on node ${s.agent?.node ?? '?'} (${s.agent?.mode ?? '?'})</td></tr>
        </tbody>
      </table>
      <h3>Recent jobs on this server</h3>
      ${
        jobs.length
          ? html`<table class="server-jobs">
            <thead><tr><th scope="col">Job</th><th scope="col" class="wide-only">Kind</th><th scope="col">Attempt</th><th scope="col">State</th><th scope="col">When</th></tr></thead>
            <tbody>${jobs.map(
              (j) => html`<tr>
                <td><a href=${linkTo(withoutFilters(this.route), 'jobs', j.id)} class="mono">${j.id}</a></td>
                <td class="wide-only">${j.job?.kind ?? '—'}</td>
                <td>attempt ${j.attempt}</td>
                <td><span class="badge ${stateClass(j.state)}">${j.state}</span></td>
                <td>${j.current ? 'since' : 'ended'} ${ago(j.at, this.now)}</td>
              </tr>`,
            )}</tbody>
          </table>`
          : html`<p class="muted">None: no job runs here and no attempt ended here in this data.</p>`
      }
    </article>`;
  }
}

/** The badge colour of a job state or an attempt outcome. */
function stateClass(state: string): string {
  return state === 'timeout' ? 'failed' : state === 'lost' || state === 'refused' ? 'suspect' : state === 'stale-result' ? 'cancelled' : state;
}

/** Two decimals, as the uptime bar says it: 99.95 % and 100 % differ. */
function uptimePct(n: number | null): string {
  return n === null ? '—' : `${n === 100 ? '100' : n.toFixed(2)} %`;
}

customElements.define('gf-server-detail', GfServerDetail);

declare global {
  interface HTMLElementTagNameMap {
    'gf-server-detail': GfServerDetail;
  }
}
