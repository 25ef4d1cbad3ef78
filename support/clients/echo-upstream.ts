// The echo upstream (optional, ECHO_UPSTREAM_URL): answers with what it
// received and can say afterwards whether a marked request reached it.
import { SetupError } from '../errors';
import type { Exchange, HttpClient } from '../http';

/** The echo's answer for an id it never saw (sandbox/upstream/echo-api.ts): 404 {"message":"no request with …"}. */
export const ECHO_NOT_SEEN = /^no request with /;

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

  /**
   * What the upstream received for a request id, or undefined if it never
   * arrived. Only the echo's own "never seen" answer counts as "never
   * arrived": any other answer (a wrong ECHO_UPSTREAM_URL, another server,
   * an error page) is a setup problem, so "did not reach the upstream" can
   * never pass by accident.
   */
  async received(requestId: string): Promise<{ request?: EchoedRequest; exchange: Exchange }> {
    const exchange = await this.http.get(`${this.baseUrl}/__echo/requests/${encodeURIComponent(requestId)}`);
    const { status, json } = exchange.response;
    const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
    if (status === 200 && typeof body.method === 'string' && typeof body.path === 'string') {
      return { request: json as EchoedRequest, exchange };
    }
    if (status === 404 && typeof body.message === 'string' && ECHO_NOT_SEEN.test(body.message)) return { exchange };
    throw new SetupError(
      `the echo upstream at ${this.baseUrl} did not answer like the suite's echo (200 with the request, or 404 "no request with …"): status ${status}; check ECHO_UPSTREAM_URL`,
      exchange,
    );
  }
}
