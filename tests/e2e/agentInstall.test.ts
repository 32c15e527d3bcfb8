import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const run = promisify(execFile);

// Per-user installs (--user): the machine-wide ones are in agentInstallSystem.test.ts.
describe('gitfleet agent install / uninstall (per user)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let crontabBefore: string;
  beforeAll(async () => {
    dataDir = tempDir();
    env = {
      GITFLEET_REPO: 'https://git.example.com/acme/fleet.git',
      GITFLEET_SERVER: 'web-01',
      GITFLEET_DATA_DIR: dataDir,
      GITFLEET_CACHE_DIR: path.join(dataDir, 'cache'),
      GITFLEET_INSTALL_ROOT: path.join(dataDir, 'must-stay-empty'),
    };
    crontabBefore = await run('crontab', ['-l']).then(
      (r) => r.stdout,
      () => '',
    );
  });
  afterAll(async () => {
    // Leave the machine's crontab exactly as it was.
    await new Promise<void>((resolve) => {
      const child = execFile('crontab', ['-'], () => resolve());
      child.stdin?.end(crontabBefore);
    });
    cleanupTempDirs();
  });

  it('systemd: a service and a timer that systemd-analyze verify accepts', async () => {
    const target = tempDir();
    const out = await runGitfleet(['agent', 'install', '--user', '--scheduler', 'systemd', '--every', '2m', '--target-dir', target, '--no-activate'], { env });
    expect(out.code).toBe(0);
    const service = readFileSync(path.join(target, 'gitfleet-agent.service'), 'utf8');
    const timer = readFileSync(path.join(target, 'gitfleet-agent.timer'), 'utf8');
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(service).toMatch(
      new RegExp(`^ExecStart=${process.execPath.replace(/[/.]/g, '\\$&')} \\S+/dist/gitfleet\\.c?js agent --once --config \\S+agent\\.config\\.json$`, 'm'),
    );
    expect(timer).toMatch(/^OnUnitActiveSec=120s$/m);
    const verify = await run('systemd-analyze', ['verify', path.join(target, 'gitfleet-agent.service'), path.join(target, 'gitfleet-agent.timer')]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(verify.stderr.split('\n').filter((l) => l.includes('gitfleet-agent'))).toEqual([]);
    expect(verify.code).toBe(0);
    // The config the scheduled agent reads: written once, never with a token.
    const config = JSON.parse(readFileSync(path.join(dataDir, 'agent.config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ repo: env.GITFLEET_REPO, server: 'web-01', agent: { every: 120 } });
    expect(JSON.stringify(config)).not.toMatch(/token"/i);
    // Logs go to the journal (journalctl -u gitfleet-agent), not to a file.
    expect(config.agent).not.toHaveProperty('logFile');
    expect((await runGitfleet(['agent', 'uninstall', '--user'], { env })).stdout).toMatch(/removed the systemd installation \(2 files\)/);
    // A per-user install keeps to the user's folders.
    expect(existsSync(env.GITFLEET_INSTALL_ROOT!)).toBe(false);
    expect(existsSync(path.join(target, 'gitfleet-agent.service'))).toBe(false);
  });

  it('systemd daemon mode: a restarting service, also verified', async () => {
    const target = tempDir();
    await runGitfleet(['agent', 'install', '--user', '--scheduler', 'systemd', '--mode', 'daemon', '--target-dir', target, '--no-activate'], { env });
    const service = readFileSync(path.join(target, 'gitfleet-agent.service'), 'utf8');
    expect(service).toMatch(/^Restart=always$/m);
    expect(service).not.toMatch(/--once/);
    await run('systemd-analyze', ['verify', path.join(target, 'gitfleet-agent.service')]);
    await runGitfleet(['agent', 'uninstall', '--user'], { env });
  });

  it('cron: install is idempotent, uninstall removes exactly its line', async () => {
    const other = '17 3 * * * /usr/bin/true # someone else\n';
    await new Promise<void>((resolve) => execFile('crontab', ['-'], () => resolve()).stdin?.end(other));
    expect((await runGitfleet(['agent', 'install', '--user', '--scheduler', 'cron', '--every', '5m'], { env })).code).toBe(0);
    expect((await runGitfleet(['agent', 'install', '--user', '--scheduler', 'cron', '--every', '5m'], { env })).code).toBe(0);
    const installed = (await run('crontab', ['-l'])).stdout;
    const ours = installed.split('\n').filter((l) => l.includes('# gitfleet-agent'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(
      /^\*\/5 \* \* \* \* PATH=\S+ GITFLEET_CODE_CACHE=\S+\/code \/\S+ \/\S+gitfleet\.c?js agent --once --config \S+ --log-file \S+agent\.log # gitfleet-agent /,
    );
    expect(installed).toContain('/usr/bin/true # someone else');
    // cron's own PATH is /usr/bin:/bin: the line brings node's folder and git's.
    const pathDirs = /PATH=(\S+)/.exec(ours[0]!)![1]!.split(':');
    expect(pathDirs).toContain(path.dirname(process.execPath));
    expect(pathDirs).toContain(path.dirname((await run('sh', ['-c', 'command -v git'])).stdout.trim()));
    expect((await runGitfleet(['agent', 'uninstall', '--user'], { env })).code).toBe(0);
    expect((await run('crontab', ['-l'])).stdout).toBe(other);
    expect((await runGitfleet(['agent', 'uninstall', '--user'], { env })).stdout).toMatch(/nothing was installed/);
  });

  it('cron refuses an interval it cannot express, and installs nothing', async () => {
    const out = await runGitfleet(['agent', 'install', '--user', '--scheduler', 'cron', '--every', '90s'], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/cron runs at most once a minute/);
    expect(existsSync(path.join(dataDir, 'agent-install.json'))).toBe(false);
  });

  it('launchd and Task Scheduler definitions name the same command', async () => {
    const plist = await runGitfleet(['agent', 'install', '--user', '--scheduler', 'launchd', '--print', '--json'], { env });
    const launchd = JSON.parse(plist.stdout) as { files: { content: string }[]; activate: string[][] };
    expect(launchd.files[0]!.content).toMatch(/<key>StartInterval<\/key><integer>60<\/integer>/);
    expect(launchd.files[0]!.content).toMatch(/<string>--once<\/string>/);
    expect(launchd.activate[0]!.slice(0, 2)).toEqual(['launchctl', 'bootstrap']);
    const task = await runGitfleet(['agent', 'install', '--user', '--scheduler', 'taskscheduler', '--print', '--json'], { env });
    const xml = (JSON.parse(task.stdout) as { files: { content: string }[] }).files[0]!.content;
    expect(xml).toMatch(/<Interval>PT60S<\/Interval>/);
    expect(xml).toMatch(/<MultipleInstancesPolicy>IgnoreNew<\/MultipleInstancesPolicy>/);
    expect(xml).toMatch(/agent --once --config/);
    // --print changes nothing.
    expect(existsSync(path.join(dataDir, 'agent-install.json'))).toBe(false);
  });
});
