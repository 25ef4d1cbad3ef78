// A plain HTTP/1.1 (and HTTPS) client for the upstream tests: a keep-alive connection (so
// servers announce their Keep-Alive), the response headers in wire order
// with their wire case, and the body as text.
import * as http from 'node:http';
import * as https from 'node:https';

export interface RawReply {
  status: number;
  /** [name, value] pairs as received, Date removed (it changes every second). */
  headers: Array<[string, string]>;
  /** The Date header, kept apart. */
  date?: string;
  header(name: string): string | undefined;
  text: string;
}

export class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  // The sandbox's certificate is self-signed.
  private readonly tlsAgent = new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false });

  request(method: string, url: string, headers: Record<string, string> = {}): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      const tls = url.startsWith('https:');
      const req = (tls ? https : http).request(url, { method, headers, agent: tls ? this.tlsAgent : this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          let date: string | undefined;
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() === 'date') date = res.rawHeaders[i + 1];
            else pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: pairs,
            date,
            header: (name) => pairs.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  get(url: string, headers: Record<string, string> = {}): Promise<RawReply> {
    return this.request('GET', url, headers);
  }

  close(): void {
    this.agent.destroy();
    this.tlsAgent.destroy();
  }
}
