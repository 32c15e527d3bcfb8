import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact } from '../util/redact.js';
import { basicAuthHeader, parseRemote } from './RemoteSpec.js';

describe('parseRemote', () => {
  afterEach(() => clearSecrets());

  it('moves credentials out of an https URL and registers them as secrets', () => {
    const r = parseRemote('https://bot:tok-123456@example.com/acme/fleet.git');
    expect(r).toEqual({ url: 'https://example.com/acme/fleet.git', protocol: 'http', auth: { username: 'bot', token: 'tok-123456' } });
    expect(redact('tok-123456')).toBe('***');
  });

  it('takes a token-only URL and a token from the environment', () => {
    expect(parseRemote('https://tok-abcdef@example.com/x.git').auth).toEqual({ username: 'x-access-token', token: 'tok-abcdef' });
    expect(parseRemote('https://example.com/x.git', 'env-token-1').auth).toEqual({ username: 'x-access-token', token: 'env-token-1' });
  });

  it('recognises ssh, file and local paths', () => {
    expect(parseRemote('git@github.com:acme/fleet.git').protocol).toBe('ssh');
    expect(parseRemote('ssh://git@host/x.git').protocol).toBe('ssh');
    expect(parseRemote('file:///srv/x.git').protocol).toBe('file');
    expect(parseRemote('./fleet.git')).toEqual({ url: path.resolve('fleet.git'), protocol: 'file' });
  });

  it.each(['', 'ftp://host/x', 'https://exa mple.com/x', 'x\ny'])('refuses %j with a config error', (input) => {
    expect(() => parseRemote(input)).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
  });

  it('the basic auth header is itself a secret', () => {
    const header = basicAuthHeader({ username: 'u', token: 't0ken-xyz' });
    expect(redact(header)).toBe('Basic ***');
  });
});
