// Test harness for the oxAuth emulator: the component on a real HTTPS
// listener (bind() + a self-signed certificate), a client for it, and the
// setup calls a resource server makes (DCR, PAT, resource, permission ticket).
import { buildOxAuth, type OxAuthDeps } from '../../../sandbox/oxauth/server';
import { makeAsKeys, type AsKeys } from '../../../sandbox/oxauth/jwks';
import { AsStore } from '../../../sandbox/oxauth/store';
import { bind, type Listening } from '../../../sandbox/lib/http';
import { request, type ClientResponse } from '../../../sandbox/lib/http-client';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';
import { defaultSettings, type AsSettings } from '../../../sandbox/settings';
import { Faults, type FaultName } from '../../../sandbox/faults';
import type { ComponentContext } from '../../../sandbox/component';
import type { RptPolicyScript } from '../../../sandbox/oxauth/policies';

export const UMA_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';
export const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
export const CRU = 'https://rqp.example.org/claims-cb';

// Made once per test file, on first use.
const tls = makeSelfSignedCertificate();
let sharedKeys: AsKeys | undefined;

export interface AsOptions {
  as?: Partial<AsSettings>;
  faults?: FaultName[];
  /** The public base URL (issuer); default https://localhost:<port>. */
  publicUrl?: string;
  clock?: () => number;
  policyScripts?: readonly RptPolicyScript[];
}

/** A parsed answer body; tests assert it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface Res extends ClientResponse {
  json(): Body;
  cookies(): string[];
}

export class TestAs {
  constructor(
    readonly listening: Listening,
    /** Where the test connects. */
    readonly base: string,
    /** The issuer the AS was told. */
    readonly issuer: string,
    readonly store: AsStore,
    readonly keys: AsKeys,
    /** The AS settings the component was built with (test users, lifetimes). */
    readonly settings: AsSettings,
  ) {}

  async call(method: string, path: string, opts: { headers?: Record<string, string>; body?: string; form?: Record<string, string | undefined>; json?: unknown } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let body = opts.body;
    if (opts.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) if (v !== undefined) p.append(k, v);
      body = p.toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] ??= 'application/json';
    }
    const url = path.startsWith('https://') ? path.replace(this.issuer, this.base) : this.base + path;
    const r = await request(method, url, headers, body);
    return Object.assign(r, {
      json: () => JSON.parse(r.text),
      cookies: () => {
        const sc = r.headers['set-cookie'];
        return sc === undefined ? [] : Array.isArray(sc) ? sc : [sc];
      },
    });
  }

  close(): Promise<void> {
    return this.listening.close();
  }

  // Setup helpers -------------------------------------------------------
  async registerClient(meta: Record<string, unknown> = {}): Promise<{ id: string; secret: string; rat: string; body: Body }> {
    const r = await this.call('POST', '/oxauth/restv1/register', {
      json: {
        redirect_uris: ['https://client.example.com/cb'],
        claims_redirect_uri: [CRU],
        scope: 'openid oxd uma_protection',
        grant_types: ['client_credentials', UMA_GRANT],
        response_types: ['code'],
        client_name: 'test-client',
        ...meta,
      },
    });
    if (r.status !== 200) throw new Error(`register failed ${r.status} ${r.text}`);
    const b = r.json();
    return { id: b.client_id, secret: b.client_secret, rat: b.registration_access_token, body: b };
  }

  async clientToken(c: { id: string; secret: string }, scope: string): Promise<string> {
    const r = await this.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials', scope } });
    if (r.status !== 200) throw new Error(`token failed ${r.status} ${r.text}`);
    return r.json().access_token;
  }

  async resource(pat: string, body: Record<string, unknown>): Promise<string> {
    const r = await this.call('POST', '/oxauth/restv1/host/rsrc/resource_set', { headers: { Authorization: `Bearer ${pat}` }, json: body });
    if (r.status !== 201) throw new Error(`resource failed ${r.status} ${r.text}`);
    return r.json()._id;
  }

  async ticket(pat: string, permissions: unknown): Promise<string> {
    const r = await this.call('POST', '/oxauth/restv1/host/rsrc_pr', { headers: { Authorization: `Bearer ${pat}` }, json: permissions });
    if (r.status !== 201) throw new Error(`permission failed ${r.status} ${r.text}`);
    return r.json().ticket;
  }

  /** An RS (plugin client + PAT), an RqP client, and the tutorial resource on `scopes`. */
  async setup(scopes: string[] = ['claim_gathering'], rqpMeta: Record<string, unknown> = {}): Promise<Setup> {
    const rs = await this.registerClient({ claims_redirect_uri: undefined, grant_types: ['client_credentials'] });
    const pat = await this.clientToken(rs, 'uma_protection');
    const rqp = await this.registerClient(rqpMeta);
    const resourceId = await this.resource(pat, {
      name: '[GET] /posts/??',
      resource_scopes: scopes,
      scope_expression: JSON.stringify({ rule: { and: scopes.map((_, i) => ({ var: i })) }, data: scopes }),
    });
    const newTicket = () => this.ticket(pat, { resource_id: resourceId, resource_scopes: scopes });
    return { rs, pat, rqp, resourceId, newTicket };
  }

  /** The UMA grant at the token endpoint with the RqP client's Basic auth. */
  token(rqp: { id: string; secret: string }, form: Record<string, string | undefined>): Promise<Res> {
    return this.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(rqp.id, rqp.secret) }, form: { grant_type: UMA_GRANT, ...form } });
  }
}

