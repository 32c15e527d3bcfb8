import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { redactUrl, registerSecret } from '../util/redact.js';

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
  // Every message below shows the URL through redactUrl: a token written into a URL
  // that does not parse must not be echoed either.
  const shown = JSON.stringify(redactUrl(text).slice(0, 300));
  // git takes an argument that starts with "-" as an option, wherever it stands.
  if (text.startsWith('-'))
    throw new ConfigError(`repository ${shown} starts with "-"`, {
      hint: 'a repository is an https or ssh URL, user@host:path, or a path (write ./-name for a folder named so)',
    });
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ConfigError(`repository URL ${shown} is not a valid URL`, {
        hint: 'percent-encode "/", "@", "#" and spaces in a user name or password, or better, pass the token in GITFLEET_TOKEN or a token file',
      });
    }
    // "https://tok/en@host" or "https://user:p#ss@host" parse, as the wrong host with the
    // rest of the password in the path, query or fragment: refuse rather than leak it.
    if (/@|%40/i.test(`${url.pathname}${url.search}${url.hash}`)) {
      throw new ConfigError(`repository URL ${shown} has an "@" after its host (a password with "/", "?" or "#" in it?)`, {
        hint: 'percent-encode those characters, or better, pass the token in GITFLEET_TOKEN or a token file',
      });
    }
    let auth: RemoteAuth | undefined;
    if (url.password) {
      auth = { username: decodeUserinfo(url.username) || username, token: decodeUserinfo(url.password) };
    } else if (url.username && !token) {
      // https://TOKEN@host/... is how some tools write a token-only URL.
      auth = { username, token: decodeUserinfo(url.username) };
    }
    url.username = '';
    url.password = '';
    if (token) auth = { username: auth?.username ?? username, token };
    if (auth) registerSecret(auth.token);
    return auth ? { url: url.toString(), protocol: 'http', auth } : { url: url.toString(), protocol: 'http' };
  }
  if (/^(ssh|git\+ssh):\/\//i.test(text)) return { url: sshUrl(text, shown), protocol: 'ssh' };
  const scp = /^([\w.-]+)@([\w.-]+):/.exec(text);
  if (scp) {
    // ssh would take a host that starts with "-" as one of its options.
    if (scp[1]!.startsWith('-') || scp[2]!.startsWith('-')) throw new ConfigError(`repository ${shown}: a user or host name cannot start with "-"`);
    return { url: text, protocol: 'ssh' };
  }
  if (/^file:\/\//i.test(text)) return { url: text, protocol: 'file' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ConfigError(`unsupported repository URL scheme in ${shown}`, {
      hint: 'use https://, ssh://, user@host:path, file:// or a local path',
    });
  }
  return { url: path.resolve(text), protocol: 'file' };
}

/** A percent-encoded user name or password; a stray "%" stays as written. */
function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An ssh:// URL, checked: ssh never takes a password from a URL, and a host that starts with "-" would be an option. */
function sshUrl(text: string, shown: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`repository URL ${shown} is not a valid URL`);
  }
  if (url.password)
    throw new ConfigError(`repository URL ${shown} holds a password, which ssh does not use`, { hint: 'remove it from the URL and use an ssh key' });
  if (url.hostname.startsWith('-') || url.username.startsWith('-') || url.username.startsWith('%2'))
    throw new ConfigError(`repository URL ${shown}: a user or host name cannot start with "-"`);
  return text;
}

/**
 * Whether a branch name is a safe ref name (git check-ref-format rules, stricter): no
 * leading "-" (an option), no "..", ":", "@{", spaces, control or glob characters, no
 * component that starts with "." or ends with ".lock".
 */
export function isSafeBranchName(branch: string): boolean {
  if (branch.length === 0 || branch.length > 200 || branch.startsWith('-') || branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.'))
    return false;
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.includes('//')) return false;
  return branch.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** The value of an HTTP Authorization header for basic auth (registered as a secret). */
export function basicAuthHeader(auth: RemoteAuth): string {
  const encoded = Buffer.from(`${auth.username}:${auth.token}`).toString('base64');
  registerSecret(encoded);
  return `Basic ${encoded}`;
}
