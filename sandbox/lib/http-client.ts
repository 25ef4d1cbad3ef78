// Outbound HTTP between emulated components (Kong → oxd, oxd → oxAuth).
// The real products talk over the network; so does the sandbox, so that a
// fault in one component shows up to the next one exactly as on the wire.
import * as http from 'node:http';
import * as https from 'node:https';

/**
 * Keep-alive agents for calls between components. Idle connections are
 * dropped after 30 s, before the servers' 60 s keep-alive ends, so a reused
 * connection is never one the other side is closing. Certificate checks are
 * off: oxdweb.lua and oxd's AS client run that way against self-signed
 * installs (gateway.md §0), and the sandbox certificate is self-signed too.
 */
export function keepAliveAgents(maxSockets: number): { http: http.Agent; https: https.Agent } {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets, timeout: 30_000 }),
    https: new https.Agent({ keepAlive: true, maxSockets, timeout: 30_000, rejectUnauthorized: false }),
  };
}

const { http: httpAgent, https: httpsAgent } = keepAliveAgents(64);

export interface ClientResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export class TransportError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`transport error calling ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function request(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 10_000,
): Promise<ClientResponse> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  const agent = target.protocol === 'https:' ? httpsAgent : httpAgent;
  const allHeaders: Record<string, string> = { ...headers };
  if (body !== undefined) allHeaders['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = lib.request(target, { method, headers: allHeaders, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(new TransportError(url, e)));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => reject(new TransportError(url, e)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<ClientResponse> {
  return request('POST', url, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(body));
}

export function postForm(url: string, form: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<ClientResponse> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) params.append(k, v);
  return request('POST', url, { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, params.toString());
}

/** Parses a JSON body; undefined when it is not JSON (callers map that to their product's error). */
export function jsonOf(res: ClientResponse): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
}
