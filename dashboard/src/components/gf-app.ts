import { LitElement, css, html, nothing } from 'lit';
import type { FleetData } from '../data/FleetData.js';
import type { LiveFleet } from '../data/LiveFleet.js';
import { exportRows, toCsv } from '../view/exportView.js';
import { allLabels, filterData } from '../view/filterData.js';
import { operatorsOf } from '../view/operatorInbox.js';
import { formatRoute, linkTo, parseRoute, type Route, type View, withoutFilters } from '../view/route.js';
import { time } from '../view/format.js';
import { downloadFile } from '../view/downloadFile.js';
import type { GfHelpDialog } from './gf-help-dialog.js';
import type { GfEvent } from './gfEvents.js';
import { ShortcutsController } from './ShortcutsController.js';
import { sharedStyles } from './sharedStyles.js';
import './gf-connection.js';
import './gf-filters.js';
import './gf-help-dialog.js';
import './gf-invalid-list.js';
import './gf-job-detail.js';
import './gf-job-table.js';
import './gf-message-list.js';
import './gf-search-box.js';
import './gf-server-detail.js';
import './gf-server-grid.js';
import './gf-summary.js';
import './gf-theme-toggle.js';
import './gf-thread-view.js';

const TABS: { view: View; label: string }[] = [
  { view: 'servers', label: 'Servers' },
  { view: 'jobs', label: 'Jobs' },
  { view: 'messages', label: 'Messages' },
  { view: 'invalid', label: 'Invalid' },
];

/**
 * The shell: header (title, search, connection, theme), summary, tabs, filters and the
 * current view, all driven by the URL hash; the exports; the shortcuts' actions.
 */
