// npm run bench:dashboard — the static dashboard in headless Chromium with a 1,000-server,
// 10,000-message fleet: time to interactive, time until the main thread is idle, a search
// interaction, the bundle and snapshot sizes and the cost of parsing and validating the
// records, next to baselines from the same run (the same page with a 5-server fleet, and
// a plain static HTML page). Options: --runs N (default 5), --profile (adds a CPU profile
// of one big load, unminified build).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../../tests/helpers/browser.js';
import { startStaticSite, type StaticSite } from '../../tests/helpers/staticSite.js';
import { machineInfo, ms, percentile, ratio, table } from './benchUtil.js';
import { filterLatency, type ExpectedGrid } from './dashboardFilter.js';
import { loadDashboard, loadPlainPage, type LoadTiming } from './dashboardLoad.js';
import { buildParseHarness, PARSE_PAGE, timeParse, type ParseTiming } from './dashboardParse.js';
import { profileLoad } from './dashboardProfile.js';
import { fixtureSnapshot, fleetFixture, type FixtureOptions } from './fleetFixture.js';
import { repoRoot } from './repoRoot.js';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(arg('--runs') ?? 5);
const TTI_TARGET_MS = 1500;
const GZIP_TARGET_KB = 80;
const DEBOUNCE_MS = 150;
const root = repoRoot();
const assets = path.join(root, 'dist/dashboard');
const DASHBOARD_JSON = JSON.stringify({ format: 'gitfleet-dashboard', version: 1, snapshot: 'snapshot.json', live: null });

