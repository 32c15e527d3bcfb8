import { describe, expect, it } from 'vitest';
import { runPlan } from '../store/runPlan.js';
import { initFleetPlan } from './initFleetPlan.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const READMES = ['jobs/README.md', 'messages/README.md', 'status/README.md'];
const WORKFLOWS = { '.github/workflows/validate.yml': 'name: validate\n' };

describe('initFleetPlan: writes what is missing, keeps whatever is there', () => {
  it.each([
    ['a branch that does not exist yet', null],
    ['an empty repository', {}],
  ] as const)('%s: fleet.json, the READMEs and the workflows', async (_name, repo) => {
    const out = await runPlan(initFleetPlan({ name: 'test' }, WORKFLOWS), repo, NOW);
    expect(out.writes['fleet.json']).toEqual({ name: 'test', schemaVersion: 1 });
    expect(Object.keys(out.writes).sort()).toEqual(['.github/workflows/validate.yml', 'fleet.json', ...READMES]);
    expect(out.writes['.github/workflows/validate.yml']).toBe('name: validate\n');
    expect(out.value).toBeUndefined();
  });

  it.each([
    ['a valid fleet.json with other settings', '{"schemaVersion": 1, "name": "theirs"}'],
    ['an invalid fleet.json (never rewritten)', '{"schemaVersion": 1, "name": '],
    ['a fleet.json that is a symlink', { mode: '120000', content: 'elsewhere.json' }],
  ] as const)('keeps %s', async (_name, fleet) => {
    const out = await runPlan(initFleetPlan({ name: 'mine' }), { 'fleet.json': fleet }, NOW);
    expect(Object.keys(out.writes).sort()).toEqual(READMES);
  });

  it('on a prepared repository (an edited README and workflow included) it writes nothing', async () => {
    const repo = {
      'fleet.json': '{"schemaVersion": 1}',
      ...Object.fromEntries(READMES.map((p) => [p, 'edited\n'])),
      '.github/workflows/validate.yml': 'edited: true\n',
    };
    expect(await runPlan(initFleetPlan({}, WORKFLOWS), repo, NOW)).toEqual({ writes: {}, deletes: [], value: undefined });
  });
});
