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

  it('names the operator after the user, as a DNS label', () => {
    expect(resolveConfig({}, { USER: 'Jane.Doe' }, dir()).operator).toBe('jane-doe');
  });
});
