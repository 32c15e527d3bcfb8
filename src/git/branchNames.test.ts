import { describe, expect, it } from 'vitest';
import { branchNames } from './branchNames.js';

describe('branchNames', () => {
  it('keeps the branches of advertised refs, sorted and once each', () => {
    expect(branchNames(['refs/heads/main', 'refs/tags/v1', 'HEAD', 'refs/heads/heartbeat-build2', 'refs/heads/main', 'refs/pull/1/head', ''])).toEqual([
      'heartbeat-build2',
      'main',
    ]);
  });
});
