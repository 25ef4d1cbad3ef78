// nginx proxy_pass to the service (Kong 2.2.1 nginx template): HTTP/1.1 with
// keep-alive, the service's timeouts, the body as bytes. A connection
// failure is nginx's 502, a timeout its 504 (Kong's error page renders them).
import * as http from 'node:http';
import * as https from 'node:https';
import { keepAliveAgents } from '../lib/http-client';

const { http: httpAgent, https: httpsAgent } = keepAliveAgents(256);

export interface UpstreamAnswer {
  status: number;
  /** Raw header list as received: [name, value, name, value, …]. */
  rawHeaders: string[];
  body: Buffer;
}

export class UpstreamFailure extends Error {
  constructor(
    readonly status: 502 | 504,
    cause: string,
  ) {
    super(cause);
  }
}

export interface UpstreamCall {
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

export function callUpstream(call: UpstreamCall): Promise<UpstreamAnswer> {
  const target = new URL(call.url);
  const secure = target.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      { method: call.method, headers: call.headers, agent: secure ? httpsAgent : httpAgent, timeout: call.readTimeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
        res.on('error', (e) => reject(new UpstreamFailure(502, e.message)));
      },
    );
    const connectTimer = setTimeout(() => req.destroy(new UpstreamFailure(504, 'connect timeout')), call.connectTimeoutMs);
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('timeout', () => req.destroy(new UpstreamFailure(504, 'read timeout')));
    req.on('error', (e) => {
      clearTimeout(connectTimer);
      reject(e instanceof UpstreamFailure ? e : new UpstreamFailure(502, e.message));
    });
    req.on('close', () => clearTimeout(connectTimer));
    req.end(call.body);
  });
}
