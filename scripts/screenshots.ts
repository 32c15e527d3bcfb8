// npm run screenshots — PNGs of the dashboard's main views for the README, taken from a real
// run of the embedded local fleet (`npm start`: a repository served over loopback, five
// simulated agents, the coordinator, demo jobs and messages, the dashboard) in headless
// Chromium, into docs/screenshots/. An operator acts through the real CLI meanwhile: a
// critical message to the web tier, acknowledged by one of its servers and answered by it.
// Every wait polls the dashboard's own snapshot until the fleet has shown what a shot needs
// (no fixed sleeps). Rerun after changing the dashboard and commit what changed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalFleet } from '../src/local/startLocalFleet.js';
import type { Job, Message, ReadReceipts, ServerStatus } from '../src/schema/types.js';
import { createLogger } from '../src/util/logger.js';
import { launchBrowser, openPage, waitReady } from '../tests/helpers/browser.js';

// Dates on the page in one time zone and one language, whatever this machine's are (the browser inherits them).
process.env.TZ = 'UTC';
process.env.LANG = 'en_US.UTF-8';
process.env.LANGUAGE = 'en_US';
const MAX_BYTES = 300 * 1024;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** How long the fleet may take to show everything the shots need (a busy 2-core machine included). */
const PATIENCE_MS = 10 * 60_000;
/** Points of status history (one a minute) every server needs before the shots: sparklines need a few to draw a line. */
const MIN_HISTORY = 5;
/** How long to wait for a failed job to show on the job page before taking a successful one. */
const FAILURE_WAIT_MS = 3 * 60_000;
const FINISHED = new Set<Job['state']>(['succeeded', 'failed', 'dead', 'cancelled']);

/** npm runs scripts in the package's folder: that checkout's docs/ and dist/ are the ones meant. */
const root = process.cwd();
if (
  !existsSync(path.join(root, 'package.json')) ||
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string }).name !== 'gitfleet'
) {
  throw new Error('run this from the gitfleet checkout (npm run screenshots)');
}
const outdir = path.join(root, 'docs/screenshots');
mkdirSync(outdir, { recursive: true });

interface Seen {
  servers: string[];
  /** Points of status history per server. */
  history: Map<string, number>;
  jobs: Job[];
  messages: Message[];
  receipts: Map<string, ReadReceipts>;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'gitfleet-screenshots-'));
