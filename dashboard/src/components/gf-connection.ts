import { LitElement, css, html, nothing } from 'lit';
import type { Connection } from '../data/LiveFleet.js';
import { tokenStore } from '../data/tokenStore.js';
import { age } from '../view/format.js';
import { gfEvent } from './gfEvents.js';
import { sharedStyles } from './sharedStyles.js';

/**
 * Where the data comes from and how fresh it is: live, stale, offline or rate-limited,
 * the age of the last update and when the next one is due; a refresh button; for GitHub,
 * a form for the optional token (kept for this tab unless "remember" is ticked).
 */
export class GfConnection extends LitElement {
  static override properties = { connection: { attribute: false }, now: { type: Number }, tokenOpen: { state: true }, tokenError: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; font-size: 0.85rem; }
      .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; display: inline-block; background: var(--off); }
      .live .dot { background: var(--ok); } .stale .dot, .loading .dot { background: var(--warn); } .offline .dot, .error .dot, .rate-limited .dot { background: var(--bad); }
      .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      form { display: flex; gap: 0.4rem; align-items: center; flex-wrap: wrap; }
      input[type='password'] { font: inherit; background: var(--input); color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: 0.2rem 0.4rem; }
    `,
  ];
  connection!: Connection;
  now = Date.now();
  tokenOpen = false;
  tokenError = '';

  override render() {
    const c = this.connection;
    const state = this.#state();
    const since = c.lastSuccessAt === null ? 'never' : `${age(this.now - c.lastSuccessAt)} ago`;
    // `gitfleet serve` pushes each new commit on its event stream: no poll is "next".
    const pushed = c.source === 'serve';
    const next = c.nextRefreshAt === null || pushed ? '' : ` · next in ${age(Math.max(0, c.nextRefreshAt - this.now))}`;
    const text =
      state === 'live'
        ? pushed
          ? `live · updated ${since}`
          : `live (${c.source}) · updated ${since}${next}`
        : state === 'stale'
          ? `stale · last update ${since}${next}`
          : state === 'snapshot'
            ? `snapshot · as of ${c.lastSuccessAt === null ? 'an unknown time' : new Date(c.lastSuccessAt).toLocaleString()} (${since})`
            : state === 'loading'
              ? 'loading…'
              : state === 'rate-limited'
                ? `rate-limited · showing data from ${since}${next}`
                : `${state} · showing data from ${since}${next}`;
    // Only the state is a live region: the ages change every few seconds and would be read out each time.
    return html`<span class=${state} data-state=${state}><span class="dot" aria-hidden="true"></span> <span role="status" aria-live="polite" class="sr-only">${state}</span><span>${text}</span></span>
      ${c.source && c.source !== 'snapshot' ? html`<button @click=${() => this.#refresh()} title="Refresh now (r)">Refresh</button>` : nothing}
      ${c.source === 'github' ? this.#tokenControls() : nothing}`;
  }

  #state(): string {
    const c = this.connection;
    if (c.state !== 'live') return c.state;
    const period = (c.refreshSeconds ?? 60) * 1000;
    return c.lastSuccessAt !== null && this.now - c.lastSuccessAt > 3 * period ? 'stale' : 'live';
  }

  #tokenControls() {
    const has = tokenStore.get() !== null;
    if (!this.tokenOpen) return html`<button class="token" @click=${() => this.#openToken(true)}>${has ? 'Token ✓' : 'Add token'}</button>`;
    return html`<form @submit=${this.#save}>
      <label>GitHub token <input name="token" type="password" autocomplete="off" required /></label>
      <label><input name="remember" type="checkbox" /> remember on this device</label>
      <button type="submit">Use</button>
      ${has ? html`<button type="button" @click=${this.#clear}>Forget token</button>` : nothing}
      <button type="button" @click=${() => this.#openToken(false)}>Cancel</button>
      ${this.tokenError ? html`<span role="alert">${this.tokenError}</span>` : nothing}
    </form>`;
  }

  #save(e: SubmitEvent): void {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    try {
      tokenStore.set(String(form.get('token') ?? ''), form.get('remember') === 'on');
      this.#openToken(false);
      this.tokenError = '';
      this.#refresh();
    } catch (error) {
      this.tokenError = (error as Error).message;
    }
  }

  #clear(): void {
    tokenStore.clear();
    this.#openToken(false);
  }

  /** Opens or closes the token form, moving focus into it and back to its button. */
  #openToken(open: boolean): void {
    this.tokenOpen = open;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(open ? 'input[name=token]' : 'button.token')?.focus());
  }

  #refresh(): void {
    this.dispatchEvent(gfEvent('refresh', null));
  }
}

customElements.define('gf-connection', GfConnection);

declare global {
  interface HTMLElementTagNameMap {
    'gf-connection': GfConnection;
  }
}
