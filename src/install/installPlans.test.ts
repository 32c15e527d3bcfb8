import { describe, expect, it } from 'vitest';
import { chooseScheduler } from './chooseScheduler.js';
import { cronCommand, cronLine } from './cronLine.js';
import type { InstallSpec } from './InstallSpec.js';
import { protectHomeFor, scheduledPath } from './scheduledPath.js';
import { systemdUnits } from './systemdUnits.js';

const SPEC: InstallSpec = {
  scheduler: 'systemd',
  mode: 'once',
  everySeconds: 60,
  nodePath: '/usr/bin/node',
  cliPath: '/opt/gitfleet/dist/gitfleet.js',
  configPath: '/etc/gitfleet/agent.config.json',
  logFile: '/var/log/gitfleet/agent.log',
  userScope: false,
  targetDir: '/etc/systemd/system',
  runAs: 'gitfleet',
  pathEnv: '/usr/bin:/bin',
  stateDir: '/var/lib/gitfleet',
  codeCacheDir: '/var/cache/gitfleet/code',
  readWritePaths: ['/srv/app'],
  protectHome: 'true',
};

const lines = (spec: InstallSpec) => systemdUnits(spec).files[0]!.content.split('\n');

describe('install plans', () => {
  it('a system unit is sandboxed: only its state, cache and job folders are writable', () => {
    const service = lines(SPEC);
    for (const l of [
      'User=gitfleet',
      'ProtectSystem=strict',
      'ProtectHome=true',
      'StateDirectory=gitfleet',
      'CacheDirectory=gitfleet',
      'ConfigurationDirectory=gitfleet',
      'ReadWritePaths=-/srv/app',
      'Environment=HOME=/var/lib/gitfleet',
      'NoNewPrivileges=yes',
      'PrivateTmp=yes',
    ]) {
      expect(service).toContain(l);
    }
    expect(service.filter((l) => l.startsWith('ReadWritePaths='))).toEqual(['ReadWritePaths=-/srv/app']);
  });

  it('ProtectHome=read-only (and the real HOME) when node, the CLI or a job folder sits in a home', () => {
    expect(protectHomeFor(['/usr/bin/node', '/home/ops/.nvm/versions/node/v20/bin/node'])).toMatchObject({
      value: 'read-only',
      because: '/home/ops/.nvm/versions/node/v20/bin/node is under a home folder',
    });
    expect(protectHomeFor(['/usr/bin/node', '/roots/x', '/homeless'])).toEqual({ value: 'true' });
    expect(protectHomeFor(['/root'])).toMatchObject({ value: 'read-only' });
    const service = lines({ ...SPEC, protectHome: 'read-only' });
    expect(service).toContain('ProtectHome=read-only');
    expect(service.some((l) => l.startsWith('Environment=HOME='))).toBe(false);
  });

  it('a user unit keeps to what systemd --user can apply', () => {
    const service = lines({ ...SPEC, userScope: true, runAs: undefined });
    expect(service.some((l) => /^(User|ProtectSystem|StateDirectory)=/.test(l))).toBe(false);
  });

  it('the cron line sets PATH and the code cache folder, escapes % for cron, and its command part comes back intact', () => {
    const plan = cronLine({ ...SPEC, scheduler: 'cron', cliPath: '/opt/100%/gitfleet.js', pathEnv: '/opt/node/bin:/usr/bin:/bin' });
    expect(plan.crontabUser).toBe('gitfleet');
    expect(plan.crontabLine).toMatch(
      /^\* \* \* \* \* PATH=\/opt\/node\/bin:\/usr\/bin:\/bin GITFLEET_CODE_CACHE=\/var\/cache\/gitfleet\/code \/usr\/bin\/node \/opt\/100\\%\/gitfleet\.js agent --once/,
    );
    expect(cronCommand(plan.crontabLine!)).toBe(
      'PATH=/opt/node/bin:/usr/bin:/bin GITFLEET_CODE_CACHE=/var/cache/gitfleet/code /usr/bin/node /opt/100%/gitfleet.js agent --once --config /etc/gitfleet/agent.config.json --log-file /var/log/gitfleet/agent.log',
    );
    expect(cronLine({ ...SPEC, scheduler: 'cron', userScope: true, runAs: undefined }).crontabUser).toBeUndefined();
  });

  it("PATH for a scheduled run starts with node's folder and keeps the system folders", () => {
    const p = scheduledPath('/opt/node-20/bin/node', { PATH: '' }).split(':');
    expect(p[0]).toBe('/opt/node-20/bin');
    expect(p).toEqual(expect.arrayContaining(['/usr/local/bin', '/usr/bin', '/bin']));
  });

  it.runIf(process.platform === 'linux')('says why it chose a scheduler', () => {
    expect(chooseScheduler(undefined, (p) => p === '/run/systemd/system')).toEqual({ scheduler: 'systemd', reason: 'systemd: /run/systemd/system exists' });
    expect(chooseScheduler(undefined, (p) => p.endsWith('/crontab')).reason).toBe('cron: no systemd (/run/systemd/system is missing), crontab found');
    expect(chooseScheduler(undefined, () => false).reason).toMatch(/^cron: no systemd .*crontab was not found/);
    expect(chooseScheduler('cron').reason).toBe('cron: chosen with --scheduler');
  });
});
