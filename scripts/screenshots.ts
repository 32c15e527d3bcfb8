// npm run screenshots — PNGs of the dashboard's main views for the README, rendered from
// the benchmark fixture (24 servers, 60 messages, 40 jobs) in headless Chromium, into
// docs/screenshots/. The fixture and the page's clock share one fixed time, so ages read
// the same on every run; rerun after changing the dashboard and commit what changed.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, openPage, waitReady } from '../tests/helpers/browser.js';
import { startStaticSite } from '../tests/helpers/staticSite.js';
import { fixtureSnapshot, fleetFixture } from './bench/fleetFixture.js';
import { repoRoot } from './bench/repoRoot.js';

const NOW = Date.parse('2025-06-02T09:30:00Z');
// Dates on the page in one time zone and one language, whatever this machine's are (the browser inherits them).
process.env.TZ = 'UTC';
process.env.LANG = 'en_US.UTF-8';
process.env.LANGUAGE = 'en_US';
const MAX_BYTES = 300 * 1024;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Shot {
  file: string;
  hash: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

const files = fleetFixture({ servers: 24, messages: 60, jobs: 40, now: NOW });
const job = (id: string) => JSON.parse(files.get(`jobs/${id}.json`) ?? '{}') as { state?: string };
const failedJob = [...files.keys()].map((p) => /^jobs\/(.+)\.json$/.exec(p)?.[1]).find((id) => id && job(id).state === 'failed');
if (!failedJob || !files.has('status/srv-0014.json') || !files.has('messages/msg-00003.json')) throw new Error('the fixture lacks a record a screenshot needs');

const SHOTS: Shot[] = [
  { file: 'servers-light.png', hash: '#/servers' },
  { file: 'servers-dark.png', hash: '#/servers', colorScheme: 'dark' },
  { file: 'server-detail.png', hash: '#/servers/srv-0014' },
  { file: 'jobs.png', hash: '#/jobs' },
  { file: 'job-detail.png', hash: `#/jobs/${failedJob}` },
  { file: 'messages.png', hash: '#/messages' },
  { file: 'thread.png', hash: '#/messages/msg-00003' },
  { file: 'phone.png', hash: '#/servers', viewport: PHONE },
];

const root = repoRoot();
const outdir = path.join(root, 'docs/screenshots');
mkdirSync(outdir, { recursive: true });
const site = await startStaticSite(path.join(root, 'dist/dashboard'), {
  'snapshot.json': fixtureSnapshot(files, 'c0ffee'.padEnd(40, '0'), new Date(NOW).toISOString()),
  'dashboard.json': JSON.stringify({ format: 'gitfleet-dashboard', version: 1, title: 'acme fleet · gitfleet', snapshot: 'snapshot.json', live: null }),
});
const browser = await launchBrowser();
const tooLarge: string[] = [];
try {
  for (const shot of SHOTS) {
    const { page, problems } = await openPage(browser, { colorScheme: shot.colorScheme ?? 'light', viewport: shot.viewport ?? DESKTOP });
    // Date.now() in the page is the fixture's time; timers still run.
    await page.clock.setFixedTime(NOW);
    await page.goto(`${site.url}${shot.hash}`);
    await waitReady(page);
    // The mark comes before the child components have rendered: wait for an idle moment.
    await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => requestAnimationFrame(() => resolve()))));
    const file = path.join(outdir, shot.file);
    await page.screenshot({ path: file, animations: 'disabled' });
    await page.context().close();
    if (problems.errors.length) throw new Error(`${shot.file}: the page reported errors: ${problems.errors.join('; ')}`);
    const size = statSync(file).size;
    if (size > MAX_BYTES) tooLarge.push(shot.file);
    console.log(`${path.relative(root, file)}  ${shot.hash}  ${(size / 1024).toFixed(0)} KB`);
  }
} finally {
  await browser.close();
  await site.close();
}
if (tooLarge.length) {
  console.error(`larger than ${MAX_BYTES / 1024} KB: ${tooLarge.join(', ')}`);
  process.exit(1);
}
process.exit(0);
