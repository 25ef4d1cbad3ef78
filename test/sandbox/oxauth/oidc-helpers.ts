// Helpers for the OpenID Connect tests: an RP registered as oxd's
// register-site registers GG's OP client, a cookie-keeping "browser" that
// walks the authorization pages, and the token exchange.
import { after, before } from 'node:test';
import { basic, startAs, type AsOptions, type Res, type TestAs } from './harness';

export const GG = 'https://gg.example.org';
export const CALLBACK = `${GG}/callback`;
export const POST_LOGOUT = `${GG}/logout_redirect_uri`;
export const GG_SCOPE = 'openid oxd email profile uma_protection';

export interface Rp {
  id: string;
  secret: string;
}

/** oxd register-site for the GG UI's OP client (oidc-uma.md §1.4 step 2). */
export async function registerRp(as: TestAs, meta: Record<string, unknown> = {}): Promise<Rp> {
  const c = await as.registerClient({
    redirect_uris: [CALLBACK],
    post_logout_redirect_uris: [POST_LOGOUT],
    claims_redirect_uri: [`${GG}/claims_callback`],
    scope: 'openid oxd uma_protection',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: 'gg-openid-connect-client',
    ...meta,
  });
  return { id: c.id, secret: c.secret };
}

/** The AS as GG's tests see it: at a public URL of its own. */
export const AS_PUBLIC_URL = 'https://as.example.org';

/**
 * A describe block's AS (started with `options`) and GG's OP client on it,
 * made before its tests and closed after them; `set` hands both to the
 * block's variables.
 */
export function withAsAndRp(set: (s: { as: TestAs; rp: Rp }) => void, options: AsOptions): void {
  let as: TestAs | undefined;
  before(async () => {
    as = await startAs(options);
    set({ as, rp: await registerRp(as) });
  });
  after(() => as?.close());
}

/** What oxd's get-authorization-url builds (oidc-uma.md §2 F1). */
export function authorizeUrl(rp: Rp, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ response_type: 'code', client_id: rp.id, redirect_uri: CALLBACK, scope: GG_SCOPE, state: 'S_A', nonce: 'N1', max_age: '3600', ...extra });
  return `/oxauth/restv1/authorize?${p.toString()}`;
}

/** A browser's cookie jar: Set-Cookie in, Cookie out; Max-Age=0 deletes. */
export class Browser {
  readonly jar = new Map<string, string>();

  constructor(readonly as: TestAs) {}

  cookieHeader(): Record<string, string> {
    return this.jar.size === 0 ? {} : { Cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(r: Res): Res {
    for (const c of r.cookies()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1));
    }
    return r;
  }

  async get(pathOrUrl: string): Promise<Res> {
    return this.keep(await this.as.call('GET', pathOrUrl, { headers: this.cookieHeader() }));
  }

  async post(path: string, form: Record<string, string>): Promise<Res> {
    return this.keep(await this.as.call('POST', path, { headers: this.cookieHeader(), form }));
  }

  /** The login form as the page posts it. */
  login(username: string, password: string): Promise<Res> {
    return this.post('/oxauth/login.htm', {
      loginForm: 'loginForm',
      'loginForm:username': username,
      'loginForm:password': password,
      'loginForm:platform': '',
      'loginForm:loginButton': '    Login',
      'javax.faces.ViewState': 'stateless',
    });
  }

  /** A consent button as mojarra.jsfcljs submits it. */
  consent(button: 'allowButton' | 'doNotAllowButton'): Promise<Res> {
    return this.post('/oxauth/authorize.htm', {
      authorizeForm: 'authorizeForm',
      'authorizeForm:session_id': '',
      'javax.faces.ViewState': 'stateless',
      [`authorizeForm:${button}`]: `authorizeForm:${button}`,
    });
  }

  /** authorize → login page → login → consent → Allow → authorize: the callback URL. */
  async fullLogin(rp: Rp, username: string, password: string, extra: Record<string, string> = {}): Promise<URL> {
    const first = await this.get(authorizeUrl(rp, extra));
    await this.get(location(first));
    const loggedIn = await this.login(username, password);
    const page = await this.get(location(loggedIn));
    const granted = page.status === 302 ? page : await this.consent('allowButton');
    const last = await this.get(location(granted));
    return new URL(location(last));
  }
}

export function location(r: Res): string {
  const l = r.headers.location;
  if (typeof l !== 'string') throw new Error(`no Location (status ${r.status}): ${r.text.slice(0, 200)}`);
  return l;
}

/** oxd get-tokens-by-code's token request (client_secret_basic). */
export function exchangeCode(as: TestAs, rp: Rp, code: string, extra: Record<string, string> = {}): Promise<Res> {
  return as.call('POST', '/oxauth/restv1/token', {
    headers: { Authorization: basic(rp.id, rp.secret) },
    form: { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra },
  });
}

/** The test user of the AS settings. */
export function testUser(as: TestAs): { username: string; password: string } {
  const u = as.settings.users[0];
  return { username: u.username, password: u.password };
}
