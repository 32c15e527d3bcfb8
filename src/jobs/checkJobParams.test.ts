import { describe, expect, it } from 'vitest';
import type { AdvertisedKindParams, ServerStatus } from '../schema/types.js';
import { checkJobParams, exampleInvocation, exampleValue, matches } from './checkJobParams.js';

const BUILD: AdvertisedKindParams = {
  target: { pattern: '[a-z0-9-]{1,32}', required: true },
  seconds: { pattern: '[0-9]{1,2}', required: true },
  note: { pattern: '[a-z ]{0,20}', required: false },
};
/** A server that runs `build` with a wider target pattern (it builds tags too). */
const WIDE: AdvertisedKindParams = { ...BUILD, target: { pattern: '[a-z0-9.-]{1,32}', required: true } };

function server(name: string, kinds: string[], kindParams?: Record<string, AdvertisedKindParams>): ServerStatus {
  return {
    schemaVersion: 1,
    server: name,
    updatedAt: '2026-11-22T10:00:00.000Z',
    seq: 1,
    health: { state: 'healthy' },
    jobs: { kinds, ...(kindParams ? { kindParams } : {}) },
  };
}
const job = (params: Record<string, string>) => ({ kind: 'build', params });

describe('checkJobParams', () => {
  const one = [server('web-01', ['build'], { build: BUILD })];
  it.each([
    ['valid parameters', one, { target: 'web', seconds: '5' }, true, []],
    ['an optional parameter may be left out or given', one, { target: 'web', seconds: '5', note: 'nightly run' }, true, []],
    ['a required parameter missing', one, { target: 'web' }, false, ['web-01:seconds:parameter seconds is required by kind build']],
    [
      'a value that does not match',
      one,
      { target: 'Web!', seconds: '5' },
      false,
      ['web-01:target:parameter target does not match its pattern [a-z0-9-]{1,32}'],
    ],
    [
      'the pattern matches the whole value only',
      one,
      { target: 'web', seconds: '5x' },
      false,
      ['web-01:seconds:parameter seconds does not match its pattern [0-9]{1,2}'],
    ],
    ['a parameter the kind does not take', one, { target: 'web', seconds: '5', ref: 'main' }, false, ['web-01:ref:kind build takes no parameter ref']],
    [
      'a value that starts with "-"',
      [server('web-01', ['build'], { build: { target: { pattern: '[a-z-]+', required: true } } })],
      { target: '-rf' },
      false,
      ['web-01:target:parameter target starts with "-" and could be taken as an option'],
    ],
    [
      '"-" allowed where the server allows option-like values',
      [server('web-01', ['build'], { build: { target: { pattern: '[a-z-]+', required: true, optionLike: true } } })],
      { target: '-rf' },
      true,
      [],
    ],
    [
      'control characters',
      [server('web-01', ['build'], { build: { target: { pattern: '[\\s\\S]+', required: true } } })],
      { target: 'a\nb' },
      false,
      ['web-01:target:parameter target contains control characters'],
    ],
    [
      'servers disagree: accepted when one accepts, the others named',
      [...one, server('web-02', ['build'], { build: WIDE })],
      { target: 'v1.2', seconds: '5' },
      true,
      ['web-01:target:parameter target does not match its pattern [a-z0-9-]{1,32}'],
    ],
    [
      'servers disagree and both refuse: each server named',
      [...one, server('web-02', ['build'], { build: WIDE })],
      { target: 'v1.2!', seconds: '5' },
      false,
      [
        'web-01:target:parameter target does not match its pattern [a-z0-9-]{1,32}',
        'web-02:target:parameter target does not match its pattern [a-z0-9.-]{1,32}',
      ],
    ],
    [
      'an older agent that describes nothing could take anything',
      [...one, server('web-02', ['build'])],
      { target: 'Web!' },
      true,
      ['web-01:target:parameter target does not match its pattern [a-z0-9-]{1,32}'],
    ],
    [
      'servers that do not run the kind do not count',
      [...one, server('web-02', ['test'], { test: {} })],
      { target: 'Web!' },
      false,
      ['web-01:target:parameter target does not match its pattern [a-z0-9-]{1,32}'],
    ],
    [
      'a kind without parameters takes none',
      [server('web-01', ['build'], { build: {} })],
      { target: 'web' },
      false,
      ['web-01:target:kind build takes no parameter target'],
    ],
    [
      'a pattern that cannot be compiled here is left to the agent',
      [server('web-01', ['build'], { build: { target: { pattern: '(?<', required: true } } })],
      { target: 'x' },
      true,
      [],
    ],
    [
      'a parameter named like an Object property is not taken for one',
      one,
      { target: 'web', seconds: '5', constructor: 'x' },
      false,
      ['web-01:constructor:kind build takes no parameter constructor'],
    ],
  ] as const)('%s', (_name, statuses, params, ok, refused) => {
    const check = checkJobParams(job(params), [...statuses]);
    expect(check.ok).toBe(ok);
    expect(check.refusedBy.map((r) => `${r.server}:${r.param}:${r.problem}`)).toEqual(refused);
  });

  it('offers a valid invocation when it refuses', () => {
    const check = checkJobParams(job({}), [server('web-01', ['build'], { build: BUILD })]);
    expect(check).toMatchObject({ ok: false, example: 'gitfleet job submit build -p target=main -p seconds=1' });
  });

  it("keeps the operator's own valid values in the example", () => {
    const check = checkJobParams(job({ target: 'api', seconds: '5x', note: 'nightly' }), [server('web-01', ['build'], { build: BUILD })]);
    expect(check).toMatchObject({ ok: false, example: 'gitfleet job submit build -p target=api -p seconds=1 -p note=nightly' });
  });
});

describe('matches', () => {
  it('a pattern that backtracks for ever is cut off, not waited for', () => {
    expect(matches('(a+)+', `${'a'.repeat(40)}b`)).toBeUndefined();
  });
});

describe('exampleValue', () => {
  it.each([
    ['[a-z0-9-]{1,32}', 'main'],
    ['[0-9]{1,2}', '1'],
    ['staging|production', 'staging'],
    ['(?:blue|green)', 'blue'],
    ['v[0-9]+\\.[0-9]+', 'v0.0'],
    ['(?=a)b', undefined],
    ['[A-Z]{3}', 'AAA'],
    ['[0-9a-f]{40}', '0000000000000000000000000000000000000000'],
  ])('%s: %s', (pattern, value) => {
    expect(exampleValue(pattern)).toBe(value);
  });

  it('a pattern without a known value shows the pattern in the example', () => {
    expect(exampleInvocation('deploy', { sha: { pattern: 'x{3}y', required: true }, note: { pattern: '.*', required: false } })).toBe(
      'gitfleet job submit deploy -p sha=xxxy',
    );
    expect(exampleInvocation('deploy', { sha: { pattern: '(?=a)b', required: true } })).toBe('gitfleet job submit deploy -p sha=<(?=a)b>');
  });
});
