import { describe, expect, it } from 'vitest';
import { assertValidId, classifyPath, isValidId, recordPath } from './recordPaths.js';

describe('record ids and paths', () => {
  it.each(['web-01', 'a', '0', 'x'.repeat(63), '01jb9f8z3q4m5n6p7r8s9t0v1w'])('accepts %j', (id) => expect(isValidId(id)).toBe(true));
  it.each(['', '../x', 'A B', 'Web', 'x'.repeat(64), '-a', 'a-', 'a/b', 'a.b', 'a\u0000', '..', 'ü', 5, null])('refuses %j', (id) =>
    expect(isValidId(id)).toBe(false),
  );

  it('builds paths only from valid ids', () => {
    expect(recordPath('status', 'web-01')).toBe('status/web-01.json');
    expect(recordPath('job', 'j1')).toBe('jobs/j1.json');
    expect(recordPath('receipts', 'web-01')).toBe('messages/receipts/web-01.json');
    expect(recordPath('message', 'm1', { archiveMonth: '2026-11' })).toBe('messages/archive/2026-11/m1.json');
    expect(recordPath('fleet')).toBe('fleet.json');
    expect(() => recordPath('status', '../../etc/passwd')).toThrow(/server id "..\/..\/etc\/passwd" is not valid/);
    expect(() => recordPath('message', 'm1', { archiveMonth: '../x' })).toThrow(/not YYYY-MM/);
    expect(() => assertValidId('x'.repeat(200))).toThrow(/\.\.\."/);
  });

  it('classifies what it finds in a repository', () => {
    expect(classifyPath('status/web-01.json')).toEqual({ type: 'record', kind: 'status', id: 'web-01' });
    expect(classifyPath('messages/archive/2026-11/m1.json')).toEqual({ type: 'record', kind: 'message', id: 'm1', month: '2026-11' });
    expect(classifyPath('messages/receipts/web-01.json')).toMatchObject({ kind: 'receipts' });
    expect(classifyPath('status/README.md')).toEqual({ type: 'ignored' });
    expect(classifyPath('src/index.ts')).toEqual({ type: 'ignored' });
    expect(classifyPath('status/Web.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('jobs/a/b.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('messages/archive/x.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('messages/archive/2026-13/x.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('status/x.yaml')).toMatchObject({ type: 'unexpected' });
  });

  it('maps an operator reader op:<name> to messages/receipts/op.<name>.json, and back (a dot is never in a server id)', () => {
    expect(recordPath('receipts', 'op:alice')).toBe('messages/receipts/op.alice.json');
    expect(classifyPath('messages/receipts/op.alice.json')).toEqual({ type: 'record', kind: 'receipts', id: 'op:alice' });
    expect(classifyPath('messages/receipts/op-alice.json')).toEqual({ type: 'record', kind: 'receipts', id: 'op-alice' });
    for (const bad of ['op.', 'op.Alice', 'op.a.b', 'op.../x'])
      expect(classifyPath(`messages/receipts/${bad}.json`), bad).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('status/op.alice.json')).toMatchObject({ type: 'unexpected' });
    expect(() => recordPath('receipts', 'op:../x')).toThrow(/operator name "..\/x" is not valid/);
    expect(() => recordPath('status', 'op:alice')).toThrow(/server id "op:alice" is not valid/);
  });

  it('builds job archive paths by month', () => {
    expect(recordPath('job', 'abc', { archiveMonth: '2026-10' })).toBe('jobs/archive/2026-10/abc.json');
    expect(recordPath('job', 'abc', {})).toBe('jobs/abc.json');
    for (const month of ['2026-13', '2026-00', '26-10', '2026-1', '2026/10', '../x', '']) {
      expect(() => recordPath('job', 'abc', { archiveMonth: month }), month).toThrow(/not YYYY-MM/);
    }
    expect(() => recordPath('job', '../abc', { archiveMonth: '2026-10' })).toThrow(/job id "..\/abc" is not valid/);
  });

  it('classifies job archive paths', () => {
    expect(classifyPath('jobs/archive/2026-10/abc.json')).toEqual({ type: 'record', kind: 'job', id: 'abc', month: '2026-10' });
    expect(classifyPath('jobs/abc.json')).toEqual({ type: 'record', kind: 'job', id: 'abc' });
    expect(classifyPath('jobs/archive/abc.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('jobs/archive/2026-13/x.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('jobs/archive/2026-10/nested/x.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('jobs/archive/2026-10/Bad.json')).toMatchObject({ type: 'unexpected' });
    expect(classifyPath('jobs/archive/README.md')).toEqual({ type: 'ignored' });
  });
});
