import './components/gf-app.js';
import { applyStoredTheme } from './components/gf-theme-toggle.js';
import type { DataSource } from './data/DataSource.js';
import { GitHubSource } from './data/GitHubSource.js';
import { LiveFleet } from './data/LiveFleet.js';
import { loadDashboardConfig } from './data/loadDashboardConfig.js';
import { recordValidator } from './data/recordValidator.js';
import { fetchSnapshot } from './data/snapshotFile.js';
import { ServeSource } from './data/ServeSource.js';
import { tokenStore } from './data/tokenStore.js';

applyStoredTheme();
// The default snapshot is fetched while dashboard.json is read: one round trip instead of two.
const early = fetchSnapshot('snapshot.json', new AbortController().signal);
early.catch(() => undefined);
const { config, problem } = await loadDashboardConfig();
const live = config.live;
let source: DataSource | null = null;
let cacheKey: string | null = null;
if (live?.type === 'github') {
  const target = {
    owner: live.owner,
    repo: live.repo,
    branch: live.branch,
    apiBase: live.apiBase ?? 'https://api.github.com',
    rawBase: live.rawBase ?? 'https://raw.githubusercontent.com',
  };
  source = new GitHubSource(target, live.refreshSeconds, () => tokenStore.get());
  cacheKey = `${target.apiBase}/${target.owner}/${target.repo}@${target.branch}`;
} else if (live?.type === 'serve') {
  source = new ServeSource(live.snapshot ?? 'snapshot.json', live.events ?? 'events');
}
const fleet = new LiveFleet({
  snapshotUrl: config.snapshot ?? 'snapshot.json',
  ...((config.snapshot ?? 'snapshot.json') === 'snapshot.json' ? { snapshot: early } : {}),
  live: source,
  cacheKey,
  // Records read with a token may come from a private repository: kept only if the token is.
  mayCache: () => tokenStore.get() === null || tokenStore.remembered(),
  validate: recordValidator,
});
const app = document.createElement('gf-app');
app.fleet = fleet;
app.heading = config.title ?? '';
document.getElementById('loading')?.remove();
document.body.prepend(app);
await fleet.start();
// A broken dashboard.json leaves the page on its snapshot: say why there is no live data.
if (problem) fleet.report(problem);
