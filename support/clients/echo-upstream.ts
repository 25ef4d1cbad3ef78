// The echo upstream (optional, ECHO_UPSTREAM_URL): answers with what it
// received and can say afterwards whether a marked request reached it.
import type { Exchange, HttpClient } from '../http';

export interface EchoedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class EchoUpstream {
  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
  ) {}

  /** What the upstream received for a request id, or undefined if it never arrived. */
  async received(requestId: string): Promise<{ request?: EchoedRequest; exchange: Exchange }> {
    const exchange = await this.http.get(`${this.baseUrl}/__echo/requests/${encodeURIComponent(requestId)}`);
    return { request: exchange.response.status === 200 ? (exchange.response.json as EchoedRequest) : undefined, exchange };
  }
}
