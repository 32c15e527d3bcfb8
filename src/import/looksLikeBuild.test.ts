import { describe, expect, it } from 'vitest';
import { looksLikeBuild } from './looksLikeBuild.js';

describe('looksLikeBuild', () => {
  it.each([
    [['coordination/jobs.json'], true],
    [['build1/status.json', 'README.md'], true],
    [['coordination/messages.json', 'messages/a.txt'], true],
    [['build1/heartbeat.json'], false],
    [['README.md', 'src/index.ts'], false],
    [['coordination/jobs.json', 'fleet.json'], false],
    [['coordination/jobs.json', 'status/build1.json'], false],
    [['coordination/jobs.json', 'messages/01k8qxdng0m57p79gcg08tn86f.json'], false],
    [[], false],
  ])('%j -> %s', (paths, expected) => {
    expect(looksLikeBuild(paths)).toBe(expected);
  });
});
