import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, CDPSession } from 'playwright-core';
import { startStaticSite } from '../../tests/helpers/staticSite.js';
import { loadDashboard } from './dashboardLoad.js';
import { mainThreadBreakdown } from './traceSummary.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * `--profile`: one load of the big fleet (the built site at `siteUrl`) with a Chrome trace,
 * summarised as main-thread time by activity; then one load under the V8 sampling
 * profiler (CDP `Profiler`), on an unminified build of the dashboard in a temporary folder
 * so the functions keep their names: the hottest functions by self and inclusive time,
 * from navigation to the first idle callback after the interactive mark.
 */
export async function profileLoad(browser: Browser, root: string, files: Record<string, string>, siteUrl: string): Promise<string> {
  const traced = await loadDashboard(browser, siteUrl, (page) =>
    browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading'] }),
  );
  const breakdown = mainThreadBreakdown(await browser.stopTracing());
  await traced.close();
  const activity = [
    `Main thread by trace event (self time; one load of the minified build, idle after ${traced.timing.idle.toFixed(0)} ms)\n`,
    '| trace event | self time |\n| --- | --- |',
    ...breakdown.map((b) => `| ${b.name} | ${b.ms.toFixed(1)} ms |`),
  ].join('\n');
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'gitfleet-bench-dash-'));
  try {
    const { buildDashboard } = (await import(pathToFileURL(path.join(root, 'scripts/build-dashboard.mjs')).href)) as {
      buildDashboard(o: { root: string; outdir: string; minify: boolean; quiet: boolean }): Promise<unknown>;
    };
    await buildDashboard({ root, outdir, minify: false, quiet: true });
    const site = await startStaticSite(outdir, files);
    let cdp: CDPSession | undefined;
    const load = await loadDashboard(browser, site.url, async (page) => {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    });
    const { profile } = (await cdp!.send('Profiler.stop')) as unknown as { profile: Profile };
    await load.close();
    await site.close();
    return `${activity}\n\n${summarize(profile, load.timing.idle)}`;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function summarize(profile: Profile, idleMs: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    total += dt;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id)!);
      if (k === '(root)' || seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${v.toFixed(1)} ms | ${((v / total) * 100).toFixed(1)} % |`)
      .join('\n');
  return [
    `CPU profile of one load (unminified build; idle after ${idleMs.toFixed(0)} ms; ${total.toFixed(0)} ms of samples not idle)\n`,
    '| function (self time) | self | share |\n| --- | --- | --- |',
    top(self, 15),
    '\n| function (inclusive time) | inclusive | share |\n| --- | --- | --- |',
    top(inclusive, 25),
  ].join('\n');
}