export interface Setup {
  rs: { id: string; secret: string };
  pat: string;
  rqp: { id: string; secret: string; rat: string; body: Body };
  resourceId: string;
  newTicket: () => Promise<string>;
}

export function basic(id: string, secret: string): string {
  return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

export async function startAs(opts: AsOptions = {}): Promise<TestAs> {
  const listening = await bind('127.0.0.1', 0, await tls);
  const base = `https://127.0.0.1:${listening.port}`;
  const issuer = opts.publicUrl ?? `https://localhost:${listening.port}`;
  const settings = defaultSettings();
  settings.as = { ...settings.as, ...(opts.as ?? {}) };
  settings.faults = new Faults(opts.faults ?? []);
  const ctx: ComponentContext = {
    settings,
    urls: { kongAdmin: 'http://127.0.0.1:1', kongProxy: 'http://127.0.0.1:2', oxd: 'https://127.0.0.1:3', oxauth: issuer, upstream: 'http://127.0.0.1:4', echo: 'http://127.0.0.1:5', website: 'http://127.0.0.1:6' },
    log: () => undefined,
  };
  sharedKeys ??= makeAsKeys();
  const clock = opts.clock ?? Date.now;
  const store = new AsStore(settings.as, clock);
  const deps: OxAuthDeps = { keys: sharedKeys, clock, store, policyScripts: opts.policyScripts };
  listening.attach(buildOxAuth(ctx, deps));
  return new TestAs(listening, base, issuer, store, sharedKeys, settings.as);
}

/** An unsigned claim token: header {"typ":"JWT","alg":"none"}, then the payload, then an empty signature. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.' + Buffer.from(JSON.stringify(payload)).toString('base64url') + '.';
}

/** Cookie header from Set-Cookie lines. */
export function cookieJar(setCookies: string[]): string {
  return setCookies.map((c) => c.split(';')[0]).join('; ');
}

/** Query parameters of a Location, without decoding surprises. */
export function queryOf(location: string): URLSearchParams {
  return new URL(location).searchParams;
}

export const PAGE_FORM = { loginForm: 'loginForm', 'loginForm:gather': 'Submit', 'javax.faces.ViewState': 'stateless' };

/** T1 → need_info: returns T1, T2 and the need_info body. */
export async function toNeedInfo(as: TestAs, s: Setup): Promise<{ t1: string; t2: string; body: Body }> {
  const t1 = await s.newTicket();
  const r = await as.token(s.rqp, { ticket: t1 });
  if (r.status !== 403) throw new Error(`expected need_info, got ${r.status} ${r.text}`);
  return { t1, t2: r.json().ticket, body: r.json() };
}

/** The browser part: gather_claims URL → country.htm → city.htm; returns the last answer and the cookie jar. */
export async function gatherBrowser(as: TestAs, claimsUrl: string, country: string, city: string): Promise<{ last: Res; jar: string; start: Res }> {
  const start = await as.call('GET', claimsUrl);
  if (start.status !== 302) throw new Error(`gather_claims answered ${start.status} ${start.text}`);
  const jar = cookieJar(start.cookies());
  const c = await as.call('POST', '/oxauth/uma2/sample/country.htm', { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:country': country } });
  if (c.status !== 302) throw new Error(`country.htm answered ${c.status}`);
  const last = await as.call('POST', '/oxauth/uma2/sample/city.htm', { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': city } });
  return { last, jar, start };
}

/** need_info, then gathering with the tutorial URL (redirect_user + claims_redirect_uri [+ state]); returns T3. */
export async function gatheredTicket(as: TestAs, s: Setup, country = 'US', city = 'NY', state = 'S1'): Promise<{ t1: string; t2: string; t3: string; location: string; pct: string }> {
  const ni = await toNeedInfo(as, s);
  const url = `${ni.body.redirect_user}&claims_redirect_uri=${CRU}${state ? `&state=${state}` : ''}`;
  const { last } = await gatherBrowser(as, url, country, city);
  const location = String(last.headers.location);
  const t3 = queryOf(location).get('ticket') ?? '';
  const pct = as.store.permissionsByTicket(t3)[0]?.attributes.pct ?? '';
  return { t1: ni.t1, t2: ni.t2, t3, location, pct };
}
