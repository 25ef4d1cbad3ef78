// Every HTTP call the suite makes goes through here: one keep-alive client
// per target, no automatic redirects, nothing thrown for HTTP statuses, and
// every exchange recorded as evidence for the step that made it.
import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { activeBreaker, OPENED_NOTE } from './circuit-breaker';
import { EnvironmentError } from './errors';

export interface ExchangeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text. */
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface Exchange {
  /** Which component was called, in the words of the reference ("Kong proxy", "oxd", …). */
  target: string;
  request: ExchangeRequest;
  response: ExchangeResponse;
  durationMs: number;
}

export { EnvironmentError };

export type ExchangeListener = (x: Exchange) => void;

export interface HttpOptions {
  timeoutMs: number;
  tlsInsecure: boolean;
}

const agents = new Map<string, { http: http.Agent; https: https.Agent }>();

function agentsFor(tlsInsecure: boolean) {
  const key = String(tlsInsecure);
  let a = agents.get(key);
  if (!a) {
    // Idle connections are dropped after 4 s, before a Node.js server's 5 s
    // keep-alive (nginx: 60 s, Jetty: 30 s) ends, so a request never reuses a
    // connection the server is just closing.
    a = {
      http: new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000, rejectUnauthorized: !tlsInsecure }),
    };
    agents.set(key, a);
  }
  return a;
}

function flatHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (nothing listens there)',
  ENOTFOUND: 'has a host name that does not resolve',
  EAI_AGAIN: 'has a host name that does not resolve (DNS not reachable)',
  ECONNRESET: 'closed the connection without answering',
  ETIMEDOUT: 'did not answer in time',
  ECONNABORTED: 'did not answer in time',
  EHOSTUNREACH: 'is not reachable from here',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'presents a self-signed TLS certificate (set UMA_TLS_INSECURE=true to accept it)',
  SELF_SIGNED_CERT_IN_CHAIN: 'presents a TLS certificate from an untrusted issuer (set UMA_TLS_INSECURE=true to accept it)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'presents a TLS certificate that cannot be verified (set UMA_TLS_INSECURE=true to accept it)',
  CERT_HAS_EXPIRED: 'presents an expired TLS certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'presents a TLS certificate for another host name',
  EPROTO: 'does not speak the expected protocol (http vs https?)',
  ENETUNREACH: 'is not reachable from here (no route to its network)',
  EPIPE: 'closed the connection without answering',
};

/** The codes that say the target is not there (as opposed to a TLS or protocol problem): the circuit breaker's business. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_CANCELED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export class HttpClient {
  private readonly axios: AxiosInstance;
  private readonly listeners: ExchangeListener[] = [];

  constructor(
    readonly target: string,
    private readonly options: HttpOptions,
  ) {
    const a = agentsFor(options.tlsInsecure);
    this.axios = axios.create({
      httpAgent: a.http,
      httpsAgent: a.https,
      timeout: options.timeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      // Bodies are sent exactly as built by the caller.
      transformRequest: [(d: unknown) => d],
      maxContentLength: 20 * 1024 * 1024,
    });
  }

  onExchange(listener: ExchangeListener): void {
    this.listeners.push(listener);
  }

  async send(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Exchange> {
    const request: ExchangeRequest = { method, url, headers, body };
    const breaker = activeBreaker();
    const notTried = breaker?.notTried(url);
    if (notTried) throw new EnvironmentError(`${this.target} at ${new URL(url).origin} ${notTried}`, request);
    const started = performance.now();
    let res;
    try {
      // axios's timeout is a socket idle timeout; the signal bounds the whole
      // exchange, so a server that trickles bytes cannot hold the suite.
      res = await this.axios.request<string>({ method, url, headers, data: body, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      const e = err as { code?: string; message?: string; cause?: { code?: string } };
      const code = e.code ?? e.cause?.code ?? '';
      const words = NETWORK_WORDS[code] ?? `failed (${e.message ?? String(err)})`;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
      const why = timedOut ? `did not answer in time: no answer within ${this.options.timeoutMs} ms` : words;
      const opened = breaker && UNREACHABLE.has(code) ? await breaker.afterNetworkFailure(this.target, url, why) : undefined;
      throw new EnvironmentError(`${this.target} at ${new URL(url).origin} ${why}${opened ? OPENED_NOTE : ''}`, request);
    }
    const text = typeof res.data === 'string' ? res.data : '';
    const exchange: Exchange = {
      target: this.target,
      request,
      response: { status: res.status, headers: flatHeaders(res.headers as Record<string, unknown>), text, json: parseJson(text) },
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    for (const l of this.listeners) l(exchange);
    return exchange;
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Exchange> {
    return this.send('GET', url, headers);
  }

  postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Exchange> {
    return this.send('POST', url, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(body));
  }

  postForm(url: string, form: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Exchange> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v !== undefined) params.append(k, v);
    return this.send('POST', url, { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, params.toString());
  }
}

/** The JSON body as an object, or an empty object when it is not one (checks say why). */
export function bodyObject(x: Exchange): Record<string, unknown> {
  const j = x.response.json;
  return j && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : {};
}
