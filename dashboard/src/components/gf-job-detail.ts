import { LitElement, css, html, nothing } from 'lit';
import { isRefused, shownReason, shownState } from '../../../src/jobs/shownState.js';
import type { Job } from '../../../src/schema/types.js';
import { time } from '../view/format.js';
import { jobCommands, lastAttempt, resultAttempt } from '../view/jobServers.js';
import { linkTo, type Route, withoutFilters } from '../view/route.js';
import { sharedStyles } from './sharedStyles.js';

/**
 * One job: what it asks for, where it runs or last ran, every attempt, the tail of its
 * output and which attempt wrote it, and the CLI lines that retry or cancel it (as text to
 * copy: the page itself never writes to the fleet).
 */
export class GfJobDetail extends LitElement {
  static override properties = { job: { attribute: false }, route: { attribute: false }, copied: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      .cli div { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.25rem 0; }
      .cli code { background: var(--code-bg); padding: 0.2rem 0.4rem; border-radius: 4px; user-select: all; }
    `,
  ];
  copied = '';
  job!: Job;
  route!: Route;

  override render() {
    const j = this.job;
    const a = j.assignment;
    const last = a ? undefined : lastAttempt(j);
    const from = resultAttempt(j);
    const commands = jobCommands(j);
    return html`<article aria-labelledby="title">
      <p><a href=${linkTo(this.route, 'jobs')}>← all jobs</a></p>
      <h2 id="title"><span class="mono">${j.id}</span> <span class="badge ${stateClass(j)}">${shownState(j)}</span> <span class="badge ${j.priority}">${j.priority}</span></h2>
      ${j.reason ? html`<p>${isRefused(j) ? 'Refused by its server: ' : ''}${shownReason(j)}</p>` : nothing}
      <table>
        <tbody>
          <tr><th scope="row">Kind</th><td>${j.kind}</td></tr>
          <tr><th scope="row">Parameters</th><td>${Object.entries(j.params).map(([k, v]) => html`<div><span class="mono">${k}</span> = <span class="mono">${v}</span></div>`)}</td></tr>
          <tr><th scope="row">Created</th><td>${time(j.createdAt)} by ${j.createdBy}</td></tr>
          <tr><th scope="row">Attempts</th><td>${j.attempts}${j.maxAttempts ? ` of ${j.maxAttempts}` : ''}${j.retryAt ? html` · next try ${time(j.retryAt)}` : nothing}</td></tr>
          <tr><th scope="row">Assignment</th><td>${a ? html`<a href=${linkTo(withoutFilters(this.route), 'servers', a.server)}>${a.server}</a>, attempt ${a.attempt}, since ${time(a.assignedAt)}${a.startedAt ? `, started ${time(a.startedAt)}` : ''}` : last?.server ? html`none now; attempt ${last.attempt} ran on <a href=${linkTo(withoutFilters(this.route), 'servers', last.server)}>${last.server}</a>` : '—'}</td></tr>
          <tr><th scope="row">Depends on</th><td>${(j.dependsOn ?? []).map((d) => html`<a class="mono" href=${linkTo(this.route, 'jobs', d)}>${d}</a> `)}${j.dependsOn?.length ? nothing : '—'}</td></tr>
          <tr><th scope="row">Constraints</th><td class="mono">${j.constraints ? JSON.stringify(j.constraints) : '—'}</td></tr>
          ${j.cancel ? html`<tr><th scope="row">Cancel</th><td>asked by ${j.cancel.requestedBy} at ${time(j.cancel.requestedAt)}${j.cancel.reason ? `: ${j.cancel.reason}` : ''}</td></tr>` : nothing}
        </tbody>
      </table>
      <h3>Attempts</h3>
      ${
        (j.history ?? []).length
          ? html`<table>
            <thead><tr><th scope="col">#</th><th scope="col">Server</th><th scope="col">Outcome</th><th scope="col">Exit</th><th scope="col">Ended</th><th scope="col">Why</th></tr></thead>
            <tbody>${(j.history ?? []).map((h) => html`<tr><td>${h.attempt}</td><td>${h.server ? html`<a href=${linkTo(withoutFilters(this.route), 'servers', h.server)}>${h.server}</a>` : '—'}</td><td><span class="badge ${outcomeClass(h.outcome)}">${h.outcome}</span></td><td>${h.exitCode ?? '—'}</td><td>${time(h.endedAt)}</td><td>${h.reason ?? ''}</td></tr>`)}</tbody>
          </table>`
          : html`<p class="muted">No attempt has ended yet.</p>`
      }
      ${
        j.result
          ? html`<h3>Result</h3>
            <section class="result">
            <p>${from ? html`From attempt ${from.attempt}${from.server ? html` on <a href=${linkTo(withoutFilters(this.route), 'servers', from.server)}>${from.server}</a>` : nothing}: ` : nothing}exit ${j.result.exitCode ?? '—'}${j.result.signal ? ` (signal ${j.result.signal})` : ''} at ${time(j.result.finishedAt)}${j.result.durationMs !== undefined ? ` after ${(j.result.durationMs / 1000).toFixed(1)} s` : ''}</p>
            ${j.result.outputTail ? html`<pre aria-label="output tail">${j.result.outputTail}</pre>` : nothing}
            </section>`
          : nothing
      }
      ${
        commands.length
          ? html`<section class="cli" aria-labelledby="cli-title">
            <h3 id="cli-title">From the command line</h3>
            ${commands.map((line) => html`<div><code class="mono">${line}</code><button @click=${() => this.#copy(line)} aria-label=${`Copy ${line}`}>${this.copied === line ? 'Copied' : 'Copy'}</button></div>`)}
          </section>`
          : nothing
      }
    </article>`;
  }

  #copy(line: string): void {
    copyText(line).then(
      () => (this.copied = line),
      () => (this.copied = ''),
    );
  }
}

/** Plain text to the clipboard; where there is none (a page served over plain http), the line stays there to select. */
function copyText(text: string): Promise<void> {
  return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard in this context'));
}

function outcomeClass(outcome: string): string {
  return outcome === 'succeeded'
    ? 'succeeded'
    : outcome === 'cancelled' || outcome === 'stale-result'
      ? 'cancelled'
      : outcome === 'lost' || outcome === 'refused'
        ? 'suspect'
        : 'failed';
}

customElements.define('gf-job-detail', GfJobDetail);

declare global {
  interface HTMLElementTagNameMap {
    'gf-job-detail': GfJobDetail;
  }
}

/** A refused job is stored as cancelled; it reads as a problem to look at, not an operator's choice. */
function stateClass(j: Job): string {
  return isRefused(j) ? 'suspect' : j.state;
}
