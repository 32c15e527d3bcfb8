import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tests/helpers/seededRandom.js';
import { compareServerNames } from './compareServerNames.js';

describe('compareServerNames', () => {
  it('orders server ids exactly as localeCompare does', () => {
    const random = seededRandom(12);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    const name = () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const names = [...Array.from({ length: 400 }, name), 'web-1', 'web1', 'web-10', 'web-2', 'web', 'a', 'a-', '-', '0', 'z9', 'z-9'];
    for (const a of names) for (const b of names.slice(0, 60)) expect(sign(compareServerNames(a, b))).toBe(sign(a.localeCompare(b)));
    expect([...names].sort(compareServerNames)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('leaves other names (paths of invalid files) to localeCompare', () => {
    for (const [a, b] of [
      ['status/B.json', 'status/a.json'],
      ['Web-01', 'web-02'],
      ['status/x y.json', 'web-01'],
      ['ä', 'b'],
    ])
      expect(sign(compareServerNames(a!, b!))).toBe(sign(a!.localeCompare(b!)));
  });
});

const sign = (n: number) => Math.sign(n);
