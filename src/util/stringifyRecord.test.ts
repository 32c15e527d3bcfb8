import { describe, expect, it } from 'vitest';
import { stringifyRecord } from './stringifyRecord.js';

describe('stringifyRecord', () => {
  const record = {
    a: 1,
    list: [1, 2, 3],
    history: [
      [1, 2],
      [3, 4],
    ],
    nested: { s: 'x', objs: [{ k: 1 }] },
    skip: undefined,
  };

  it('round-trips through JSON.parse (undefined dropped)', () => {
    const { skip: _skip, ...expected } = record;
    expect(JSON.parse(stringifyRecord(record))).toEqual(expected);
  });

  it('keeps arrays of scalars and of scalar arrays on one line, objects indented', () => {
    expect(stringifyRecord(record)).toBe(
      '{\n  "a": 1,\n  "list": [1,2,3],\n  "history": [[1,2],[3,4]],\n  "nested": {\n    "s": "x",\n    "objs": [\n      {\n        "k": 1\n      }\n    ]\n  }\n}\n',
    );
  });
});
