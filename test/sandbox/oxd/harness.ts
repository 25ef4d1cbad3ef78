// Starts the oxd component over HTTPS against the fake oxAuth and offers the
// calls the tests make (raw requests, and the usual setup sequence).
import * as https from 'node:https';
import type { ComponentContext } from '../../../sandbox/component';
import { Faults, type FaultName } from '../../../sandbox/faults';
import { bind, type Listening } from '../../../sandbox/lib/http';
import { request } from '../../../sandbox/lib/http-client';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';
import { shippedOxdConfig, type OxdServerConfig } from '../../../sandbox/oxd/config';
import { createOxdWithConfig } from '../../../sandbox/oxd';
import { defaultSettings } from '../../../sandbox/settings';
import { FakeOxAuth } from '../doubles/fake-oxauth';
import { assertSwagger, hasSwaggerPath } from './swagger';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed body, undefined when not JSON. */
  json: unknown;
}

export interface Site {
  oxd_id: string;
  client_id: string;
  client_secret: string;
  op_host: string;
  [key: string]: unknown;
}

const TLS = makeSelfSignedCertificate();

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class OxdHarness {
  readonly logs: string[] = [];

  private constructor(
    readonly fake: FakeOxAuth,
    private readonly listening: Listening,
    readonly url: string,
  ) {}

  static async start(options: { faults?: FaultName[]; config?: Partial<OxdServerConfig> } = {}): Promise<OxdHarness> {
    const fake = await FakeOxAuth.start();
    const listening = await bind('127.0.0.1', 0, await TLS);
    const url = `https://127.0.0.1:${listening.port}`;
    const settings = { ...defaultSettings(), faults: new Faults(options.faults ?? []) };
    const h = new OxdHarness(fake, listening, url);
    const ctx: ComponentContext = {
      settings,
      urls: { kongAdmin: '', kongProxy: '', oxd: url, oxauth: fake.url, upstream: '', echo: '', website: '' },
      log: (_c, m) => h.logs.push(m),
    };
    listening.attach(createOxdWithConfig(ctx, { ...shippedOxdConfig(), ...options.config }));
    return h;
  }

  async close(): Promise<void> {
    await this.listening.close();
    await this.fake.close();
  }

  /** Every 200 answer of an endpoint the swagger documents is validated against it (swagger.ts). */
  async send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
    const res = await request(method, this.url + path, headers, body);
    const reply = { status: res.status, headers: res.headers, text: res.text, json: parse(res.text) };
    const endpoint = path.length > 1 ? path.replace(/\/$/, '') : path;
    if (reply.status === 200 && method !== 'HEAD' && method !== 'OPTIONS' && hasSwaggerPath(endpoint)) assertSwagger(endpoint, reply.json);
    return reply;
  }

  /** POST with a JSON body (a string is sent as is). */
  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('POST', path, { 'Content-Type': 'application/json', ...headers }, typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** A request leaving from another loopback address (bind_ip_addresses tests). */
  fromAddress(localAddress: string, method: string, path: string, body?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.url + path,
        { method, localAddress, rejectUnauthorized: false, agent: false, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200 && hasSwaggerPath(path)) assertSwagger(path, parse(text));
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** register-site with the plugin-client defaults of README setup step 1. */
  async registerSite(extra: Record<string, unknown> = {}): Promise<Site> {
    const r = await this.post('/register-site', {
      op_host: this.fake.url,
      redirect_uris: ['https://client.example.com/cb'],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials'],
      client_name: 'gg-uma-client',
      ...extra,
    });
    if (r.status !== 200) throw new Error(`register-site failed: ${r.status} ${r.text}`);
    return r.json as Site;
  }

  /** get-client-token with scope openid oxd for that site's client. */
  async clientToken(site: Site): Promise<string> {
    const r = await this.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: this.fake.url, scope: ['openid', 'oxd'] });
    if (r.status !== 200) throw new Error(`get-client-token failed: ${r.status} ${r.text}`);
    return (r.json as { access_token: string }).access_token;
  }

  /** A site, its token, and /posts/?? protected for GET with the tutorial scope expression (README setup step 3). */
  async protectedSite(resources?: unknown[]): Promise<{ site: Site; token: string }> {
    const site = await this.registerSite();
    const token = await this.clientToken(site);
    const r = await this.post('/uma-rs-protect', { oxd_id: site.oxd_id, resources: resources ?? [TUTORIAL_RESOURCE] }, { Authorization: `Bearer ${token}` });
    if (r.status !== 200) throw new Error(`uma-rs-protect failed: ${r.status} ${r.text}`);
    return { site, token };
  }
}

export const TUTORIAL_RESOURCE = {
  path: '/posts/??',
  conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['claim_gathering'] } }],
};

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The exact 4.2 challenge (oxd.md §4.7). */
export const challenge = (asUri: string, ticket: string) => `UMA realm="rs",as_uri="${asUri}",error="insufficient_scope",ticket="${ticket}"`;
