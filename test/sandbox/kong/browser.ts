// A curl-like client for the OIDC tests (GG's busted specs drive Kong with
// `curl -c jar -b jar [-L]`): a cookie jar fed by Set-Cookie (a past
// Expires / Max-Age=0 deletes), one User-Agent, and redirects followed
// only while they stay on the gateway's host.
import { request } from '../../../sandbox/lib/http-client';
import type { Harness, Reply } from './harness';

export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(setCookie: string | string[] | undefined): void {
    const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    for (const c of list) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const deleted = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (deleted) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

export interface BrowserOptions {
  host: string;
  userAgent?: string;
}

export class Browser {
  readonly jar = new CookieJar();
  /** Every response, redirects included, in order. */
  readonly seen: Reply[] = [];

  constructor(
    private readonly h: Harness,
    private readonly opts: BrowserOptions,
  ) {}

  get base(): string {
    return `http://${this.opts.host}:${new URL(this.h.proxyUrl).port}`;
  }

  async send(method: string, path: string, o: { headers?: Record<string, string>; body?: string; follow?: boolean; noCookies?: boolean } = {}): Promise<Reply> {
    let current = { method, path, body: o.body, headers: o.headers ?? {} };
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = { Host: this.opts.host, 'User-Agent': this.opts.userAgent ?? 'curl/7.68.0', ...current.headers };
      const cookie = o.noCookies ? undefined : this.jar.header();
      if (cookie !== undefined) headers.Cookie = cookie;
      const raw = await request(current.method, `${this.h.proxyUrl}${current.path}`, headers, current.body);
      let json: unknown;
      try {
        json = JSON.parse(raw.text);
      } catch {
        json = undefined;
      }
      const r: Reply = { ...raw, json };
      this.seen.push(r);
      if (!o.noCookies) this.jar.store(raw.headers['set-cookie']);
      const location = raw.headers.location;
      if (!o.follow || raw.status < 300 || raw.status >= 400 || typeof location !== 'string') return r;
      const target = new URL(location, this.base);
      if (target.host !== new URL(this.base).host) return r;
      current = { method: 'GET', path: `${target.pathname}${target.search}`, body: undefined, headers: {} };
    }
    throw new Error('too many redirects');
  }

  get(path: string, o: { headers?: Record<string, string>; follow?: boolean; noCookies?: boolean } = {}): Promise<Reply> {
    return this.send('GET', path, o);
  }
}
