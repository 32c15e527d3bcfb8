import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.js';
import { splitJsonFields } from './jsonFieldsArg.js';
import { selectFields } from './selectFields.js';

describe('--json=a,b selects fields', () => {
  it('reduces each object of a list, in the order asked, null for an absent optional field', () => {
    const jobs = [
      { id: 'a', state: 'queued', kind: 'x' },
      { id: 'b', state: 'dead', kind: 'y', reason: 'r' },
    ];
    expect(selectFields(jobs, ['state', 'id', 'reason'])).toEqual([
      { state: 'queued', id: 'a', reason: null },
      { state: 'dead', id: 'b', reason: 'r' },
    ]);
  });

  it('reduces a single object', () => {
    expect(selectFields({ server: 'web-01', requeued: [], drained: true }, ['server'])).toEqual({ server: 'web-01' });
  });

  it('refuses an unknown field, naming the available ones', () => {
    const run = () => selectFields([{ id: 'a', state: 'queued' }], ['idd']);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(/unknown field "idd" for --json/);
    try {
      run();
    } catch (error) {
      expect((error as UsageError).hint).toBe('available fields: id, state');
    }
  });

  it('accepts a documented optional field no record has, and leaves an empty list alone', () => {
    expect(selectFields([{ id: 'a' }], ['retryAt'], ['id', 'retryAt'])).toEqual([{ retryAt: null }]);
    expect(selectFields([], ['anything'])).toEqual([]);
    expect(() => selectFields([], ['nosuch'], ['id'])).toThrow(/unknown field "nosuch"/);
  });
});

describe('splitJsonFields', () => {
  it('turns --json=a,b into --json and the fields; leaves --json and positionals alone', () => {
    expect(splitJsonFields(['job', 'list', '--json=id, state,id'])).toEqual({ args: ['job', 'list', '--json'], fields: ['id', 'state'] });
    expect(splitJsonFields(['job', 'show', '--json', 'abc'])).toEqual({ args: ['job', 'show', '--json', 'abc'], fields: undefined });
    expect(splitJsonFields(['msg', 'send', '--', '--json=x'])).toEqual({ args: ['msg', 'send', '--', '--json=x'], fields: undefined });
  });

  it('refuses an empty list or a name that is not a field', () => {
    expect(() => splitJsonFields(['status', '--json='])).toThrow(/needs field names/);
    expect(() => splitJsonFields(['status', '--json=a;rm'])).toThrow(/is not a field name/);
  });
});
