import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { composeJob } from '../jobs/composeJob.js';
import type { Job } from '../schema/types.js';
import { checkJobParams } from '../jobs/checkJobParams.js';
import { ADVERTISE_LIMITS, JobKinds, type JobCommand, type KindConfig } from './JobKinds.js';

const DEFAULTS = { timeoutSeconds: 600, env: { PATH: '/usr/bin:/bin' } };

function job(kind: string, params: Record<string, string> = {}, extra: Partial<Job> = {}): Job {
  return { ...composeJob({ kind, params, createdBy: 'op:test' }), ...extra };
}

function command(result: JobCommand | { refused: string }): JobCommand {
  if ('refused' in result) throw new Error(`unexpectedly refused: ${result.refused}`);
  return result;
}

function refusal(result: JobCommand | { refused: string }): string {
  if (!('refused' in result)) throw new Error(`unexpectedly accepted: ${JSON.stringify(result.argv)}`);
  return result.refused;
}

function kinds(config: Record<string, KindConfig>): JobKinds {
  return new JobKinds(config);
}

describe('JobKinds constructor', () => {
  it('accepts a well-formed config and lists the kinds sorted', () => {
    const k = kinds({ 'z.b': { argv: ['/bin/true'] }, 'a.b': { argv: ['/bin/echo', '{x}'], params: { x: '[a-z]+' } } });
    expect(k.names).toEqual(['a.b', 'z.b']);
    expect(new JobKinds().names).toEqual([]);
  });

  it('throws a ConfigError when argv[0] contains a placeholder', () => {
    expect(() => kinds({ evil: { argv: ['{prog}', 'x'], params: { prog: '.*' } } })).toThrow(ConfigError);
    expect(() => kinds({ evil: { argv: ['/usr/bin/{prog}'], params: { prog: '[a-z]+' } } })).toThrow(/argv\[0\]/);
  });

  it('throws a ConfigError when a pattern is not a valid regular expression', () => {
    let caught: unknown;
    try {
      kinds({ bad: { argv: ['/bin/echo', '{x}'], params: { x: '[a-z' } } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('E_CONFIG');
    expect((caught as Error).message).toMatch(/parameter x/);
  });

  it('throws a ConfigError when argv uses a placeholder with no pattern', () => {
    expect(() => kinds({ k: { argv: ['/bin/echo', '{x}'] } })).toThrow(ConfigError);
    expect(() => kinds({ k: { argv: ['/bin/echo', '--a={a}', '--b={b}'], params: { a: '.*' } } })).toThrow(/\{b\}/);
  });
});

describe('JobKinds.resolve refusals', () => {
  const k = kinds({
    build: { argv: ['/usr/bin/make', '{target}'], params: { target: '[a-z]+' } },
    alt: { argv: ['/bin/echo', '{v}'], params: { v: 'a|b' } },
    free: { argv: ['/bin/echo', '{v}'], params: { v: '.*' } },
    two: { argv: ['/bin/echo', '{a}', '{b}'], params: { a: '.*', b: '.*' } },
  });

  it('refuses a kind this server does not run', () => {
    expect(refusal(k.resolve(job('deploy'), DEFAULTS))).toMatch(/does not run kind deploy/);
  });

  it('refuses a parameter the kind does not declare', () => {
    expect(refusal(k.resolve(job('build', { target: 'all', extra: 'x' }), DEFAULTS))).toMatch(/no parameter extra/);
  });

  it('refuses a value that fails its pattern', () => {
    expect(refusal(k.resolve(job('build', { target: 'ALL' }), DEFAULTS))).toMatch(/target does not match/);
    expect(refusal(k.resolve(job('build', { target: '' }), DEFAULTS))).toMatch(/does not match/);
  });

  it('anchors patterns: a matching prefix or suffix is not enough', () => {
    expect(refusal(k.resolve(job('build', { target: 'abc;rm' }), DEFAULTS))).toMatch(/does not match/);
    expect(refusal(k.resolve(job('build', { target: ';rm abc' }), DEFAULTS))).toMatch(/does not match/);
    // The anchors bind the whole alternation, not just its first and last branch.
    expect(refusal(k.resolve(job('alt', { v: 'ax' }), DEFAULTS))).toMatch(/does not match/);
    expect(refusal(k.resolve(job('alt', { v: 'xb' }), DEFAULTS))).toMatch(/does not match/);
    expect(command(k.resolve(job('alt', { v: 'b' }), DEFAULTS)).argv).toEqual(['/bin/echo', 'b']);
  });

  it('refuses a value with a newline or NUL even when the pattern allows anything', () => {
    const base = job('free', { v: 'ok' });
    expect(refusal(k.resolve({ ...base, params: { v: 'one\ntwo' } }, DEFAULTS))).toMatch(/control characters/);
    expect(refusal(k.resolve({ ...base, params: { v: 'a\u0000b' } }, DEFAULTS))).toMatch(/control characters/);
    expect(refusal(k.resolve({ ...base, params: { v: 'a\rb' } }, DEFAULTS))).toMatch(/control characters/);
  });

  it('refuses when a required parameter is missing', () => {
    expect(refusal(k.resolve(job('build'), DEFAULTS))).toMatch(/parameter target is required/);
    expect(refusal(k.resolve(job('two', { a: 'x' }), DEFAULTS))).toMatch(/parameter b is required/);
  });
});

describe('JobKinds.resolve commands', () => {
  it('replaces a placeholder by the whole value as one argument, never split or interpreted', () => {
    const k = kinds({ free: { argv: ['/bin/echo', '{v}', 'tail'], params: { v: '.*' } } });
    const nasty = 'a b; rm -rf / && echo $HOME `id` $(id) | cat > /tmp/x "q" \'s\' * ?';
    const cmd = command(k.resolve(job('free', { v: nasty }), DEFAULTS));
    expect(cmd.argv).toEqual(['/bin/echo', nasty, 'tail']);
    expect(cmd.argv).toHaveLength(3);
  });

  it('does not expand replacement patterns or placeholders found inside a value', () => {
    const k = kinds({ two: { argv: ['/bin/echo', '{a}', '{b}'], params: { a: '.*', b: '.*' } } });
    const cmd = command(k.resolve(job('two', { a: "{b} $& $' $1", b: 'B' }), DEFAULTS));
    expect(cmd.argv).toEqual(['/bin/echo', "{b} $& $' $1", 'B']);
  });

  it('fills several placeholders in one element', () => {
    const k = kinds({
      deploy: { argv: ['/usr/bin/deploy', '--target={env}:{version}', '{env}'], params: { env: 'staging|prod', version: '[0-9]+(\\.[0-9]+)*' } },
    });
    const cmd = command(k.resolve(job('deploy', { env: 'prod', version: '1.2.3' }), DEFAULTS));
    expect(cmd.argv).toEqual(['/usr/bin/deploy', '--target=prod:1.2.3', 'prod']);
  });

  it('passes the kind cwd through', () => {
    const k = kinds({ a: { argv: ['/bin/true'], cwd: '/srv/app' }, b: { argv: ['/bin/true'] } });
    expect(command(k.resolve(job('a'), DEFAULTS)).cwd).toBe('/srv/app');
    expect(command(k.resolve(job('b'), DEFAULTS)).cwd).toBeUndefined();
  });

  it('passes only PATH, the job id and attempt and the allowlisted variables', () => {
    const k = kinds({ build: { argv: ['/usr/bin/make'], env: ['LANG', 'CI', 'NOT_SET'] } });
    const source = {
      PATH: '/opt/bin:/usr/bin',
      GITFLEET_TOKEN: 'secret',
      HOME: '/home/agent',
      SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
      AWS_SECRET_ACCESS_KEY: 'also-secret',
      LANG: 'C.UTF-8',
      CI: '1',
    };
    const j = job('build');
    const cmd = command(k.resolve(j, { timeoutSeconds: 60, env: source }));
    expect(cmd.env).toEqual({ PATH: '/opt/bin:/usr/bin', GITFLEET_JOB_ID: j.id, GITFLEET_JOB_ATTEMPT: '0', LANG: 'C.UTF-8', CI: '1' });
    expect(cmd.env.GITFLEET_TOKEN).toBeUndefined();
    expect(Object.values(cmd.env)).not.toContain('secret');
    expect('NOT_SET' in cmd.env).toBe(false);
  });

  it('uses the assignment attempt when there is one and a default PATH when the agent has none', () => {
    const k = kinds({ build: { argv: ['/usr/bin/make'] } });
    const base = job('build');
    const assigned: Job = {
      ...base,
      attempts: 3,
      assignment: { server: 'web-1', attempt: 2, claimId: 'c1', assignedAt: new Date().toISOString() },
    };
    const cmd = command(k.resolve(assigned, { timeoutSeconds: 60, env: { GITFLEET_TOKEN: 'secret' } }));
    expect(cmd.env.GITFLEET_JOB_ATTEMPT).toBe('2');
    expect(cmd.env.PATH).toBe('/usr/local/bin:/usr/bin:/bin');
    expect(Object.keys(cmd.env).sort()).toEqual(['GITFLEET_JOB_ATTEMPT', 'GITFLEET_JOB_ID', 'PATH']);
    expect(command(k.resolve({ ...base, attempts: 4 }, DEFAULTS)).env.GITFLEET_JOB_ATTEMPT).toBe('4');
  });

  it('caps the timeout at the kind timeout and otherwise falls back job -> kind -> default', () => {
    const k = kinds({ capped: { argv: ['/bin/true'], timeoutSeconds: 10 }, open: { argv: ['/bin/true'] } });
    const at = (kind: string, jobTimeout: number | undefined, defaultSeconds: number) => {
      const base = composeJob({ kind, createdBy: 'op:test', ...(jobTimeout === undefined ? {} : { timeoutSeconds: jobTimeout }) });
      return command(k.resolve(base, { timeoutSeconds: defaultSeconds, env: {} })).timeoutMs;
    };
    expect(at('capped', 100, 600)).toBe(10_000); // job asks for more than the kind allows
    expect(at('capped', 5, 600)).toBe(5_000); // job asks for less
    expect(at('capped', undefined, 600)).toBe(10_000); // kind's own timeout, not the default
    expect(at('capped', undefined, 3)).toBe(10_000); // the default only applies when neither sets one
    expect(at('open', undefined, 30)).toBe(30_000); // the default
    expect(at('open', 100, 30)).toBe(100_000); // no kind cap: the job's own
  });
});

describe('JobKinds.advertised', () => {
  it('describes each kind whole: pattern, required when argv uses it, option-like when allowed', () => {
    const k = kinds({
      build: { argv: ['/bin/make', '{target}'], params: { target: '[a-z]+', note: { pattern: '.*', allowOptionLike: true } } },
      ping: { argv: ['/bin/true'] },
    });
    expect(k.advertised()).toEqual({
      build: { target: { pattern: '[a-z]+', required: true }, note: { pattern: '.*', required: false, optionLike: true } },
      ping: {},
    });
  });

  it('leaves out a kind it cannot describe whole, and stops at the kind limit', () => {
    const many = Object.fromEntries(Array.from({ length: ADVERTISE_LIMITS.params + 1 }, (_, i) => [`p${i}`, '[a-z]+']));
    const k = kinds({
      long: { argv: ['/bin/true'], params: { x: `[a-z]{1,${'9'.repeat(ADVERTISE_LIMITS.patternLength)}}` } },
      wide: { argv: ['/bin/true'], params: many },
      odd: { argv: ['/bin/true'], params: { 'two words': '[a-z]+' } },
      ok: { argv: ['/bin/true'], params: { x: '[a-z]+' } },
    });
    expect(Object.keys(k.advertised())).toEqual(['ok']);
    const lots = kinds(
      Object.fromEntries(Array.from({ length: ADVERTISE_LIMITS.kinds + 4 }, (_, i) => [`k${String(i).padStart(2, '0')}`, { argv: ['/bin/true'] }])),
    );
    expect(Object.keys(lots.advertised())).toHaveLength(ADVERTISE_LIMITS.kinds);
  });

  // job submit checks with the advertised description what the agent checks with its config: they must agree.
  it.each([
    [{}],
    [{ target: 'web' }],
    [{ target: 'web', seconds: '5' }],
    [{ target: 'Web', seconds: '5' }],
    [{ target: 'web', seconds: '5', extra: 'x' }],
    [{ target: '-rf', seconds: '5' }],
    [{ target: 'web', seconds: '5', flags: '-v' }],
    [{ target: 'web', seconds: '123' }],
  ])('job submit and the agent agree on %j', (params) => {
    const k = kinds({
      build: {
        argv: ['/bin/make', '{target}', '--seconds={seconds}'],
        params: { target: '[a-z-]{1,10}', seconds: '[0-9]{1,2}', flags: { pattern: '-[a-z]', allowOptionLike: true } },
      },
    });
    const agent = 'refused' in k.resolve(job('build', params), DEFAULTS);
    const status = {
      schemaVersion: 1 as const,
      server: 'web-01',
      updatedAt: '2026-11-22T10:00:00.000Z',
      seq: 1,
      health: { state: 'healthy' as const },
      jobs: { kinds: k.names, kindParams: k.advertised() },
    };
    expect(checkJobParams(job('build', params), [status]).ok).toBe(!agent);
  });
});
