import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './resolveConfig.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'gitfleet-config-'));

describe('resolveConfig', () => {
  it('layers defaults, file, environment and flags, in that order', () => {
    const d = dir();
    writeFileSync(path.join(d, 'gitfleet.config.json'), JSON.stringify({ repo: './fleet.git', branch: 'file-branch', server: 'file-server', labels: ['gpu'] }));
    const c = resolveConfig({ branch: 'flag-branch' }, { GITFLEET_SERVER: 'env-server', HOME: d }, d);
    expect(c.repo).toBe(path.join(d, 'fleet.git'));
    expect(c.branch).toBe('flag-branch');
    expect(c.server).toBe('env-server');
    expect(c.labels).toEqual(['gpu']);
    expect(c.backend).toBe('cli');
    expect(c.configFile).toBe(path.join(d, 'gitfleet.config.json'));
  });

  it('reads the token from the environment or a token file, never from the config file', () => {
    const d = dir();
    writeFileSync(path.join(d, 'token'), 'file-token-123\n');
    expect(resolveConfig({}, { GITFLEET_TOKEN: 'env-token-123' }, d).token).toBe('env-token-123');
    expect(resolveConfig({}, { GITFLEET_TOKEN_FILE: path.join(d, 'token') }, d).token).toBe('file-token-123');
    writeFileSync(path.join(d, 'gitfleet.config.json'), JSON.stringify({ token: 'x' }));
    expect(() => resolveConfig({}, {}, d)).toThrow(/unknown property "token"/);
  });

  it('resolves the site relay: its URL from the file or GITFLEET_RELAY, its token from GITFLEET_RELAY_TOKEN or relayTokenFile', () => {
    const d = dir();
    writeFileSync(path.join(d, 'relay-token'), 'relay-token-456\n');
    writeFileSync(path.join(d, 'gitfleet.config.json'), JSON.stringify({ relay: 'http://relay.example:8479/fleet.git', relayTokenFile: 'relay-token' }));
    const fromFile = resolveConfig({}, {}, d);
    expect(fromFile).toMatchObject({ relay: 'http://relay.example:8479/fleet.git', relayToken: 'relay-token-456' });
    const fromEnv = resolveConfig({}, { GITFLEET_RELAY: 'http://other:1/fleet.git', GITFLEET_RELAY_TOKEN: 'env-relay-token' }, d);
    expect(fromEnv).toMatchObject({ relay: 'http://other:1/fleet.git', relayToken: 'env-relay-token' });
    expect(() => resolveConfig({}, { GITFLEET_RELAY: 'file:///etc' }, dir())).toThrow(/relay/);
  });

  it.each([
    [{ server: '../x' }, /server: must be a DNS label/],
    [{ server: 'x'.repeat(70) }, /server/],
    [{ server: 'A B' }, /server: must be a DNS label/],
    [{ backend: 'svn' }, /backend: must be one of "cli", "js"/],
    [{ branch: '../../x' }, /branch/],
  ])('refuses bad flags %j with one clear line', (flags, message) => {
    expect(() => resolveConfig(flags, {}, dir())).toThrow(message);
  });

  it('says what is wrong with a config file: missing, not JSON, wrong shape', () => {
    const d = dir();
    expect(() => resolveConfig({ config: 'nope.json' }, {}, d)).toThrow(/cannot read config file .*nope\.json \(ENOENT\)/);
    writeFileSync(path.join(d, 'gitfleet.config.json'), '{ "repo": ');
    expect(() => resolveConfig({}, {}, d)).toThrow(/is not valid JSON/);
    writeFileSync(path.join(d, 'gitfleet.config.json'), '[]');
    expect(() => resolveConfig({}, {}, d)).toThrow(/must be object/);
  });

  it('resolves the agent and jobs sections once, with their defaults', () => {
    const d = dir();
    const c = resolveConfig({ dataDir: 'data' }, {}, d);
    expect(c.agent).toEqual({
      labels: [],
      capabilities: [],
      drain: false,
      everySeconds: undefined,
      logFile: undefined,
      onCriticalMessage: undefined,
      stateDir: path.join(d, 'data', 'agent'),
      // No job kinds: nothing to run, so no slots whatever the default.
      jobs: { kinds: {}, slots: 0, pollMs: 5000, logDir: path.join(d, 'data', 'job-logs'), selfStopMs: undefined },
    });
  });

  it('takes the agent and jobs sections from the file; their paths are relative to the working directory', () => {
    const d = dir();
    const kinds = { build: { argv: ['make', '{target}'], params: { target: { pattern: '[a-z]+' } } } };
    writeFileSync(
      path.join(d, 'gitfleet.config.json'),
      JSON.stringify({
        labels: ['gpu'],
        capabilities: ['docker'],
        drain: true,
        agent: { every: 120, logFile: 'agent.log', onCriticalMessage: ['notify-send', '{subject}'] },
        jobs: { kinds, pollSeconds: 0.5, logDir: 'logs', selfStopSeconds: 600 },
      }),
    );
    const cwd = dir();
    const c = resolveConfig({ config: path.join(d, 'gitfleet.config.json') }, {}, cwd);
    expect(c.agent).toMatchObject({
      labels: ['gpu'],
      capabilities: ['docker'],
      drain: true,
      everySeconds: 120,
      logFile: path.join(cwd, 'agent.log'),
      onCriticalMessage: ['notify-send', '{subject}'],
    });
    expect(c.agent.jobs).toEqual({ kinds, slots: 1, pollMs: 500, logDir: path.join(cwd, 'logs'), selfStopMs: 600_000 });
    expect(c.labels).toEqual(['gpu']);
    expect(c.capabilities).toEqual(['docker']);
  });

  it('names the operator after the user, as a DNS label', () => {
    expect(resolveConfig({}, { USER: 'Jane.Doe' }, dir()).operator).toBe('jane-doe');
  });
});
