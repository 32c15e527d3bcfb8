import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { registerSecret } from '../util/redact.js';

export interface RemoteAuth {
  username: string;
  token: string;
}

/** A parsed remote: a URL without credentials, plus the credentials kept apart. */
export interface RemoteSpec {
  /** What git is told to fetch from and push to; never contains credentials. */
  url: string;
  protocol: 'http' | 'ssh' | 'file';
  auth?: RemoteAuth;
}

/**
 * Parses `--repo`: an http(s) URL, an ssh URL or scp-like `user@host:path`, a file://
 * URL, or a local path. Credentials written into an http URL are moved out of it and
 * registered as secrets, so the URL can be shown and the token cannot.
 */
export function parseRemote(input: string, token?: string, username = 'x-access-token'): RemoteSpec {
  const text = input.trim();
  if (text === '') throw new ConfigError('no fleet repository given', { hint: 'pass --repo <url|path> or set GITFLEET_REPO' });
  if (/[\0\r\n]/.test(text)) throw new ConfigError('the repository URL contains control characters');
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ConfigError(`repository URL ${JSON.stringify(text)} is not a valid URL`);
    }
    let auth: RemoteAuth | undefined;
    if (url.password) {
      auth = { username: decodeURIComponent(url.username) || username, token: decodeURIComponent(url.password) };
    } else if (url.username && !token) {
      // https://TOKEN@host/... is how some tools write a token-only URL.
      auth = { username, token: decodeURIComponent(url.username) };
    }
    url.username = '';
    url.password = '';
    if (token) auth = { username: auth?.username ?? username, token };
    if (auth) registerSecret(auth.token);
    return auth ? { url: url.toString(), protocol: 'http', auth } : { url: url.toString(), protocol: 'http' };
  }
  if (/^(ssh|git\+ssh):\/\//i.test(text) || /^[\w.-]+@[\w.-]+:/.test(text)) return { url: text, protocol: 'ssh' };
  if (/^file:\/\//i.test(text)) return { url: text, protocol: 'file' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ConfigError(`unsupported repository URL scheme in ${JSON.stringify(text)}`, {
      hint: 'use https://, ssh://, user@host:path, file:// or a local path',
    });
  }
  return { url: path.resolve(text), protocol: 'file' };
}

/** The value of an HTTP Authorization header for basic auth (registered as a secret). */
export function basicAuthHeader(auth: RemoteAuth): string {
  const encoded = Buffer.from(`${auth.username}:${auth.token}`).toString('base64');
  registerSecret(encoded);
  return `Basic ${encoded}`;
}
