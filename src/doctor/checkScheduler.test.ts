import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRunner } from '../install/systemCommands.js';
import { checkScheduler, installManifestPath } from './checkScheduler.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-sched-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const crontab =
  (text: string): CommandRunner =>
  async () => ({ code: 0, stdout: text, stderr: '' });

describe('checkScheduler', () => {
  it('is fine without an agent on an operator machine, and warns on a server', async () => {
    const dir = await dataDir();
    expect(await checkScheduler(dir, undefined)).toMatchObject({ status: 'ok' });
    expect(await checkScheduler(dir, 'web-01')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/gitfleet agent install/) });
  });

  it('checks the files and the crontab line that the manifest lists', async () => {
    const dir = await dataDir();
    const config = path.join(dir, 'agent.json');
    const unit = path.join(dir, 'gitfleet-agent.service');
    await fs.writeFile(config, '{}');
    const manifest = {
      version: 1,
      scheduler: 'cron',
      installedAt: '2026-11-30T00:00:00Z',
      configPath: config,
      files: [] as string[],
      deactivate: [],
      crontabMarker: ' # gitfleet-agent x',
    };
    await fs.writeFile(installManifestPath(dir), JSON.stringify(manifest));
    expect(await checkScheduler(dir, 'web-01', crontab('* * * * * gitfleet agent --once # gitfleet-agent x\n'))).toMatchObject({ status: 'ok' });
    expect(await checkScheduler(dir, 'web-01', crontab(''))).toMatchObject({ status: 'fail', message: expect.stringMatching(/cron entry missing/) });
    await fs.writeFile(installManifestPath(dir), JSON.stringify({ ...manifest, scheduler: 'systemd', crontabMarker: undefined, files: [unit] }));
    expect(await checkScheduler(dir, 'web-01')).toMatchObject({ status: 'fail', message: expect.stringContaining(unit) });
  });
});