interface Scenario {
  name: string;
  fixture: FixtureOptions;
  /** A search that keeps about a tenth of the servers. */
  query: string;
  snapshot: string;
  site: StaticSite;
  loads: LoadTiming[];
  filter: number[];
  clear: number[];
  parse: ParseTiming[];
  parseNoValidation: ParseTiming[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');

// Bundle sizes first: they need no browser.
const bundle = ['app.js', 'app.css', 'index.html'].map((name) => {
  const data = readFileSync(path.join(assets, name));
  return { name, raw: data.length, gzip: gz(data) };
});
const bundleGzip = bundle.reduce((sum, f) => sum + f.gzip, 0);

const parseJs = await buildParseHarness(root);
const scenarios: Scenario[] = [];
for (const [name, fixture, query] of [
  ['5 servers, 10 messages (baseline)', { servers: 5, messages: 10 }, 'srv-0004'],
  ['1,000 servers, 10,000 messages, 500 jobs (default)', { servers: 1000, messages: 10_000 }, 'srv-09'],
  ['1,000 servers, 10,000 messages, 2,000 jobs', { servers: 1000, messages: 10_000, jobs: 2000 }, 'srv-09'],
] as const) {
  const snapshot = fixtureSnapshot(fleetFixture(fixture));
  const site = await startStaticSite(assets, { 'snapshot.json': snapshot, 'dashboard.json': DASHBOARD_JSON, 'parse.html': PARSE_PAGE, 'parse.js': parseJs });
  scenarios.push({ name, fixture, query, snapshot, site, loads: [], filter: [], clear: [], parse: [], parseNoValidation: [] });
}
const plain = await startStaticSite(assets, {
  'plain.html': '<!doctype html><meta charset="utf-8"><title>plain</title><link rel="icon" href="data:,"><h1>A plain static page</h1><p>Nothing else.</p>',
});

/** What the grid shows for a search: servers whose id matches (their host names are `<id>.example`). */
function expectedGrid(s: Scenario, query: string): ExpectedGrid {
  const matching = Array.from({ length: s.fixture.servers }, (_, i) => `srv-${String(i).padStart(4, '0')}`).filter((id) => id.includes(query)).length;
  return { matching, cards: Math.min(300, matching), idContains: query };
}

const browser = await launchBrowser();
const chromiumVersion = browser.version();
const started = performance.now();
// One untimed load of each page: the first start of the renderer and the disk cache are not what we measure.
for (const s of scenarios) await (await loadDashboard(browser, s.site.url)).close();
await loadPlainPage(browser, `${plain.url}plain.html`);

const plainLoads: number[] = [];
for (let run = 0; run < RUNS; run++) {
  // Interleaved, so a slow moment of the machine is spread over every scenario.
  for (const s of scenarios) {
    const load = await loadDashboard(browser, s.site.url);
    s.loads.push(load.timing);
    s.filter.push(await filterLatency(load.page, s.query, expectedGrid(s, s.query)));
    s.clear.push(await filterLatency(load.page, '', expectedGrid(s, '')));
    await load.close();
    // Three of each: a cold run of 10,000 records varies with where garbage collection falls.
    for (let k = 0; k < 3; k++) {
      s.parse.push(await timeParse(browser, s.site.url, true));
      s.parseNoValidation.push(await timeParse(browser, s.site.url, false));
    }
  }
  plainLoads.push(await loadPlainPage(browser, `${plain.url}plain.html`));
}
const profile = process.argv.includes('--profile')
  ? await profileLoad(browser, root, { 'snapshot.json': scenarios[1]!.snapshot, 'dashboard.json': DASHBOARD_JSON }, scenarios[1]!.site.url)
  : null;
const wall = performance.now() - started;
await browser.close();
for (const s of scenarios) await s.site.close();
await plain.close();

const p50 = (values: number[]) => percentile(values, 50);
const max = (values: number[]) => Math.max(...values);
const base = scenarios[0]!;
const plainP50 = p50(plainLoads);

console.log(`# bench:dashboard\n\nmachine: ${machineInfo()}, Chromium ${chromiumVersion} (headless)`);
console.log(`\n${RUNS} runs of each page, a fresh browser context each, 1280×800, in ${(wall / 1000).toFixed(0)} s; p50 and max of the runs.`);
console.log(`baseline: a plain static HTML page loads in ${ms(plainP50)} (p50, navigation start to the end of its load event)\n`);

console.log('## Load\n');
console.log(
  table(
    [
      'fleet',
      'snapshot (raw / gzip -9)',
      'interactive p50',
      'max',
      'idle p50',
      'max',
      'p50 vs 5 servers',
      'p50 vs plain page',
      `target ≤ ${TTI_TARGET_MS / 1000} s`,
    ],
    scenarios.map((s) => {
      const tti = s.loads.map((l) => l.interactive);
      const idle = s.loads.map((l) => l.idle);
      return [
        s.name,
        `${mb(s.snapshot.length)} / ${kb(gz(s.snapshot))}`,
        ms(p50(tti)),
        ms(max(tti)),
        ms(p50(idle)),
        ms(max(idle)),
        ratio(p50(tti) / p50(base.loads.map((l) => l.interactive))),
        ratio(p50(tti) / plainP50),
        `${pass(max(tti) <= TTI_TARGET_MS)} (idle ${pass(max(idle) <= TTI_TARGET_MS)})`,
      ];
    }),
  ),
);
console.log('\nWhere the time goes (p50, ms from navigation start):\n');
console.log(
  table(
    ['fleet', 'app.js received', 'snapshot requested', 'snapshot received', 'interactive', 'idle', 'long tasks (≥ 50 ms) total', 'longest task'],
    scenarios.map((s) => {
      const at = (f: (l: LoadTiming) => number) => ms(p50(s.loads.map(f)));
      return [
        s.name,
        at((l) => l.appJs),
        at((l) => l.snapshotStart),
        at((l) => l.snapshotEnd),
        at((l) => l.interactive),
        at((l) => l.idle),
        at((l) => l.longTaskMs),
        at((l) => l.longestTaskMs),
      ];
    }),
  ),
);

console.log(`\n## Parsing and validating the records (the dashboard's own code in a page of its own; ${3 * RUNS} cold runs each)\n`);
console.log(
  table(
    ['fleet', 'records', 'snapshot JSON.parse', 'records: parse, check, validate, sort (p50)', 'max', 'the same without schema validation', '→ validation'],
    scenarios.map((s) => {
      const records = p50(s.parse.map((p) => p.recordsMs));
      const without = p50(s.parseNoValidation.map((p) => p.recordsMs));
      return [
        s.name,
        `${s.parse[0]!.records} valid, ${s.parse[0]!.invalid} invalid`,
        ms(p50(s.parse.map((p) => p.snapshotJsonMs))),
        ms(records),
        ms(max(s.parse.map((p) => p.recordsMs))),
        ms(without),
        ms(records - without),
      ];
    }),
  ),
);

console.log(`\n## Search (type into the search box until the grid shows the result; includes the ${DEBOUNCE_MS} ms debounce)\n`);
console.log(
  table(
    ['fleet', 'search', 'servers shown', 'latency p50', 'max', `p50 − debounce`, 'vs 5 servers (− debounce)', 'clear the search p50', 'max'],
    scenarios.map((s) => {
      const g = expectedGrid(s, s.query);
      return [
        s.name,
        `"${s.query}"`,
        `${g.matching} of ${s.fixture.servers}`,
        ms(p50(s.filter)),
        ms(max(s.filter)),
        ms(p50(s.filter) - DEBOUNCE_MS),
        ratio((p50(s.filter) - DEBOUNCE_MS) / (p50(base.filter) - DEBOUNCE_MS)),
        ms(p50(s.clear)),
        ms(max(s.clear)),
      ];
    }),
  ),
);

console.log(`\n## Bundle (dist/dashboard)\n`);
console.log(
  table(
    ['file', 'raw', 'gzip -9'],
    [...bundle.map((f) => [f.name, kb(f.raw), kb(f.gzip)]), ['total', kb(bundle.reduce((sum, f) => sum + f.raw, 0)), `**${kb(bundleGzip)}**`]],
  ),
);
console.log(`\nbundle target ≤ ${GZIP_TARGET_KB} KB gzip: ${pass(bundleGzip / 1024 <= GZIP_TARGET_KB)}`);
if (profile) console.log(`\n## Profile (1,000 servers, 10,000 messages, 500 jobs)\n\n${profile}`);
process.exit(0);
