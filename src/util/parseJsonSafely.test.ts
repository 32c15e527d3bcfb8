import { describe, expect, it } from 'vitest';
import { parseJsonSafely } from './parseJsonSafely.js';

describe('parseJsonSafely', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonSafely('{"a":[1,{"b":"[[["}]}')).toEqual({ value: { a: [1, { b: '[[[' }] } });
  });

  it('refuses nesting deeper than the limit, in arrays and objects, without overflowing the stack', () => {
    expect(parseJsonSafely(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).error).toMatch(/nested deeper than 32/);
    expect(parseJsonSafely(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`).error).toMatch(/nested deeper than 32/);
    expect(parseJsonSafely(`${'['.repeat(32)}${']'.repeat(32)}`).error).toBeUndefined();
    expect(parseJsonSafely(`${'['.repeat(33)}${']'.repeat(33)}`).error).toMatch(/nested deeper than 32/);
    expect(parseJsonSafely(`[1, {"a": [${'['.repeat(31)}${']'.repeat(31)}]}]`).error).toMatch(/nested deeper than 32/);
    expect(parseJsonSafely(`[1, {"a": [${'['.repeat(29)}${']'.repeat(29)}]}]`).error).toBeUndefined();
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(parseJsonSafely(JSON.stringify({ s: `\\"${'['.repeat(100)}` })).error).toBeUndefined();
  });

  it('reports invalid JSON as a reason, not an exception', () => {
    expect(parseJsonSafely('{"a":').error).toMatch(/^invalid JSON/);
  });
});
