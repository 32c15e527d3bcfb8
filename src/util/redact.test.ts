import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact, redactUrl, registerSecret } from './redact.js';

describe('redact', () => {
  afterEach(() => clearSecrets());

  it('masks registered secrets, also URL-encoded', () => {
    registerSecret('s3cr3t/token+value');
    expect(redact('a s3cr3t/token+value b')).toBe('a *** b');
    expect(redact(`x ${encodeURIComponent('s3cr3t/token+value')} y`)).toBe('x *** y');
  });

  it('masks the password of any URL and authorization headers, registered or not', () => {
    expect(redact('fatal: https://bob:hunter22@example.com/x.git')).toBe('fatal: https://***@example.com/x.git');
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

  it.each([
    ['https://s3cr3tT0ken@exa mple.com/x.git', 's3cr3tT0ken'],
    ['https://user:pa/ss@example.com/x.git', 'pa/ss'],
    ['https://user:p@ss#w0rd@example.com/x.git', 'p@ss#w0rd'],
    ['https://user:pass word@example.com/x.git', 'pass word'],
    ['https://TOKEN123456:x-oauth-basic@example.com/x.git', 'TOKEN123456'],
    ['ssh://git:s3cr3t@example.com/x.git', 's3cr3t'],
  ])('masks the userinfo of %j, parseable or not, alone or quoted in a message', (url, secret) => {
    expect(redactUrl(url)).not.toContain(secret);
    expect(redactUrl(url)).toMatch(/^[a-z]+:\/\/\*\*\*@/);
    expect(redact(`repository URL ${JSON.stringify(url)} is not a valid URL`)).not.toContain(secret);
    expect(redact(`fatal: unable to access '${url}/': bad`)).not.toContain(secret);
  });

  it('leaves URLs without userinfo and e-mail addresses after them alone', () => {
    expect(redact('see https://example.com/a/b.git and bob@example.com')).toBe('see https://example.com/a/b.git and bob@example.com');
    expect(redactUrl('git@github.com:acme/fleet.git')).toBe('git@github.com:acme/fleet.git');
  });
});
