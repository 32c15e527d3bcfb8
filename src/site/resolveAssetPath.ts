import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

export interface AssetPath {
  /** Absolute path inside the assets folder (the caller still checks it is a regular file). */
  file: string;
  contentType: string;
}

/**
 * Which file of the assets folder answers a request path, or null when none may. Works
 * on the raw request target, before any URL normalisation, and refuses rather than
 * repairs: `..`, `.`, hidden names, encoded slashes or backslashes, NUL and undecodable
 * escapes all mean "not found", so no spelling of a path can step out of the folder.
 * `/` is index.html; other folders are never listed.
 */
export function resolveAssetPath(assetsDir: string, target: string): AssetPath | null {
  const rawPath = target.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/') || rawPath.includes('\\') || /%(2f|5c|00)/i.test(rawPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '/') decoded = '/index.html';
  const segments = decoded.slice(1).split('/');
  // An empty segment is "//" or a trailing slash: a folder, which is never served.
  if (segments.some((s) => s === '' || s.startsWith('.'))) return null;
  const root = path.resolve(assetsDir);
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  // Unknown kinds are still served, as bytes: with nosniff a browser will not run them.
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { file, contentType };
}
