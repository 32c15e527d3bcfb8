import { readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface StaticSite {
  url: string;
  /** Replace or add a file the site serves (snapshot.json, dashboard.json...). */
  files: Map<string, string | Buffer>;
  requests: string[];
  close(): Promise<void>;
}

/**
 * The built dashboard (dist/dashboard) as GitHub Pages would serve it: plain static
 * files, plus the test's own snapshot.json / dashboard.json. No headers beyond the
 * content type, so the page's own <meta> Content-Security-Policy is what protects it.
 */
export async function startStaticSite(root: string, files: Record<string, string | Buffer> = {}): Promise<StaticSite> {
  const extra = new Map(Object.entries(files));
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const name = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const body = extra.get(name) ?? (!name.includes('..') && existsSync(path.join(root, name)) ? readFileSync(path.join(root, name)) : undefined);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    files: extra,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
