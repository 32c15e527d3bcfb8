import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronCommand } from '../../src/install/cronLine.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const run = promisify(execFile);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const TOKEN = 'ghp_SystemInstallToken0123456789abcdef';

function ids(user: string): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', user]).toString()), gid: Number(execFileSync('id', ['-g', user]).toString()) };
}

function mode(file: string): string {
  return (statSync(file).mode & 0o777).toString(8);
}

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const full = path.join(dir, n);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

/**
 * Machine-wide installs (as root): /etc/gitfleet, /var/lib/gitfleet, /var/cache/gitfleet,
 * /var/log/gitfleet, all under GITFLEET_INSTALL_ROOT so the real /etc is never touched,
 * and an account created for the test that the agent runs as.
 */
describe('gitfleet agent install, machine-wide (as root)', () => {
  // CI runs as root. Elsewhere this fails with a message saying so, never a silent skip.
  if (!isRoot) {
    it('needs root (useradd, chown, crontab -u): run this file as root', () => {
      expect.fail('tests/e2e/agentInstallSystem.test.ts must run as root: it creates a system user and installs for it (CI runs as root)');
    });
    return;
  }

  const user = `gitfleet-test-${randomBytes(3).toString('hex')}`;
  let root: string;
  let home: string;
  let remote: FleetRemote;
  let env: Record<string, string>;
  beforeAll(async () => {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    remote = await startFleetRemote();
    root = tempDir('gitfleet-install-root-');
    // The prefix stands for "/": anyone may traverse it, as anyone may traverse /etc and /var.
    chmodSync(root, 0o755);
    home = tempDir('gitfleet-root-home-');
    const work = tempDir();
    expect(
      (
        await runGitfleet(['init'], {
          env: { GITFLEET_REPO: remote.httpUrl, GITFLEET_DATA_DIR: path.join(work, 'data'), GITFLEET_CACHE_DIR: path.join(work, 'cache') },
        })
      ).code,
    ).toBe(0);
    // The installing root's own settings live in its home (HOME points at a temporary one).
    env = {
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_SERVER: 'srv-07',
      GITFLEET_INSTALL_ROOT: root,
      HOME: home,
      XDG_STATE_HOME: path.join(home, '.local/state'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    };
  });
  afterAll(async () => {
    await run('crontab', ['-u', user, '-r']).catch(() => undefined);
    await run('userdel', [user]).catch(() => undefined);
    await remote?.close();
    cleanupTempDirs();
  });

  it('systemd --run-as: config in /etc/gitfleet readable by the agent only, state and cache its own, a hardened unit that systemd-analyze verify accepts', async () => {
    const target = tempDir();
    const tokenFile = path.join(home, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const jobDir = path.join(tempDir(), 'srv app');
    const configFile = path.join(home, 'gitfleet.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ repo: remote.httpUrl, server: 'srv-07', tokenFile, jobs: { kinds: { deploy: { argv: ['/bin/true'], cwd: jobDir } } } }),
    );
    const out = await runGitfleet(
      ['agent', 'install', '--scheduler', 'systemd', '--run-as', user, '--target-dir', target, '--no-activate', '--config', configFile],
      { env },
    );
    expect(out.stderr).not.toMatch(/error|warn/i);
    expect(out.code).toBe(0);
    const { gid } = ids(user);

    const config = path.join(root, 'etc/gitfleet/agent.config.json');
    expect(statSync(config)).toMatchObject({ uid: 0, gid });
    expect(mode(config)).toBe('640');
    const written = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({
      repo: remote.httpUrl,
      server: 'srv-07',
      dataDir: path.join(root, 'var/lib/gitfleet'),
      cacheDir: path.join(root, 'var/cache/gitfleet'),
      tokenFile: path.join(root, 'etc/gitfleet/token'),
      jobs: { kinds: { deploy: { cwd: jobDir } } },
    });
    // The token is copied next to the config, as private; never into the config.
    expect(readFileSync(config, 'utf8')).not.toContain(TOKEN);
    expect(statSync(path.join(root, 'etc/gitfleet/token'))).toMatchObject({ uid: 0, gid });
    expect(mode(path.join(root, 'etc/gitfleet/token'))).toBe('640');
    for (const dir of ['var/lib/gitfleet', 'var/cache/gitfleet']) {
      expect(statSync(path.join(root, dir))).toMatchObject(ids(user));
      expect(mode(path.join(root, dir))).toBe('750');
    }
    // systemd: the log goes to the journal, not to a file the sandbox could not write.
    expect(written.agent).not.toHaveProperty('logFile');
    expect(existsSync(path.join(root, 'var/log/gitfleet'))).toBe(false);
    // Nothing in the installing user's home.
    expect(allFiles(home).sort()).toEqual([configFile, tokenFile].sort());

    const service = readFileSync(path.join(target, 'gitfleet-agent.service'), 'utf8');
    expect(service).toMatch(new RegExp(`^ExecStart=\\S+ \\S+gitfleet\\.c?js agent --once --config ${config.replace(/[/.]/g, '\\$&')}$`, 'm'));
    for (const line of [
      `User=${user}`,
      'ProtectSystem=strict',
      'ProtectHome=true',
      'NoNewPrivileges=yes',
      'PrivateTmp=yes',
      'StateDirectory=gitfleet',
      'CacheDirectory=gitfleet',
      'ConfigurationDirectory=gitfleet',
      'ProtectKernelTunables=yes',
      'ProtectControlGroups=yes',
      'RestrictSUIDSGID=yes',
      'LockPersonality=yes',
      'RestrictRealtime=yes',
      `ReadWritePaths="-${jobDir}"`,
    ]) {
      expect(service.split('\n')).toContain(line);
    }
    // Writable: its State/CacheDirectory and the job folder, nothing else (the state and
    // cache are listed too only because GITFLEET_INSTALL_ROOT moves them off /var).
    expect(service.split('\n').filter((l) => l.startsWith('ReadWritePaths='))).toEqual([
      `ReadWritePaths="-${jobDir}"`,
      `ReadWritePaths=-${root}/var/lib/gitfleet`,
      `ReadWritePaths=-${root}/var/cache/gitfleet`,
    ]);
    expect(service).toMatch(/^Environment=PATH=\S*\/usr\/bin\S*$/m);
    const verify = await run('systemd-analyze', ['verify', path.join(target, 'gitfleet-agent.service'), path.join(target, 'gitfleet-agent.timer')]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(verify.stderr.split('\n').filter((l) => l.includes('gitfleet-agent'))).toEqual([]);
    expect(verify.code).toBe(0);

    const removed = await runGitfleet(['agent', 'uninstall'], { env });
    expect(removed.stdout).toMatch(/removed the systemd installation \(2 files\)/);
    expect(existsSync(path.join(target, 'gitfleet-agent.service'))).toBe(false);

    // The daemon unit: as hardened, also verified.
    expect(
      (
        await runGitfleet(['agent', 'install', '--scheduler', 'systemd', '--mode', 'daemon', '--run-as', user, '--target-dir', target, '--no-activate'], {
          env,
        })
      ).code,
    ).toBe(0);
    const daemon = readFileSync(path.join(target, 'gitfleet-agent.service'), 'utf8').split('\n');
    expect(daemon).toEqual(
      expect.arrayContaining([`User=${user}`, 'ProtectSystem=strict', 'Restart=always', `Environment=HOME=${path.join(root, 'var/lib/gitfleet')}`]),
    );
    await run('systemd-analyze', ['verify', path.join(target, 'gitfleet-agent.service')]);
    expect((await runGitfleet(['agent', 'uninstall'], { env })).code).toBe(0);
  });

  it('replaces an earlier per-user installation made by root, so one agent runs, not two', async () => {
    const dataDir = path.join(home, '.local/state/gitfleet');
    const before = tempDir();
    const after = tempDir();
    expect((await runGitfleet(['agent', 'install', '--user', '--scheduler', 'systemd', '--target-dir', before, '--no-activate'], { env })).code).toBe(0);
    expect(existsSync(path.join(dataDir, 'agent-install.json'))).toBe(true);
    const out = await runGitfleet(['agent', 'install', '--scheduler', 'systemd', '--target-dir', after, '--no-activate'], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/removed the earlier per-user systemd installation/);
    expect(readdirSync(before)).toEqual([]);
    expect(readdirSync(after).sort()).toEqual(['gitfleet-agent.service', 'gitfleet-agent.timer']);
    expect(existsSync(path.join(dataDir, 'agent-install.json'))).toBe(false);
    expect((await runGitfleet(['agent', 'uninstall'], { env })).code).toBe(0);
  });

  it('--run-as is refused where it cannot work: launchd, Task Scheduler, a per-user install', async () => {
    for (const args of [
      ['--scheduler', 'launchd'],
      ['--scheduler', 'taskscheduler'],
      ['--scheduler', 'cron', '--user'],
    ]) {
      const out = await runGitfleet(['agent', 'install', ...args, '--run-as', user, '--print'], { env });
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--run-as (works with systemd and cron|needs a machine-wide install)/);
    }
  });

  it('--print shows the config it would write (no token), why it chose its scheduler and what is writable; it changes nothing', async () => {
    const printRoot = path.join(tempDir(), 'root');
    const out = await runGitfleet(['agent', 'install', '--print', '--run-as', user], {
      env: { ...env, GITFLEET_INSTALL_ROOT: printRoot, GITFLEET_TOKEN: TOKEN },
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^scheduler: (systemd: \/run\/systemd\/system exists|cron: no systemd \(\/run\/systemd\/system is missing\), crontab found)$/m);
    expect(out.stdout).toContain(`--- ${path.join(printRoot, 'etc/gitfleet/agent.config.json')}`);
    expect(out.stdout).toContain(`"dataDir": "${path.join(printRoot, 'var/lib/gitfleet')}"`);
    expect(out.stdout).not.toContain(TOKEN);
    expect(existsSync(printRoot)).toBe(false);
    const systemd = await runGitfleet(['agent', 'install', '--print', '--scheduler', 'systemd'], { env: { ...env, GITFLEET_INSTALL_ROOT: printRoot } });
    expect(systemd.stdout).toMatch(/^scheduler: systemd: chosen with --scheduler$/m);
    expect(systemd.stdout).toMatch(/^writable beyond state and cache: nothing \(no jobs\.kinds\.\*\.cwd in the config\)$/m);
    expect(existsSync(printRoot)).toBe(false);
  });

  it('--run-as refuses a user that does not exist, before writing anything', async () => {
    const badRoot = path.join(tempDir(), 'root');
    const out = await runGitfleet(['agent', 'install', '--scheduler', 'cron', '--run-as', 'no-such-user-x9', '--no-activate'], {
      env: { ...env, GITFLEET_INSTALL_ROOT: badRoot },
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no-such-user-x9: no such user/);
    expect(existsSync(badRoot)).toBe(false);
  });

  it('machine-wide too, a token in the repository URL is refused and nothing is written', async () => {
    const badRoot = path.join(tempDir(), 'root');
    const out = await runGitfleet(['agent', 'install', '--scheduler', 'systemd', '--run-as', user, '--target-dir', tempDir(), '--no-activate'], {
      env: { ...env, GITFLEET_INSTALL_ROOT: badRoot, GITFLEET_REPO: 'https://bot:tok-Sys1nst4ll@git.example.com/acme/fleet.git' },
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/holds a credential/);
    expect(out.stdout + out.stderr).not.toContain('tok-Sys1nst4ll');
    expect(existsSync(badRoot)).toBe(false);
  });

  it('cron --run-as: the installed line, run as that (non-root) user, publishes its status to the fleet', async () => {
    const out = await runGitfleet(['agent', 'install', '--scheduler', 'cron', '--run-as', user], { env });
    expect(out.stderr).not.toMatch(/error|warn/i);
    expect(out.code).toBe(0);
    const table = (await run('crontab', ['-u', user, '-l'])).stdout;
    const line = table.split('\n').find((l) => l.includes('# gitfleet-agent'))!;
    expect(statSync(path.join(root, 'var/log/gitfleet'))).toMatchObject(ids(user));
    expect(line).toMatch(/^\* \* \* \* \* PATH=\S+ GITFLEET_CODE_CACHE=\S+ \/\S+ \/\S+gitfleet\.c?js agent --once --config \S+ --log-file \S+/);
    // What cron would do: /bin/sh -c <command> as the user, from a bare environment, in "/".
    const command = cronCommand(line);
    const result = await run('runuser', ['-u', user, '--', 'env', '-i', 'HOME=/nonexistent', 'SHELL=/bin/sh', 'PATH=/usr/bin:/bin', '/bin/sh', '-c', command], {
      cwd: '/',
      timeout: 180_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    const logFile = path.join(root, 'var/log/gitfleet/agent.log');
    expect(result.code, `${result.stderr}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : 'no log'}`).toBe(0);
    const record = execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:status/srv-07.json']).toString();
    expect(JSON.parse(record)).toMatchObject({ server: 'srv-07' });
    // Everything the agent wrote belongs to its account.
    const { uid } = ids(user);
    const mine = [...allFiles(path.join(root, 'var/lib/gitfleet')), ...allFiles(path.join(root, 'var/cache/gitfleet')), ...allFiles(path.dirname(logFile))];
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.filter((f) => statSync(f).uid !== uid)).toEqual([]);
    // V8's compiled code of that run went to the agent's cache folder, never a home folder.
    expect(readdirSync(path.join(root, 'var/cache/gitfleet/code')).filter((f) => f.startsWith('cli-agent-'))).toHaveLength(1);
    // The install manifest (whose commands uninstall runs as root) is not the agent's to change.
    expect(statSync(path.join(root, 'etc/gitfleet/agent-install.json')).uid).toBe(0);

    expect((await runGitfleet(['agent', 'uninstall'], { env })).stdout).toMatch(/removed the cron installation/);
    expect(
      await run('crontab', ['-u', user, '-l']).then(
        (r) => r.stdout,
        () => '',
      ),
    ).not.toContain('# gitfleet-agent');
  });
});
