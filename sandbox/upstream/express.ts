// What an Express 4 app with only `app.get(...)` routes answers, for the
// tutorials' two demo apps (gg-demo/node-api and gg-demo/node-ejs @
// gluu-gateway-setup version_4.2.2; their package.json ask for express
// ^4.16.4 / ^4.17.1). Behaviour read from Express 4's dependencies (not
// copied): path-to-regexp 0.1.x (route patterns: not strict, not case
// sensitive), router/index.js (HEAD served by GET routes, the automatic
// OPTIONS answer), response.js `send` (Content-Type, Content-Length, weak
// ETag, 304 when fresh), fresh 0.5 (If-None-Match), finalhandler 1.x (the
// 404 page), escape-html and encodeurl. Node's own http server adds Date,
// `Connection: keep-alive` and `Keep-Alive: timeout=5` (its default
// keepAliveTimeout, 5 s).
import * as crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Component } from '../component';
import { headerValue, type Request } from '../lib/http';

/** Node's default server.keepAliveTimeout (5000 ms), as its Keep-Alive header announces it. */
export const NODE_KEEP_ALIVE_SECONDS = 5;

export type ExpressBody = { html: string } | { json: unknown };

export interface ExpressRoute {
  /** The pattern given to app.get(): literal segments and `*` only (all the demos use). */
  path: string;
  render: (params: string[]) => ExpressBody;
}

interface CompiledRoute extends ExpressRoute {
  regexp: RegExp;
}

/**
 * path-to-regexp 0.1.x with Express's defaults (strict false, sensitive
 * false, end true): a trailing "/" becomes optional, or one is allowed;
 * `*` is a capturing `(.*)`; the match is case-insensitive.
 */
export function routeRegExp(path: string): RegExp {
  const slash = path.endsWith('/') ? '?' : '/?';
  const body = (path + slash)
    .replace(/[/.]/g, (c) => `\\${c}`)
    .replace(/\*/g, '(.*)');
  return new RegExp(`^${body}$`, 'i');
}

/** The `etag` package for a body Express sends: weak, length in hex, base64 SHA-1 cut to 27 chars. */
export function expressEtag(body: Buffer): string {
  const hash = crypto.createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}

/** fresh 0.5 for a response with an ETag and no Last-Modified. */
export function isFresh(req: Request, etag: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const modifiedSince = headerValue(req, 'if-modified-since');
  const noneMatch = headerValue(req, 'if-none-match');
  if (!modifiedSince && !noneMatch) return false;
  const cacheControl = headerValue(req, 'cache-control');
  if (cacheControl && /(?:^|,)\s*?no-cache\s*?(?:,|$)/.test(cacheControl)) return false;
  if (noneMatch && noneMatch !== '*') {
    const matches = noneMatch.split(',').map((t) => t.trim());
    if (!matches.some((m) => m === etag || m === `W/${etag}` || `W/${m}` === etag)) return false;
  }
  // Express sets no Last-Modified on rendered pages: If-Modified-Since alone is never fresh.
  if (modifiedSince) return false;
  return true;
}

/** response.js `send` of a string (html) or `json` of a value, with Express's header order. */
function sendBody(req: Request, res: ServerResponse, status: number, body: ExpressBody, extra: Array<[string, string]> = []): void {
  const isJson = 'json' in body;
  const payload = Buffer.from(isJson ? JSON.stringify(body.json) : body.html, 'utf8');
  const etag = expressEtag(payload);
  res.statusCode = status;
  res.setHeader('X-Powered-By', 'Express');
  for (const [name, value] of extra) res.setHeader(name, value);
  res.setHeader('Content-Type', isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  res.setHeader('Content-Length', String(payload.length));
  res.setHeader('ETag', etag);
  if (status >= 200 && status < 300 && isFresh(req, etag)) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.end();
    return;
  }
  if (req.method === 'HEAD') res.end();
  else res.end(payload);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** escape-html */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** encodeurl: percent-encode what may not appear in a URL, keep valid %XX escapes. */
export function encodeUrl(url: string): string {
  return url.replace(/(?:[^\x21\x25\x26-\x3B\x3D\x3F-\x5B\x5D\x5F\x61-\x7A\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g, (s) => encodeURI(s));
}

/** finalhandler's createHtmlDocument. */
export function errorDocument(message: string): string {
  const body = escapeHtml(message).replace(/\n/g, '<br>').replace(/\x20{2}/g, ' &nbsp;');
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${body}</pre>\n</body>\n</html>\n`;
}

/** finalhandler's answer (no route matched, or a routing error), with its security headers. */
function sendFinal(req: Request, res: ServerResponse, status: number, message: string): void {
  const doc = Buffer.from(errorDocument(message), 'utf8');
  res.statusCode = status;
  res.setHeader('X-Powered-By', 'Express');
  res.setHeader('Content-Security-Policy', "default-src 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', String(doc.length));
  if (req.method === 'HEAD') res.end();
  else res.end(doc);
}

/** Layer.match's decode_param: a malformed escape is a 400 error passed to finalhandler. */
function decodeParams(values: string[]): string[] | { bad: string } {
  const out: string[] = [];
  for (const v of values) {
    try {
      out.push(decodeURIComponent(v));
    } catch {
      return { bad: v };
    }
  }
  return out;
}

/**
 * An Express app of GET routes. The router matches the raw (undecoded)
 * pathname, first route wins; HEAD runs the GET route; OPTIONS answers
 * `Allow: GET,HEAD` where a route matches; anything else falls through to
 * finalhandler's `Cannot <METHOD> <path>` 404. The apps use no body parser,
 * so request bodies are read and ignored.
 */
export function createExpressApp(name: string, routes: ExpressRoute[]): Component {
  const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, regexp: routeRegExp(r.path) }));
  return {
    name,
    bodyLimit: 16 * 1024 * 1024,
    keepAliveHeader: NODE_KEEP_ALIVE_SECONDS,
    handler: (req: Request, res: ServerResponse) => {
      const matched = compiled.map((r) => ({ route: r, m: r.regexp.exec(req.rawPath) })).filter((x) => x.m !== null);
      if ((req.method === 'GET' || req.method === 'HEAD') && matched.length > 0) {
        const params = decodeParams((matched[0].m as RegExpExecArray).slice(1));
        if ('bad' in params) return sendFinal(req, res, 400, `URIError: Failed to decode param '${params.bad}'`);
        return sendBody(req, res, 200, matched[0].route.render(params));
      }
      if (req.method === 'OPTIONS' && matched.length > 0) {
        return sendBody(req, res, 200, { html: 'GET,HEAD' }, [['Allow', 'GET,HEAD']]);
      }
      sendFinal(req, res, 404, `Cannot ${req.method} ${encodeUrl(req.rawPath)}`);
    },
    // Without a body parser Express never reads a limit; this is only the sandbox's own guard.
    onTooLarge: (res) => {
      res.statusCode = 413;
      res.end();
    },
    // Express's default error handler in development (NODE_ENV unset, as `npm start` runs the demos).
    onError: (res, err) => {
      const doc = Buffer.from(errorDocument(err instanceof Error ? `${err.name}: ${err.message}` : 'Internal Server Error'), 'utf8');
      res.writeHead(500, {
        'X-Powered-By': 'Express',
        'Content-Security-Policy': "default-src 'none'",
        'X-Content-Type-Options': 'nosniff',
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(doc.length),
      });
      res.end(doc);
    },
  };
}