// The agents log each critical message they receive as an error: here that is the one this script sent.
const logger = createLogger({ level: 'warn', write: (line) => void (line.includes(' message.critical ') || process.stderr.write(`${line}\n`)) });
const fleet = await startLocalFleet({ dataDir: path.join(work, 'fleet'), port: 0, dashboardPort: 0, logger, demo: () => undefined });
const browser = await launchBrowser();
const tooLarge: string[] = [];
try {
  const dashboard = fleet.dashboardUrl;
  if (!dashboard) throw new Error('the local fleet started without its dashboard: npm run build first');
  await sameBuild(dashboard);
  const cli = (args: string[], server?: string) => gitfleet(args, server);

  const all = await until('every simulated server reported', (s) => fleet.servers.every((id) => s.servers.includes(id)));
  console.log(`fleet up: ${all.servers.length} servers at ${fleet.repoUrl}`);
  const { message: sent } = JSON.parse(
    await cli([
      'msg',
      'send',
      '--to',
      'label:web',
      '--priority',
      'critical',
      '--type',
      'warning',
      '--subject',
      'Rotate the TLS certificate of the web tier',
      '--body',
      'The current one expires on Friday. Rotate it on each web server, then acknowledge this message.',
      '--expires',
      '2d',
      '--json',
    ]),
  ) as { message: Message };
  await until('the critical message reached both web servers', (s) => ['web-01', 'web-02'].every((id) => s.receipts.get(id)?.delivered?.[sent.id]));
  await cli(['msg', 'ack', sent.id], 'web-01');
  await cli(['msg', 'reply', sent.id, '--as-server', '--body', 'Rotated on web-01; web-02 is next.'], 'web-01');
  // demo.test fails one run in four: the job page is best shown with a failure, which a
  // short run may not have had yet; past FAILURE_WAIT_MS a finished job of any kind will do.
  const failureBy = Date.now() + FAILURE_WAIT_MS;
  const ready = await until(`jobs finished, servers answered requests and every server has ${MIN_HISTORY} minutes of history`, (s) => {
    if (!fleet.servers.every((id) => (s.history.get(id) ?? 0) >= MIN_HISTORY)) return false;
    const finished = s.jobs.filter((j) => FINISHED.has(j.state));
    return (
      finished.length >= 4 &&
      (finished.some(hasFailure) || Date.now() > failureBy) &&
      s.messages.length >= 6 &&
      s.messages.some((m) => m.replyTo && m.from !== 'web-01') &&
      s.receipts.get('web-01')?.acked?.[sent.id] !== undefined
    );
  });
  const newestFirst = ready.jobs.filter((j) => FINISHED.has(j.state)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const shown = newestFirst.find(hasFailure) ?? newestFirst[0]!;
  const shots: { file: string; hash: string; colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }[] = [
    { file: 'servers-light.png', hash: '#/servers' },
    { file: 'servers-dark.png', hash: '#/servers', colorScheme: 'dark' },
    { file: 'server-detail.png', hash: '#/servers/build-01' },
    { file: 'jobs.png', hash: '#/jobs' },
    { file: 'job-detail.png', hash: `#/jobs/${shown.id}` },
    { file: 'messages.png', hash: '#/messages' },
    { file: 'thread.png', hash: `#/messages/${sent.id}` },
    { file: 'phone.png', hash: '#/servers', viewport: PHONE },
  ];
  for (const shot of shots) {
    const { page, problems } = await openPage(browser, { colorScheme: shot.colorScheme ?? 'light', viewport: shot.viewport ?? DESKTOP });
    await page.goto(new URL(shot.hash, dashboard).href);
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
  await fleet.stop();
  rmSync(work, { recursive: true, force: true });
}
if (tooLarge.length) {
  console.error(`larger than ${MAX_BYTES / 1024} KB: ${tooLarge.join(', ')}`);
  process.exit(1);
}
process.exit(0);

/** A job that failed in some attempt: the job page then shows an exit code and an error tail. */
function hasFailure(j: Job): boolean {
  return j.state === 'failed' || j.state === 'dead' || (j.history ?? []).some((h) => h.outcome === 'failed');
}

/**
 * Polls the dashboard's snapshot (what the page itself loads) until `ready` holds, and
 * returns what it saw then. Each poll waits for the answer before the next: no fixed sleep
 * decides anything, the deadline only turns a fleet that never gets there into an error.
 */
async function until(what: string, ready: (seen: Seen) => boolean): Promise<Seen> {
  const deadline = Date.now() + PATIENCE_MS;
  let last: Seen | null = null;
  for (;;) {
    last = (await readSnapshot()) ?? last;
    if (last && ready(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `gave up waiting after ${PATIENCE_MS / 1000} s: ${what} (saw ${last ? `${last.servers.length} servers, ${last.jobs.length} jobs, ${last.messages.length} messages` : 'no snapshot'})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function readSnapshot(): Promise<Seen | null> {
  const res = await fetch(new URL('snapshot.json', fleet.dashboardUrl!));
  if (res.status === 503) return null;
  if (!res.ok) throw new Error(`the dashboard answered ${res.status} for snapshot.json`);
  const { files } = (await res.json()) as { files: Record<string, string> };
  const seen: Seen = { servers: [], history: new Map(), jobs: [], messages: [], receipts: new Map() };
  for (const [file, text] of Object.entries(files)) {
    const m = /^(status|jobs|messages|messages\/receipts)\/([a-z0-9-]+)\.json$/.exec(file);
    if (!m) continue;
    const record = JSON.parse(text) as unknown;
    if (m[1] === 'status') {
      seen.servers.push(m[2]!);
      seen.history.set(m[2]!, ((record as ServerStatus).history ?? []).length);
    } else if (m[1] === 'jobs') seen.jobs.push(record as Job);
    else if (m[1] === 'messages') seen.messages.push(record as Message);
    else seen.receipts.set(m[2]!, record as ReadReceipts);
  }
  return seen;
}

/** The operator (or, with `server`, someone on that server) through the built CLI, on its own cache. */
async function gitfleet(args: string[], server?: string): Promise<string> {
  const env = {
    ...process.env,
    GITFLEET_REPO: fleet.repoUrl,
    GITFLEET_CACHE_DIR: path.join(work, 'cli-cache'),
    GITFLEET_DATA_DIR: path.join(work, 'cli-data'),
    GITFLEET_OPERATOR: 'alice',
    GITFLEET_NO_STDIN: '1',
    ...(server ? { GITFLEET_SERVER: server } : {}),
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(root, 'dist/gitfleet.js'), ...args], { env, cwd: work, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`gitfleet ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** The fleet serves the dashboard this checkout just built, not another checkout's. */
async function sameBuild(dashboard: string): Promise<void> {
  const served = await (await fetch(new URL('app.js', dashboard))).text();
  if (served !== readFileSync(path.join(root, 'dist/dashboard/app.js'), 'utf8'))
    throw new Error(`${dashboard} serves another build of the dashboard than ${path.join(root, 'dist/dashboard')}`);
}
