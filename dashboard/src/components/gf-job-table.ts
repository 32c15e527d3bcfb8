import { LitElement, css, html } from 'lit';
import { jobStats } from '../../../src/jobs/jobStats.js';
import { isRefused, shownReason, shownState } from '../../../src/jobs/shownState.js';
import type { Job } from '../../../src/schema/types.js';
import { age, ago } from '../view/format.js';
import { oldestFirst } from '../view/filterData.js';
import { lastServer } from '../view/jobServers.js';
import { type JobSpan, jobDuration, jobWait } from '../view/jobTimes.js';
import { linkTo, type Route, withoutFilters } from '../view/route.js';
import { phoneCards } from './phoneCards.js';
import { sharedStyles } from './sharedStyles.js';

const PAGE = 200;

/**
 * Jobs with their states and the server that runs or last ran each, under the queue
 * figures (`gitfleet job stats`): newest first, or oldest first when only waiting jobs are listed.
 */
export class GfJobTable extends LitElement {
  static override properties = { jobs: { attribute: false }, route: { attribute: false }, now: { type: Number }, shown: { state: true } };
  static override styles = [
    sharedStyles,
    phoneCards,
    css`
      .stats { display: flex; flex-wrap: wrap; gap: 1rem; margin-bottom: 0.75rem; font-size: 0.9rem; }
      caption { text-align: left; font-size: 0.85rem; padding: 0.2rem 0.5rem; }
      .stats div { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.6rem; }
      td.id, td.params { overflow-wrap: anywhere; }
      td.params { max-width: 22rem; }
      .param + .param { margin-left: 0.5rem; }
      td.wait, td.duration { white-space: nowrap; }
      @media (max-width: 640px) { td.params { max-width: none; } }
    `,
  ];
  jobs: Job[] = [];
  route!: Route;
  now = Date.now();
  shown = PAGE;

  override render() {
    const stats = jobStats(this.jobs);
    const visible = this.jobs.slice(0, this.shown);
    return html`<section class="stats" aria-label="queue">
        <div>waiting <strong>${stats.depth.critical + stats.depth.high + stats.depth.normal + stats.depth.low}</strong> (critical ${stats.depth.critical}, high ${stats.depth.high})</div>
        <div>running <strong>${stats.byState.running + stats.byState.assigned}</strong></div>
        <div>succeeded <strong>${stats.byState.succeeded}</strong></div>
        <div>failed/dead <strong>${stats.byState.failed + stats.byState.dead}</strong></div>
        <div>wait p50 <strong>${age(stats.waitMs.p50)}</strong>, p95 <strong>${age(stats.waitMs.p95)}</strong></div>
        <div>failure rate <strong>${stats.attempts.failureRate === null ? '—' : `${Math.round(stats.attempts.failureRate * 100)} %`}</strong></div>
      </section>
      ${
        this.jobs.length === 0
          ? html`<p class="empty">No job matches.</p>`
          : html`<table class="cards">
            <caption class="muted">${oldestFirst(this.route) ? 'Waiting jobs, oldest first' : 'Newest first'}</caption>
            <thead><tr><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Priority</th><th scope="col">Server</th><th scope="col">Parameters</th><th scope="col">Wait</th><th scope="col">Duration</th><th scope="col" class="wide-only">Attempts</th><th scope="col" class="wide-only">Created</th></tr></thead>
            <tbody>
              ${visible.map(
                (j) => html`<tr>
                  <td class="id lead"><a class="mono" href=${linkTo(this.route, 'jobs', j.id)}>${j.id}</a></td>
                  <td class="kind">${j.kind}</td>
                  <td class="state"><span class="badge ${stateClass(j)}" title=${isRefused(j) ? (shownReason(j) ?? '') : ''}>${shownState(j)}</span></td>
                  <td class="priority"><span class="badge ${j.priority}">${j.priority}</span></td>
                  <td class="server" data-label="on">${serverCell(this.route, lastServer(j))}</td>
                  <td class="params line">${paramsCell(j)}</td>
                  <td class="wait" data-label="wait">${spanText(jobWait(j, this.now), 'waiting')}</td>
                  <td class="duration" data-label="ran">${spanText(jobDuration(j, this.now), 'running')}</td>
                  <td class="wide-only">${j.attempts}${j.maxAttempts ? ` / ${j.maxAttempts}` : ''}</td>
                  <td class="wide-only">${ago(j.createdAt, this.now)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
          ${this.jobs.length > this.shown ? html`<button class="more" @click=${() => (this.shown += PAGE)}>Show more (${this.jobs.length - this.shown} left)</button>` : ''}`
      }`;
  }
}

function serverCell(route: Route, server: string | undefined) {
  return server ? html`<a href=${linkTo(withoutFilters(route), 'servers', server)}>${server}</a>` : '—';
}

/** The parameters as `name=value` pairs, bound as text. */
function paramsCell(j: Job) {
  const entries = Object.entries(j.params);
  return entries.length ? entries.map(([k, v]) => html`<span class="param mono">${k}=${v}</span> `) : '—';
}

/** A wait or duration: ended spans as an age, those still counting say so. */
function spanText(span: JobSpan, counting: string): string {
  if ('none' in span) return span.none === 'never started' ? 'never started' : '—';
  return span.soFar ? `${counting} ${age(span.ms)}` : age(span.ms);
}

customElements.define('gf-job-table', GfJobTable);

declare global {
  interface HTMLElementTagNameMap {
    'gf-job-table': GfJobTable;
  }
}

/** A refused job is stored as cancelled; it reads as a problem to look at, not an operator's choice. */
function stateClass(j: Job): string {
  return isRefused(j) ? 'suspect' : j.state;
}
