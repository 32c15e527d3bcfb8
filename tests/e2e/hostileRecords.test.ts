import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs } from '../helpers/tempDir.js';

const valid = (server: string) => JSON.stringify({ schemaVersion: 1, server, updatedAt: '2026-11-22T10:00:00.000Z', seq: 1, health: { state: 'healthy' } });

/** What an attacker with push access, or a buggy writer, could leave in the repository. */
const HOSTILE_FILES: Record<string, string | Buffer> = {
  'status/ok-1.json': valid('ok-1'),
  'status/invalid-json.json': '{"schemaVersion": 1, "server": ',
  'status/huge.json': Buffer.alloc(50 * 1024 * 1024, 0x20),
  'status/deep.json': `${'['.repeat(5000)}${']'.repeat(5000)}`,
  'status/wrong-id.json': valid('somebody-else'),
  'status/wrong-types.json': JSON.stringify({ schemaVersion: 1, server: 'wrong-types', updatedAt: 5, seq: 'one', health: [] }),
  'status/future.json': JSON.stringify({ schemaVersion: 7, server: 'future' }),
  'status/binary.json': randomBytes(2048),
  'status/Bad Name.json': valid('bad-name'),
  'jobs/nested/job.json': '{}',
  'messages/notes.txt': 'hello',
  'messages/archive/not-a-month/x.json': '{}',
  'unrelated/file.txt': 'not fleet data, ignored',
};

describe.each(['cli', 'js'] as const)('hostile files in the repository (%s backend)', (backend) => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl, backend }).transact('init', initFleetPlan(), { createBranch: true });
    plantFiles(remote.bareDir, HOSTILE_FILES);
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('never crash a reader; each is listed as invalid with its reason; valid records still read', async () => {
    const store = openStore({ url: remote.httpUrl, backend });
    const contents = await (await store.snapshot()).read();
    expect(contents.status.map((s) => s.server)).toEqual(['ok-1']);
    const reasons = Object.fromEntries(contents.invalid.map((i) => [i.path, i.reason]));
    expect(reasons['status/invalid-json.json']).toMatch(/invalid JSON/);
    expect(reasons['status/huge.json']).toMatch(/50\.0 MiB, larger than the 16 KiB/);
    expect(reasons['status/deep.json']).toMatch(/nested deeper than 32/);
    expect(reasons['status/wrong-id.json']).toMatch(/server "somebody-else" inside does not match the file name \(wrong-id\)/);
    expect(reasons['status/wrong-types.json']).toMatch(/updatedAt: must be string/);
    expect(reasons['status/future.json']).toMatch(/unknown schemaVersion 7/);
    expect(reasons['status/binary.json']).toMatch(/UTF-8|invalid JSON/);
    expect(reasons['status/Bad Name.json']).toMatch(/not a valid id/);
    expect(reasons['jobs/nested/job.json']).toMatch(/not a record folder/);
    expect(reasons['messages/notes.txt']).toMatch(/records are \.json files/);
    expect(reasons['messages/archive/not-a-month/x.json']).toMatch(/not a record folder/);
    expect(Object.keys(reasons)).not.toContain('unrelated/file.txt');
  });

  it('a transaction still works on top of them', async () => {
    const store = openStore({ url: remote.httpUrl, backend });
    const result = await store.transact('after hostile', async (snap) => {
      const { records, invalid } = await snap.list('status');
      expect(records).toHaveLength(1);
      expect(invalid.length).toBeGreaterThan(5);
      return null;
    });
    expect(result.status).toBe('unchanged');
  });
});
