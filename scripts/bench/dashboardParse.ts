import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { openPage } from '../../tests/helpers/browser.js';

/**
 * The dashboard's own parse-and-validate code (snapshotFile, buildFleetData and the
 * validators generated at build time), bundled into a page of its own so it can be timed
 * in the browser without touching dashboard/src. `?validate=0` swaps the schema
 * validators for a no-op: the difference between the two is what validation costs.
 */
const HARNESS = `
import { buildFleetData } from './dashboard/src/data/buildFleetData.js';
import { recordValidator } from './dashboard/src/data/recordValidator.js';
import { parseSnapshot } from './dashboard/src/data/snapshotFile.js';
const validate = new URLSearchParams(location.search).get('validate') !== '0';
const text = await (await fetch('snapshot.json', { cache: 'no-store' })).text();
const t0 = performance.now();
const value = JSON.parse(text);
const t1 = performance.now();
const data = buildFleetData(parseSnapshot(value), validate ? recordValidator : () => [], Date.now());
const t2 = performance.now();
window.__parse = { snapshotJsonMs: t1 - t0, recordsMs: t2 - t1, records: data.servers.length + data.jobs.length + data.messages.length, invalid: data.invalid.length };
`;

export const PARSE_PAGE =
  '<!doctype html><meta charset="utf-8"><title>parse</title><link rel="icon" href="data:,"><script type="module" src="parse.js"></script>';

/** parse.js for the harness page, built like the dashboard (same validators, same minifier). */
export async function buildParseHarness(root: string): Promise<string> {
  const { validatorSource } = (await import(pathToFileURL(path.join(root, 'scripts/build-dashboard.mjs')).href)) as { validatorSource(root: string): string };
  const validators = validatorSource(root);
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: HARNESS, resolveDir: root, sourcefile: 'parse-harness.ts', loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: ['chrome111'],
    minify: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'gitfleet-validators',
        setup(b) {
          b.onResolve({ filter: /^gitfleet:validators$/ }, () => ({ path: 'validators', namespace: 'gitfleet' }));
          b.onLoad({ filter: /.*/, namespace: 'gitfleet' }, () => ({ contents: validators, loader: 'js', resolveDir: root }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

export interface ParseTiming {
  snapshotJsonMs: number;
  recordsMs: number;
  records: number;
  invalid: number;
}

/** One cold run of the harness in a fresh browser context. */
export async function timeParse(browser: Browser, siteUrl: string, validate: boolean): Promise<ParseTiming> {
  const { page, problems } = await openPage(browser);
  await page.goto(`${siteUrl}parse.html?validate=${validate ? 1 : 0}`);
  await page.waitForFunction(() => (window as unknown as { __parse?: unknown }).__parse !== undefined, undefined, { timeout: 30_000 });
  const timing = await page.evaluate(() => (window as unknown as { __parse: ParseTiming }).__parse);
  await page.context().close();
  if (problems.errors.length) throw new Error(`parse harness: ${problems.errors.join('; ')}`);
  return timing;
}
