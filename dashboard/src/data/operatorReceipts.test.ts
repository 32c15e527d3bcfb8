import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../src/schema/validateRecord.js';
import { buildFleetData } from './buildFleetData.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const ID = '01m8peabvh7gwtt0039ypvh31p';
const receipts = (server: string) => JSON.stringify({ schemaVersion: 1, server, read: { [ID]: '2026-11-22T11:00:00.000Z' } });

// The dashboard checks an operator's receipts (messages/receipts/op.<name>.json) as the CLI does: same schema, same file-name rule.
describe('operator receipts in the dashboard', () => {
  it('reads op.<name>.json as the reader op:<name>, and refuses files that claim another reader', () => {
    const files = new Map([
      ['messages/receipts/op.alice.json', receipts('op:alice')],
      ['messages/receipts/web-01.json', receipts('web-01')],
      ['messages/receipts/op.bob.json', receipts('op:carol')],
      ['messages/receipts/web-02.json', receipts('op:alice')],
    ]);
    const data = buildFleetData({ commit: null, generatedAt: new Date(NOW).toISOString(), files, skipped: [] }, validateRecord, NOW);
    expect([...data.receipts.keys()].sort()).toEqual(['op:alice', 'web-01']);
    expect(
      [...data.receipts.values()]
        .filter((r) => r.read?.[ID])
        .map((r) => r.server)
        .sort(),
    ).toEqual(['op:alice', 'web-01']);
    expect(data.invalid.map((i) => i.path)).toEqual(['messages/receipts/op.bob.json', 'messages/receipts/web-02.json']);
  });
});
