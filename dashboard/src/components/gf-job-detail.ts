import { LitElement, html, nothing } from 'lit';
import type { Job } from '../../../src/schema/types.js';
import { time } from '../view/format.js';
import { linkTo, type Route } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';

/** One job: what it asks for, where it ran, every attempt, and the tail of its output. */
export class GfJobDetail extends LitElement {
  static override properties = { job: { attribute: false }, route: { attribute: false } };
  static override styles = sharedStyles;
  job!: Job;
  route!: Route;

  override render() {
    const j = this.job;
    const a = j.assignment;
    return html`<article aria-labelledby="title">
      <p><a href=${linkTo(this.route, 'jobs')}>← all jobs</a></p>
      <h2 id="title"><span class="mono">${j.id}</span> <span class="badge ${j.state}">${j.state}</span> <span class="badge ${j.priority}">${j.priority}</span></h2>
      ${j.reason ? html`<p>${j.reason}</p>` : nothing}
      <table>
        <tbody>
          <tr><th scope="row">Kind</th><td>${j.kind}</td></tr>
          <tr><th scope="row">Parameters</th><td>${Object.entries(j.params).map(([k, v]) => html`<div><span class="mono">${k}</span> = <span class="mono">${v}</span></div>`)}</td></tr>
          <tr><th scope="row">Created</th><td>${time(j.createdAt)} by ${j.createdBy}</td></tr>
          <tr><th scope="row">Attempts</th><td>${j.attempts}${j.maxAttempts ? ` of ${j.maxAttempts}` : ''}${j.retryAt ? html` · next try ${time(j.retryAt)}` : nothing}</td></tr>
          <tr><th scope="row">Assignment</th><td>${a ? html`<a href=${linkTo(this.route, 'servers', a.server)}>${a.server}</a>, attempt ${a.attempt}, since ${time(a.assignedAt)}${a.startedAt ? `, started ${time(a.startedAt)}` : ''}` : '—'}</td></tr>
          <tr><th scope="row">Depends on</th><td>${(j.dependsOn ?? []).map((d) => html`<a class="mono" href=${linkTo(this.route, 'jobs', d)}>${d}</a> `)}${j.dependsOn?.length ? nothing : '—'}</td></tr>
          <tr><th scope="row">Constraints</th><td class="mono">${j.constraints ? JSON.stringify(j.constraints) : '—'}</td></tr>
          ${j.cancel ? html`<tr><th scope="row">Cancel</th><td>asked by ${j.cancel.requestedBy} at ${time(j.cancel.requestedAt)}${j.cancel.reason ? `: ${j.cancel.reason}` : ''}</td></tr>` : nothing}
        </tbody>
      </table>
      <h3>Attempts</h3>
      ${(j.history ?? []).length
        ? html`<table>
            <thead><tr><th scope="col">#</th><th scope="col">Server</th><th scope="col">Outcome</th><th scope="col">Exit</th><th scope="col">Ended</th><th scope="col">Why</th></tr></thead>
            <tbody>${(j.history ?? []).map((h) => html`<tr><td>${h.attempt}</td><td>${h.server ?? '—'}</td><td><span class="badge ${outcomeClass(h.outcome)}">${h.outcome}</span></td><td>${h.exitCode ?? '—'}</td><td>${time(h.endedAt)}</td><td>${h.reason ?? ''}</td></tr>`)}</tbody>
          </table>`
        : html`<p class="muted">No attempt has ended yet.</p>`}
      ${j.result
        ? html`<h3>Result</h3>
            <p>exit ${j.result.exitCode ?? '—'}${j.result.signal ? ` (signal ${j.result.signal})` : ''} at ${time(j.result.finishedAt)}${j.result.durationMs !== undefined ? ` after ${(j.result.durationMs / 1000).toFixed(1)} s` : ''}</p>
            ${j.result.outputTail ? html`<pre aria-label="output tail">${j.result.outputTail}</pre>` : nothing}`
        : nothing}
    </article>`;
  }
}

function outcomeClass(outcome: string): string {
  return outcome === 'succeeded' ? 'succeeded' : outcome === 'cancelled' || outcome === 'stale-result' ? 'cancelled' : outcome === 'lost' || outcome === 'refused' ? 'suspect' : 'failed';
}

customElements.define('gf-job-detail', GfJobDetail);

declare global {
  interface HTMLElementTagNameMap {
    'gf-job-detail': GfJobDetail;
  }
}
