import { fetchOrFail, SourceError } from './DataSource.js';

export interface GitHubTarget {
  owner: string;
  repo: string;
  branch: string;
  apiBase: string;
  rawBase: string;
}

/**
 * One GitHub REST call with what this page needs around it: a conditional request (a
 * 304 costs no rate limit), the optional token, and rate limits and auth failures turned
 * into SourceErrors the banner can explain.
 */
export async function githubApi(
  target: GitHubTarget,
  path: string,
  options: { token: string | null; etag?: string | null; accept?: string; signal: AbortSignal },
): Promise<{ status: 200; body: unknown; text: string; etag: string | null } | { status: 304 }> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/vnd.github+json' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const url = `${target.apiBase}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/${path}`;
  const res = await fetchOrFail(url, { headers, signal: options.signal, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (res.status === 304) return { status: 304 };
  const remaining = res.headers.get('x-ratelimit-remaining');
  if ((res.status === 403 || res.status === 429) && (remaining === '0' || res.headers.has('retry-after'))) {
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryAt =
      Number.isFinite(reset) && reset > 0 ? reset * 1000 : Date.now() + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000);
    throw new SourceError(
      'rate-limited',
      `GitHub's rate limit for this visitor is used up until ${new Date(retryAt).toLocaleTimeString()}; add a token to raise it`,
      retryAt,
    );
  }
  if (res.status === 401) throw new SourceError('unauthorized', 'GitHub refused the token: check or remove it');
  if (res.status === 404 || res.status === 422)
    throw new SourceError(
      'not-found',
      `GitHub has no ${path.split('/')[0]} for ${target.owner}/${target.repo} (${res.status}); a private repository needs a token`,
    );
  if (!res.ok) throw new SourceError('http', `GitHub answered HTTP ${res.status} to ${path.split('?')[0]}`);
  const text = await res.text();
  if (text.length > 50 * 1024 * 1024) throw new SourceError('invalid', 'GitHub reply too large');
  let body: unknown = text;
  if (!options.accept || options.accept.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new SourceError('invalid', `GitHub's reply to ${path.split('?')[0]} is not JSON`);
    }
  }
  return { status: 200, body, text, etag: res.headers.get('etag') };
}

/** A file at a commit from the raw host: no API quota. Too large a file is refused unread where the size is known. */
export async function fetchRaw(
  target: GitHubTarget,
  commit: string,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ text: string } | { error: string; tooLarge?: boolean }> {
  const url = `${target.rawBase}/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/${commit}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const res = await fetchOrFail(url, { signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!res.ok) return { error: `raw file: HTTP ${res.status}` };
  // Read with a cap: content-length may be the compressed size, or absent.
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      return { error: `file is larger than the ${maxBytes} bytes a record of its kind may be`, tooLarge: true };
    }
    chunks.push(chunk.value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}
