import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { RecordCache } from '../store/RecordCache.js';
import { Snapshot } from '../store/Snapshot.js';
import { siteDashboardConfig } from './siteDashboardConfig.js';
import { writeSite } from './writeSite.js';

// A snapshot of an empty branch: it lists nothing, so it never asks its source.
const unread = () => {
  throw new Error('an empty snapshot reads nothing');
};
const emptySnapshot = async () => new Snapshot(null, { listTree: unread, readBlobs: unread }, new RecordCache());
const config = siteDashboardConfig({ github: 'acme/fleet', branch: 'main' });

function assets(): string {
  const dir = tempDir('gitfleet-assets-');
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">', { mode: 0o600 });
  writeFileSync(path.join(dir, 'app.js'), '//', { mode: 0o755 });
  mkdirSync(path.join(dir, 'fonts'), { mode: 0o700 });
  writeFileSync(path.join(dir, 'fonts', 'a.woff2'), 'font');
  symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
  return dir;
}

describe('writeSite', () => {
  afterAll(cleanupTempDirs);

  it("copies the dashboard's regular files with published modes, beside snapshot.json, dashboard.json and the badges", async () => {
    const out = path.join(tempDir('gitfleet-site-'), 'site');
    const result = await writeSite({ out, config, readSnapshot: emptySnapshot, assetsDir: assets() });
    expect(result.files).toEqual(['app.js', 'badges/fleet.json', 'dashboard.json', 'fonts/a.woff2', 'index.html', 'snapshot.json']);
    expect(JSON.parse(readFileSync(path.join(out, 'badges/fleet.json'), 'utf8'))).toMatchObject({ schemaVersion: 1, message: 'no servers' });
    // The page's CSP names the hosts its live source reads, and nothing else.
    expect(readFileSync(path.join(result.dir, 'index.html'), 'utf8')).toContain("connect-src 'self' https://api.github.com https://raw.githubusercontent.com;");
    for (const file of result.files) expect(statSync(path.join(out, file)).mode & 0o777, file).toBe(0o644);
    expect(statSync(path.join(out, 'fonts')).mode & 0o777).toBe(0o755);
    expect(JSON.parse(readFileSync(path.join(out, 'dashboard.json'), 'utf8'))).toEqual(config);
    expect(result).toMatchObject({ dir: out, replaced: false, site: { commit: null, files: {} } });
  });

  it('keeps the earlier site whole when building the new one fails', async () => {
    const parent = tempDir('gitfleet-site-');
    const out = path.join(parent, 'site');
    const assetsDir = assets();
    await writeSite({ out, config, readSnapshot: emptySnapshot, assetsDir });
    const before = readdirSync(out);
    const failing = async () => {
      throw new Error('remote unreachable');
    };
    await expect(writeSite({ out, config, readSnapshot: failing, assetsDir })).rejects.toThrow(/unreachable/);
    // Fails after the temporary folder exists: the dashboard is not built.
    await expect(writeSite({ out, config, readSnapshot: emptySnapshot, assetsDir: path.join(parent, 'missing') })).rejects.toThrow(/ENOENT/);
    expect(readdirSync(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['site']);
    expect((await writeSite({ out, config, readSnapshot: emptySnapshot, assetsDir })).replaced).toBe(true);
  });

  it('writes into an empty folder, refuses files, foreign folders and an invalid config', async () => {
    const parent = tempDir('gitfleet-site-');
    const empty = path.join(parent, 'empty');
    mkdirSync(empty);
    await writeSite({ out: empty, config, readSnapshot: emptySnapshot, assetsDir: assets() });
    expect(existsSync(path.join(empty, 'dashboard.json'))).toBe(true);

    const foreign = path.join(parent, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'dashboard.json'), '{"format":"something-else"}');
    await expect(writeSite({ out: foreign, config, readSnapshot: emptySnapshot })).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/not empty/),
    });
    writeFileSync(path.join(parent, 'file'), 'x');
    await expect(writeSite({ out: path.join(parent, 'file'), config, readSnapshot: emptySnapshot })).rejects.toMatchObject({ code: 'E_USAGE' });
    const bad = { ...config, live: { type: 'github' as const, owner: '../x', repo: 'r', branch: 'main' } };
    await expect(writeSite({ out: path.join(parent, 'new'), config: bad, readSnapshot: emptySnapshot })).rejects.toMatchObject({ code: 'E_USAGE' });
    expect(readdirSync(parent).sort()).toEqual(['empty', 'file', 'foreign']);
  });
});
