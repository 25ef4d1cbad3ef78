// The small HTTP toolkit every emulated component is built on: a request
// object with the body already read, a router, and the response writers.
// Each component decides its own error bodies; nothing here invents product
// behaviour.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Request {
  method: string;
  /** Percent-decoded path without the query string. */
  path: string;
  /** The path exactly as sent, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Peer address as the socket reports it. */
  remoteAddress: string;
  params: Record<string, string>;
  raw: http.IncomingMessage;
}

export type Handler = (req: Request, res: http.ServerResponse) => void | Promise<void>;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Decodes a path the way nginx normalises it for matching; malformed escapes stay as sent. */
export function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function toRequest(raw: http.IncomingMessage, bodyLimit: number): Promise<Request> {
  const target = raw.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
  const body = await readBody(raw, bodyLimit);
  return {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: decodePath(rawPath),
    rawPath,
    query,
    headers: raw.headers,
    body,
    remoteAddress: raw.socket.remoteAddress ?? '',
    params: {},
    raw,
  };
}

type Segment = { literal: string } | { param: string };

interface Route {
  method: string;
  segments: Segment[];
  handler: Handler;
}

/** Exact-segment router with `:name` parameters. Route order is match order. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    const segments = pattern
      .split('/')
      .slice(1)
      .map((s): Segment => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
    this.routes.push({ method: method.toUpperCase(), segments, handler });
    return this;
  }

  /** The routes whose path matches, whatever the method (for 405 answers). */
  match(req: Request): { route?: Route; pathMatched: boolean; params: Record<string, string> } {
    const parts = req.rawPath.split('/').slice(1).map(decodePath);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === req.method || route.method === '*') return { route, pathMatched, params };
    }
    return { pathMatched, params: {} };
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('literal' in seg) {
      if (seg.literal !== parts[i]) return undefined;
    } else {
      if (parts[i] === '') return undefined;
      params[seg.param] = parts[i];
    }
  }
  return params;
}

export type Headers = Record<string, string | string[]>;

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Headers = {}, contentType = 'application/json'): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': contentType, ...headers });
}

export function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Headers = {}): void {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
  res.end(payload);
}

export function redirect(res: http.ServerResponse, location: string, headers: Headers = {}, status = 302): void {
  send(res, status, '', { ...headers, Location: location });
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export interface Served {
  handler: Handler;
  bodyLimit: number;
  /** What to answer when the body exceeds bodyLimit (the product's own behaviour). */
  onTooLarge: (res: http.ServerResponse) => void;
  /** What to answer when a handler throws (the product's own behaviour). */
  onError: (res: http.ServerResponse, err: unknown) => void;
  /**
   * The `Keep-Alive: timeout=N` header the product sends on a kept-alive
   * connection: N seconds, or false for none (nginx with a one-parameter
   * keepalive_timeout, Jetty). Unset: Node's own, the listener's 60 s. Only
   * the header changes; the listener keeps idle connections 60 s either way.
   */
  keepAliveHeader?: number | false;
}

/** Node writes `Keep-Alive: timeout=<this / 1000>` from the response's copy of server.keepAliveTimeout (_http_outgoing.js _storeHeader); 0 writes none. */
type KeepAliveResponse = http.ServerResponse & { _keepAliveTimeout: number };

function announceKeepAlive(res: http.ServerResponse, seconds: number | false | undefined): void {
  if (seconds === undefined) return;
  (res as KeepAliveResponse)._keepAliveTimeout = seconds === false ? 0 : seconds * 1000;
}

export interface Listening {
  port: number;
  /** Starts answering with this component; until then requests get 503. */
  attach(served: Served): void;
  close(): Promise<void>;
}

/**
 * Binds a port first and takes its handler later, so that ephemeral ports are
 * known before any component builds a URL. Loopback only is the caller's host.
 */
export function bind(host: string, port: number, tls?: { key: string; cert: string }): Promise<Listening> {
  let served: Served | undefined;
  const listener: http.RequestListener = (raw, res) => {
    const current = served;
    if (!current) {
      send(res, 503, 'starting');
      return;
    }
    announceKeepAlive(res, current.keepAliveHeader);
    toRequest(raw, current.bodyLimit)
      .then((req) => current.handler(req, res))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof BodyTooLargeError) {
          res.setHeader('Connection', 'close');
          current.onTooLarge(res);
          return;
        }
        current.onError(res, err);
      });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  // Like nginx's 60 s keepalive_timeout. Clients (sandbox/lib/http-client.ts,
  // the suite) drop idle connections sooner, so a request never meets a
  // connection the server is just closing.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        attach: (s) => {
          served = s;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
