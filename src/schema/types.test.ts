import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Job, Message, ServerStatus } from './types.js';
import { validateRecord } from './validateRecord.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('TypeScript types and JSON Schemas cannot drift', () => {
  it('src/schema/types.ts is exactly what shared/*.schema.json generate', async () => {
    const { generateTypes } = (await import(pathToFileURL(path.join(root, 'scripts/gen-types.mjs')).href)) as {
      generateTypes: () => Promise<string>;
    };
    const committed = readFileSync(path.join(root, 'src/schema/types.ts'), 'utf8');
    expect(await generateTypes(), 'run `npm run gen:types` after editing a schema').toBe(committed);
  }, 30_000);

  it('values of the types validate; what the types forbid, the schemas refuse', () => {
    const status = {
      schemaVersion: 1,
      server: 'web-01',
      updatedAt: '2026-11-22T10:00:00.000Z',
      seq: 3,
      health: { state: 'degraded', reasons: ['disk 85%'] },
      history: [[1_790_000_000, 12.5, 40, 71]],
    } satisfies ServerStatus;
    expect(validateRecord('status', status)).toEqual([]);

    const job = {
      schemaVersion: 1,
      id: 'j1',
      kind: 'build',
      params: { ref: 'main' },
      priority: 'high',
      state: 'queued',
      createdAt: '2026-11-22T10:00:00.000Z',
      createdBy: 'op:alice',
      attempts: 0,
    } satisfies Job;
    expect(validateRecord('job', job)).toEqual([]);

    // `npm test` typechecks this file: each line below must stay a type error.
    // @ts-expect-error an unknown state
    const badState: Job['state'] = 'exploded';
    // @ts-expect-error a required field is missing
    const noSubject: Message = { schemaVersion: 1, id: 'm', from: 'op:a', to: 'all', priority: 'low', type: 'info', createdAt: 'x', thread: 'm' };
    // @ts-expect-error schemaVersion is the literal 1
    const wrongVersion: ServerStatus['schemaVersion'] = 2;
    expect(validateRecord('job', { ...job, state: badState })).not.toEqual([]);
    expect(validateRecord('message', noSubject)).not.toEqual([]);
    expect(validateRecord('status', { ...status, schemaVersion: wrongVersion })).not.toEqual([]);
  });
});
