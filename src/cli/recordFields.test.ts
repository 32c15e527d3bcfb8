import { describe, expect, it } from 'vitest';
import jobSchema from '../../shared/job.schema.json' with { type: 'json' };
import { JOB_FIELDS, SERVER_ROW_FIELDS } from './recordFields.js';

describe('the fields --json=a,b may select', () => {
  it("a job's are the job record's, as the schema names them", () => {
    expect([...JOB_FIELDS].sort()).toEqual(Object.keys(jobSchema.properties).sort());
  });

  it('a status row has no field twice', () => {
    expect(new Set(SERVER_ROW_FIELDS).size).toBe(SERVER_ROW_FIELDS.length);
  });
});
