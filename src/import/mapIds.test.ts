import { describe, expect, it } from 'vitest';
import { isValidId } from '../store/recordPaths.js';
import { idSuffix, mapIds, toDnsLabel } from './mapIds.js';

describe('toDnsLabel', () => {
  it.each([
    ['job_1761781030', 'job-1761781030'],
    ['Build_3', 'build-3'],
    ['Job #42 (urgent)', 'job-42-urgent'],
    ['--x--', 'x'],
    ['Café', 'cafe'],
    ['../../etc/passwd', 'etc-passwd'],
    ['___', 'x'],
    ['a'.repeat(80), 'a'.repeat(63)],
    [`${'a'.repeat(62)}_b`, 'a'.repeat(62)],
  ])('%s -> %s', (input, expected) => {
    expect(toDnsLabel(input)).toBe(expected);
    expect(isValidId(toDnsLabel(input))).toBe(true);
  });
});

describe('mapIds', () => {
  it('keeps valid ids, maps the others to their closest label', () => {
    const ids = mapIds(['build1', 'job_1', 'Build_3']);
    expect(Object.fromEntries(ids)).toEqual({ build1: 'build1', job_1: 'job-1', Build_3: 'build-3' });
  });

  it('resolves collisions the same way whatever the order: the exact label keeps it, the others take a hash suffix', () => {
    const originals = ['job-1', 'job_1', 'JOB 1'];
    const a = mapIds(originals);
    const b = mapIds([...originals].reverse());
    expect(Object.fromEntries(a)).toEqual(Object.fromEntries(b));
    expect(a.get('job-1')).toBe('job-1');
    expect(a.get('job_1')).toBe(`job-1-${idSuffix('job_1')}`);
    expect(a.get('JOB 1')).toBe(`job-1-${idSuffix('JOB 1')}`);
    expect(new Set(a.values()).size).toBe(3);
    for (const id of a.values()) expect(isValidId(id)).toBe(true);
  });

  it('suffixes stay within 63 characters', () => {
    const long = ['x'.repeat(70), `${'x'.repeat(70)}_`];
    for (const id of mapIds(long).values()) expect(isValidId(id)).toBe(true);
  });
});
