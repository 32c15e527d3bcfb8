import { createReadStream, promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { resolveAssetPath } from './resolveAssetPath.js';

/**
 * Answers a request with a file of the assets folder (`root`, already a real path), or
 * returns false, having written nothing, when no file may answer it.
 */
export async function serveAsset(req: http.IncomingMessage, res: http.ServerResponse, root: string, headers: Record<string, string>): Promise<boolean> {
  const asset = resolveAssetPath(root, req.url ?? '/');
  if (!asset) return false;
  // A symbolic link inside the folder must not lead out of it either.
  const real = await fs.realpath(asset.file).catch(() => null);
  if (!real || !real.startsWith(root + path.sep)) return false;
  const stat = await fs.stat(real).catch(() => null);
  if (!stat?.isFile()) return false;
  res.writeHead(200, { ...headers, 'Content-Type': asset.contentType, 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}
