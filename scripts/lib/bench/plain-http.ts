// A bare keep-alive HTTP(S) client: no redirects followed, no evidence, no
// masking. What the bare flow and the latency probe use instead of the
// suite's client.
import * as http from 'node:http';
import * as https from 'node:https';

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export class PlainHttp {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(maxSockets = 32) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false });
  }

  request(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<PlainResponse> {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        { method, hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: h, agent: secure ? this.httpsAgent : this.httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async json(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const res = await this.request(method, url, { 'Content-Type': 'application/json', ...headers }, body === undefined ? undefined : JSON.stringify(body));
    let parsed: Record<string, unknown> = {};
    try {
      parsed = res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
    } catch {
      // not JSON: the caller looks at the status
    }
    return { status: res.status, body: parsed, text: res.text };
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** The permission ticket of a UMA challenge (WWW-Authenticate: UMA realm=…,as_uri=…,ticket=…). */
export function ticketOf(res: PlainResponse): string | undefined {
  const h = res.headers['www-authenticate'];
  const value = Array.isArray(h) ? h.join(', ') : h;
  return value ? /ticket="?([^",\s]+)"?/.exec(value)?.[1] : undefined;
}
