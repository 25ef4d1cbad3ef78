// The tutorial's protected API: gg-demo/node-api/index.js @ gluu-gateway-setup
// version_4.2.2, an Express 4 app with two routes (gateway.md §10).
import * as crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Component } from '../component';
import { send, type Request } from '../lib/http';

const TITLE = 'sunt aut facere repellat provident occaecati excepturi optio reprehenderit';
const BODY = 'quia et suscipit suscipit recusandae consequuntur expedita et cum reprehenderit molestiae ut ut quas totam nostrum rerum est autem sunt rem eveniet architecto';

export const POSTS = [
  { id: 1, title: TITLE, body: BODY },
  { id: 2, title: TITLE, body: BODY },
];

/** Express's default weak ETag (the `etag` package): length in hex, then a SHA-1 prefix. */
function expressEtag(body: Buffer): string {
  const hash = crypto.createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}

function expressJson(res: ServerResponse, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  send(res, 200, body, {
    'X-Powered-By': 'Express',
    'Content-Type': 'application/json; charset=utf-8',
    ETag: expressEtag(body),
  });
}

/** Express's finalhandler 404 page. */
function expressNotFound(res: ServerResponse, method: string, path: string): void {
  const escaped = path.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${escaped}</pre>\n</body>\n</html>\n`;
  send(res, 404, html, {
    'X-Powered-By': 'Express',
    'Content-Security-Policy': "default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Content-Type': 'text/html; charset=utf-8',
  });
}

export function createDemoApi(): Component {
  return {
    name: 'upstream',
    bodyLimit: 100 * 1024,
    handler: (req: Request, res: ServerResponse) => {
      // Express routes HEAD like GET; non-strict routing lets /posts/ reach /posts.
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (method === 'GET' && (req.path === '/posts' || req.path === '/posts/')) return expressJson(res, POSTS);
      if (method === 'GET' && /^\/posts\/.+/.test(req.path)) return expressJson(res, POSTS[0]);
      expressNotFound(res, req.method, req.rawPath);
    },
    onTooLarge: (res) => send(res, 413, 'PayloadTooLargeError: request entity too large', { 'Content-Type': 'text/html; charset=utf-8' }),
    onError: (res) => send(res, 500, 'Internal Server Error', { 'Content-Type': 'text/html; charset=utf-8' }),
  };
}