export class GfApp extends LitElement {
  static override properties = {
    fleet: { attribute: false },
    heading: { type: String },
    route: { state: true },
    now: { state: true },
    revision: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      header { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; justify-content: space-between; padding: 0.6rem 1rem; border-bottom: 1px solid var(--border); background: var(--header); position: sticky; top: 0; z-index: 1; }
      h1 { font-size: 1.15rem; margin: 0; }
      gf-search-box { flex: 1 1 14rem; max-width: 28rem; }
      .tools { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      main { padding: 0 1rem 2rem; max-width: 110rem; margin: 0 auto; }
      main:focus { outline: none; }
      nav ul { display: flex; gap: 0.25rem; list-style: none; padding: 0; margin: 0.5rem 0 0; border-bottom: 1px solid var(--border); flex-wrap: wrap; }
      nav a { display: block; padding: 0.4rem 0.8rem; text-decoration: none; color: var(--muted); border-bottom: 3px solid transparent; }
      nav a[aria-current='page'] { color: var(--fg); border-bottom-color: var(--accent); font-weight: 600; }
      .bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem; }
      .as-of { margin: 0.5rem 0 0; color: var(--muted); font-size: 0.9rem; }
      .banner { margin: 0.5rem 0; padding: 0.5rem 0.75rem; border-radius: 6px; background: var(--bad-bg); color: var(--bad-fg); }
      .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 0.5rem; z-index: 2; background: var(--card); padding: 0.3rem; }
    `,
  ];
  fleet!: LiveFleet;
  /** From dashboard.json; the fleet's name when absent. */
  heading = '';
  route: Route = parseRoute(location.hash);
  now = Date.now();
  revision = 0;
  #painted = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #onChange = () => {
    this.now = this.fleet.now;
    this.revision++;
  };
  readonly #onHash = () => this.#show(parseRoute(location.hash));
  readonly shortcuts = new ShortcutsController(this, {
    search: () => this.renderRoot.querySelector('gf-search-box')?.focus(),
    refresh: () => void this.fleet.refresh(),
    toggleTheme: () => this.renderRoot.querySelector('gf-theme-toggle')?.toggle(),
    openHelp: () => this.#help()?.open(),
    helpIsOpen: () => this.#help()?.isOpen ?? false,
    go: (view) => this.#go({ ...(view === this.route.view ? this.route : withoutFilters(this.route)), view, id: null }),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.fleet.addEventListener('change', this.#onChange);
    addEventListener('hashchange', this.#onHash);
    // Ages and health move with time even when no data does.
    this.#timer = setInterval(() => this.fleet.tick(), 15_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.fleet.removeEventListener('change', this.#onChange);
    removeEventListener('hashchange', this.#onHash);
    clearInterval(this.#timer);
  }

  override render() {
    const data = this.fleet.data;
    const name = this.heading || (data?.settings.name ? `${data.settings.name} · gitfleet` : 'gitfleet');
    document.title = name;
    const c = this.fleet.connection;
    return html`<a class="skip" href="#main" @click=${(e: Event) => this.#skip(e)}>Skip to content</a>
      <header>
        <h1>${name}</h1>
        <gf-search-box .value=${this.route.q} @search=${(e: GfEvent<'search'>) => this.#go({ ...this.route, q: e.detail })}></gf-search-box>
        <div class="tools">
          <gf-connection .connection=${c} .now=${this.now} @refresh=${(_e: GfEvent<'refresh'>) => void this.fleet.refresh()}></gf-connection>
          <gf-theme-toggle></gf-theme-toggle>
          <button aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)" @click=${() => this.#help()?.open()}>?</button>
        </div>
      </header>
      <main id="main" tabindex="-1" @navigate=${(e: GfEvent<'navigate'>) => this.#go(e.detail)}>
        ${c.message && c.state !== 'live' ? html`<p class="banner" role="alert">${c.message}</p>` : nothing}
        ${data ? this.#body(data) : html`<p class="empty">${c.state === 'loading' ? 'Loading the fleet…' : 'No data: the snapshot is missing and there is no live source.'}</p>`}
      </main>
      <gf-help-dialog></gf-help-dialog>`;
  }

  override updated(): void {
    if (this.fleet.data && !this.#painted) {
      this.#painted = true;
      // The views render in the microtasks after this update, and are painted in the next
      // frame: "interactive" is after that paint, not when the shell alone is up.
      requestAnimationFrame(() =>
        setTimeout(() => {
          document.body.dataset.ready = 'true';
          performance.mark('gitfleet:interactive');
        }),
      );
    }
  }

  #body(data: FleetData) {
    const r = this.route;
    const filtered = filterData(data, r);
    const counts: Record<View, number> = {
      servers: filtered.servers.length,
      jobs: filtered.jobs.length,
      messages: filtered.messages.length,
      invalid: filtered.invalid.length,
    };
    // A page that never refreshes shows one moment: say which, plainly (health is judged at it).
    const asOf = this.fleet.isLive
      ? nothing
      : html`<p class="as-of">Health and ages as of ${time(data.generatedAt)}, when this snapshot was taken; this page does not refresh by itself.</p>`;
    const now = this.fleet.isLive ? this.now : data.judgedAt;
    return html`${asOf}<gf-summary .data=${data} .route=${r} .now=${now}></gf-summary>
      <nav aria-label="views"><ul>
        ${TABS.map((t) => html`<li><a href=${linkTo(t.view === r.view ? r : withoutFilters(r), t.view)} aria-current=${t.view === r.view ? 'page' : 'false'}>${t.label} <span class="muted">${counts[t.view]}</span></a></li>`)}
      </ul></nav>
      <div class="bar">
        <gf-filters .route=${r} .labels=${allLabels(data)} .operators=${operatorsOf(data.messages, data.receipts)}></gf-filters>
        <div class="tools" role="group" aria-label="export">
          <button @click=${() => this.#export('json', filtered)}>Export JSON</button>
          <button @click=${() => this.#export('csv', filtered)}>Export CSV</button>
        </div>
      </div>
      ${this.#view(data, filtered)}`;
  }

  #view(data: FleetData, filtered: ReturnType<typeof filterData>) {
    const r = this.route;
    // Ages count to the moment health was judged: now when live, the snapshot's time when not.
    const now = this.fleet.isLive ? this.now : data.judgedAt;
    switch (r.view) {
      case 'servers': {
        if (!r.id) return html`<gf-server-grid .servers=${filtered.servers} .route=${r}></gf-server-grid>`;
        const server = data.servers.find((s) => s.id === r.id);
        return server
          ? html`<gf-server-detail .server=${server} .jobs=${data.jobs} .route=${r} .now=${now}></gf-server-detail>`
          : this.#missing(`server ${r.id}`);
      }
      case 'jobs': {
        if (!r.id) return html`<gf-job-table .jobs=${filtered.jobs} .route=${r} .now=${now}></gf-job-table>`;
        const job = data.jobs.find((j) => j.id === r.id);
        return job ? html`<gf-job-detail .job=${job} .route=${r}></gf-job-detail>` : this.#missing(`job ${r.id}`);
      }
      case 'messages': {
        if (!r.id)
          return html`<gf-message-list .messages=${filtered.messages} .servers=${data.servers} .receipts=${data.receipts} .route=${r} .now=${now}></gf-message-list>`;
        const thread = data.messages.filter((m) => m.thread === r.id);
        return thread.length
          ? html`<gf-thread-view .messages=${thread} .servers=${data.servers} .receipts=${data.receipts} .route=${r} .now=${now}></gf-thread-view>`
          : this.#missing(`thread ${r.id}`);
      }
      case 'invalid':
        return html`<gf-invalid-list .entries=${filtered.invalid}></gf-invalid-list>`;
    }
  }

  #missing(what: string) {
    return html`<p class="empty">No ${what} in this data (it may be archived, or not written yet). <a href=${linkTo(this.route, this.route.view)}>Back to the list</a></p>`;
  }

  #go(route: Route): void {
    const hash = formatRoute(route);
    if (hash !== location.hash) history.pushState(null, '', hash);
    this.#show(parseRoute(hash));
  }

  /**
   * Shows a route. Opening another view or record moves focus to the content, so keyboard
   * and screen-reader users land on what they opened; filters and search keep it where it is.
   */
  #show(route: Route): void {
    const moved = route.view !== this.route.view || route.id !== this.route.id;
    this.route = route;
    if (moved) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true }));
  }

  #export(format: 'json' | 'csv', filtered: ReturnType<typeof filterData>): void {
    const rows = exportRows(this.route.view, filtered);
    const stamp = new Date(this.now).toISOString().slice(0, 19).replace(/:/g, '');
    downloadFile(
      `gitfleet-${this.route.view}-${stamp}.${format}`,
      format === 'json' ? JSON.stringify(rows, null, 2) : toCsv(rows),
      format === 'json' ? 'application/json' : 'text/csv',
    );
  }

  #help(): GfHelpDialog | null {
    return this.renderRoot.querySelector('gf-help-dialog');
  }

  #skip(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }
}

customElements.define('gf-app', GfApp);

declare global {
  interface HTMLElementTagNameMap {
    'gf-app': GfApp;
  }
}
