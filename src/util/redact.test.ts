import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact, registerSecret } from './redact.js';

describe('redact', () => {
  afterEach(() => clearSecrets());

  it('masks registered secrets, also URL-encoded', () => {
    registerSecret('s3cr3t/token+value');
    expect(redact('a s3cr3t/token+value b')).toBe('a *** b');
    expect(redact(`x ${encodeURIComponent('s3cr3t/token+value')} y`)).toBe('x *** y');
  });

  it('masks the password of any URL and authorization headers, registered or not', () => {
    expect(redact('fatal: https://bob:hunter22@example.com/x.git')).toBe('fatal: https://bob:***@example.com/x.git');
    expect(redact('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic ***');
    expect(redact('http.extraheader=Authorization: Bearer abc.def')).toBe('http.extraheader=Authorization: Bearer ***');
  });

  it('masks a longer secret that contains a shorter one whole', () => {
    registerSecret('abcd');
    registerSecret('abcdefgh');
    expect(redact('abcdefgh')).toBe('***');
  });

  it('ignores values too short to be secrets', () => {
    registerSecret('ab');
    expect(redact('abc')).toBe('abc');
  });
});
