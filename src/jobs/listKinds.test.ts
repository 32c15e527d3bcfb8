import { describe, expect, it } from 'vitest';
import type { AdvertisedKindParams, ServerStatus } from '../schema/types.js';
import { listKinds } from './listKinds.js';

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
const TARGET = { target: { pattern: '[a-z]+', required: true } };

describe('listKinds', () => {
  it.each([
    ['no server runs a kind', [server('web-01', [])], []],
    [
      'servers that agree share one description',
      [server('web-02', ['build'], { build: TARGET }), server('web-01', ['build'], { build: TARGET })],
      [
        {
          kind: 'build',
          servers: ['web-01', 'web-02'],
          params: [{ name: 'target', pattern: '[a-z]+', required: true, optionLike: false, servers: ['web-01', 'web-02'] }],
          undescribed: [],
        },
      ],
    ],
    [
      'servers that disagree: one entry per description, with its servers',
      [
        server('web-01', ['build'], { build: TARGET }),
        server('web-02', ['build'], { build: { target: { pattern: '[a-z.]+', required: true, optionLike: true } } }),
      ],
      [
        {
          kind: 'build',
          servers: ['web-01', 'web-02'],
          params: [
            { name: 'target', pattern: '[a-z.]+', required: true, optionLike: true, servers: ['web-02'] },
            { name: 'target', pattern: '[a-z]+', required: true, optionLike: false, servers: ['web-01'] },
          ],
          undescribed: [],
        },
      ],
    ],
    [
      'an older agent runs the kind without describing it',
      [server('web-01', ['build', 'test'], { build: {} }), server('web-02', ['build'])],
      [
        { kind: 'build', servers: ['web-01', 'web-02'], params: [], undescribed: ['web-02'] },
        { kind: 'test', servers: ['web-01'], params: [], undescribed: ['web-01'] },
      ],
    ],
  ] as const)('%s', (_name, statuses, expected) => {
    expect(listKinds([...statuses])).toEqual(expected);
  });
});
