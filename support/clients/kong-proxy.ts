// The requesting party's calls to the protected API through the Kong proxy.
import * as crypto from 'node:crypto';
import type { Exchange, HttpClient } from '../http';

/** Marks a proxied request so the echo upstream can say whether it arrived. */
export const REQUEST_ID_HEADER = 'X-Conformance-Request-Id';

export interface ProxyRequest {
  method?: string;
  path: string;
  /** The Kong route host (the tutorial's host_with_claims). */
  host: string;
  /** An RPT or any other bearer token. */
  token?: string;
  headers?: Record<string, string>;
}

export interface ProxyResult {
  exchange: Exchange;
  requestId: string;
}

export class KongProxy {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  async request(r: ProxyRequest): Promise<ProxyResult> {
    const requestId = crypto.randomUUID();
    const headers: Record<string, string> = { Host: r.host, [REQUEST_ID_HEADER]: requestId, ...r.headers };
    if (r.token !== undefined) headers.Authorization = `Bearer ${r.token}`;
    const exchange = await this.http.send(r.method ?? 'GET', `${this.baseUrl}${r.path}`, headers);
    return { exchange, requestId };
  }
}
