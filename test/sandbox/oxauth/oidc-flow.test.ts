// The OpenID Connect login of tutorial 2 over HTTP, request by request
// (oidc-uma.md §2 F2–F5, §3.6 step 8): authorize → login page → login →
// consent → Allow → code → token (id_token verified with jose against the
// published JWKS) → userinfo → end_session.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Res, TestAs } from './harness';
import { Browser, CALLBACK, GG_SCOPE, POST_LOGOUT, authorizeUrl, exchangeCode, location, registerRp, testUser, withAsAndRp, AS_PUBLIC_URL, type Rp } from './oidc-helpers';
import { javaHashOrder } from '../../../sandbox/oxauth/java-json';

const COOKIE_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function cookieNamed(r: Res, name: string): string {
  const c = r.cookies().find((x) => x.startsWith(`${name}=`));
  assert.ok(c, `no ${name} cookie in ${JSON.stringify(r.cookies())}`);
  return c;
}

/** `name=value; attrs…; Expires=<date>;` as CookieService writes it. */
function assertOxCookie(cookie: string, name: string, attrs: string): string {
  const m = new RegExp(`^${name}=([^;]*); ${attrs.replace(/;/g, ';')}; Expires=([^;]+);$`).exec(cookie);
  assert.ok(m, `unexpected ${name} cookie: ${cookie}`);
  assert.match(m[2], COOKIE_DATE);
  return m[1];
}

const halfHash = (v: string) => crypto.createHash('sha256').update(v).digest().subarray(0, 16).toString('base64url');

describe('OIDC login, consent, code, token, userinfo, end_session', () => {
  let as: TestAs;
  let rp: Rp;
  const browser = () => new Browser(as);
  withAsAndRp((s) => ({ as, rp } = s), { publicUrl: AS_PUBLIC_URL });

  it('F2: no OP session → 302 to {AS}/oxauth/authorize.htm with the request parameters, no cookie', async () => {
    const r = await browser().get(authorizeUrl(rp));
    assert.equal(r.status, 302);
    assert.equal(r.text, '');
    assert.deepEqual(r.cookies(), []);
    const url = new URL(location(r));
    assert.equal(url.origin + url.pathname, 'https://as.example.org/oxauth/authorize.htm');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: 'code', scope: GG_SCOPE, client_id: rp.id, redirect_uri: CALLBACK, state: 'S_A', nonce: 'N1', max_age: '3600',
    });
    // RedirectUri: HashMap order, URLEncoder values.
    assert.deepEqual([...url.searchParams.keys()], javaHashOrder(['response_type', 'scope', 'client_id', 'redirect_uri', 'state', 'nonce', 'max_age']));
    assert.match(location(r), /scope=openid\+oxd\+email\+profile\+uma_protection/);
    assert.match(location(r), /redirect_uri=https%3A%2F%2Fgg\.example\.org%2Fcallback/);
  });

  it('F2: authorize.htm renders login.xhtml in place with the OP session cookies and rp_origin_id', async () => {
    const b = browser();
    const page = await b.get(location(await b.get(authorizeUrl(rp))));
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html;charset=UTF-8');
    assert.match(page.text, /<title>oxAuth - Login<\/title>/);
    assert.match(page.text, /<form id="loginForm" name="loginForm" method="post" action="\/oxauth\/login\.htm" enctype="application\/x-www-form-urlencoded"/);
    assert.match(page.text, /<input type="hidden" name="loginForm" value="loginForm" \/>/);
    assert.match(page.text, /<input id="loginForm:username" type="text" name="loginForm:username" value="" autocomplete="off"/);
    assert.match(page.text, /<input id="loginForm:password" type="password" name="loginForm:password" value=""/);
    assert.match(page.text, /<input type="checkbox" value="rememberme" id="rememberme" name="rememberme" \/>/);
    assert.match(page.text, /<input id="loginForm:loginButton" type="submit" name="loginForm:loginButton" value=" {4}Login"/);
    assert.match(page.text, /<input id="loginForm:platform" type="hidden" name="loginForm:platform" \/>/);
    assert.match(page.text, /name="javax\.faces\.ViewState" id="j_id1:javax\.faces\.ViewState:0" value="stateless"/);
    assert.match(page.text, /href="\/oxauth\/stylesheet\/style\.css"/);
    const names = page.cookies().map((c) => c.split('=')[0]);
    assert.deepEqual(names, ['session_id', 'session_state', 'opbs', 'rp_origin_id']);
    assert.match(assertOxCookie(cookieNamed(page, 'session_id'), 'session_id', 'Path=/; Secure; HttpOnly'), UUID);
    assert.match(assertOxCookie(cookieNamed(page, 'session_state'), 'session_state', 'Path=/; Secure'), /^[0-9a-f]{64}\.[0-9a-f-]{36}$/);
    assert.match(assertOxCookie(cookieNamed(page, 'opbs'), 'opbs', 'Path=/; Secure'), UUID);
    assert.equal(assertOxCookie(cookieNamed(page, 'rp_origin_id'), 'rp_origin_id', 'Path=/oxauth; Secure; HttpOnly'), CALLBACK);
  });

  it('the stylesheets the pages link are served; unknown ones are 404', async () => {
    const css = await as.call('GET', '/oxauth/stylesheet/style.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers['content-type'], 'text/css');
    assert.match(css.text, /\.form-control/);
    assert.equal((await as.call('GET', '/oxauth/stylesheet/nope.css')).status, 404);
    const jsf = await as.call('GET', '/oxauth/javax.faces.resource/jsf.js.htm?ln=javax.faces');
    assert.equal(jsf.status, 200);
    assert.match(jsf.text, /mojarra\.jsfcljs = function/);
  });

  it('F3: a wrong password re-renders the login page without a message (4.2.3 internal authentication)', async () => {
    const b = browser();
    await b.get(location(await b.get(authorizeUrl(rp))));
    const before = b.jar.get('session_id');
    const r = await b.login(testUser(as).username, 'wrong');
    assert.equal(r.status, 200);
    assert.match(r.text, /<title>oxAuth - Login<\/title>/);
    assert.doesNotMatch(r.text, /<li /);
    assert.match(r.text, /name="loginForm:username" value="test_user"/);
    assert.match(r.text, /name="loginForm:password" value=""/);
    assert.deepEqual(r.cookies(), []);
    assert.equal(b.jar.get('session_id'), before);
    const unknown = await b.login('nobody', 'x');
    assert.equal(unknown.status, 200);
    assert.doesNotMatch(unknown.text, /<li /);
  });

  it('F3: an empty username fails the required check with Mojarra\'s message', async () => {
    const b = browser();
    await b.get(location(await b.get(authorizeUrl(rp))));
    const r = await b.login('', 'x');
    assert.equal(r.status, 200);
    assert.match(r.text, /<li class="text-center">loginForm:username: Validation Error: Value is required\.<\/li>/);
  });

  it('F3: the login form without a session → the expired-session message', async () => {
    const r = await browser().login('test_user', 'x');
    assert.equal(r.status, 200);
    assert.match(r.text, /Failed to authenticate\. Authentication session has expired\./);
  });

  it('F3–F5: login → new session id → consent → Allow → code with session_id, sid, session_state, state, scope', async () => {
    const b = browser();
    await b.get(location(await b.get(authorizeUrl(rp))));
    const unauthenticated = b.jar.get('session_id');
    const u = testUser(as);
    const loggedIn = await b.login(u.username, u.password);
    assert.equal(loggedIn.status, 302);
    assert.deepEqual(loggedIn.cookies().map((c) => c.split('=')[0]), ['current_sessions', 'session_id', 'session_state', 'opbs']);
    const sessionId = assertOxCookie(cookieNamed(loggedIn, 'session_id'), 'session_id', 'Path=/; Secure; HttpOnly');
    assert.notEqual(sessionId, unauthenticated, 'changeSessionIdOnAuthentication');
    assert.equal(assertOxCookie(cookieNamed(loggedIn, 'current_sessions'), 'current_sessions', 'Path=/; Secure; HttpOnly'), `["${sessionId}"]`);
    const toPage = new URL(location(loggedIn));
    assert.equal(toPage.origin + toPage.pathname, 'https://as.example.org/oxauth/authorize.htm');
    const sid = toPage.searchParams.get('sid');
    assert.match(sid ?? '', UUID);
    assert.equal(toPage.searchParams.get('client_id'), rp.id);
    assert.equal(toPage.searchParams.get('nonce'), 'N1');

    const consent = await b.get(location(loggedIn));
    assert.equal(consent.status, 200);
    assert.match(consent.text, /<title>oxAuth<\/title>/);
    assert.match(consent.text, /<form id="authorizeForm" name="authorizeForm" method="post" action="\/oxauth\/authorize\.htm"/);
    assert.match(consent.text, /<input id="authorizeForm:session_id" type="hidden" name="authorizeForm:session_id" value="" \/>/);
    assert.match(consent.text, /<a id="authorizeForm:allowButton" href="#" class="button button-primary" onclick="mojarra\.jsfcljs\(document\.getElementById\('authorizeForm'\),\{'authorizeForm:allowButton':'authorizeForm:allowButton'\},''\);return false">Allow<\/a>/);
    assert.match(consent.text, /<a id="authorizeForm:doNotAllowButton" [^>]*>Don't Allow<\/a>/);
    assert.match(consent.text, /gg-openid-connect-client is requesting permission to do the following:/);
    assert.match(consent.text, /Authenticate using OpenID Connect\./);

    const allowed = await b.consent('allowButton');
    assert.equal(allowed.status, 302);
    const back = new URL(location(allowed));
    assert.equal(back.origin + back.pathname, 'https://as.example.org/oxauth/restv1/authorize');
    assert.equal(back.searchParams.get('redirect_uri'), CALLBACK);
    assert.equal(back.searchParams.get('state'), 'S_A');

    const cb = await b.get(location(allowed));
    assert.equal(cb.status, 302);
    const callback = new URL(location(cb));
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    const keys = [...callback.searchParams.keys()];
    assert.deepEqual(keys, javaHashOrder(['code', 'session_id', 'sid', 'session_state', 'state', 'scope']));
    assert.match(callback.searchParams.get('code') ?? '', UUID);
    assert.equal(callback.searchParams.get('session_id'), sessionId);
    assert.equal(callback.searchParams.get('sid'), sid);
    assert.equal(callback.searchParams.get('session_state'), b.jar.get('session_state'));
    assert.equal(callback.searchParams.get('state'), 'S_A');
    // DCR granted only default scopes: email and profile are dropped (registration.ts).
    assert.deepEqual(callback.searchParams.get('scope')?.split(' ').sort(), ['openid', 'oxd', 'uma_protection']);
  });

  it('a second authorization in the same browser needs neither login nor consent (stored consent)', async () => {
    const b = browser();
    const u = testUser(as);
    await b.fullLogin(rp, u.username, u.password);
    const again = await b.get(authorizeUrl(rp, { state: 'S2', nonce: 'N2' }));
    assert.equal(again.status, 302);
    const cb = new URL(location(again));
    assert.equal(cb.origin + cb.pathname, CALLBACK);
    assert.equal(cb.searchParams.get('state'), 'S2');
    // A new browser of the same user: login again, but the stored consent skips the page.
    const other = browser();
    await other.get(location(await other.get(authorizeUrl(rp))));
    const loggedIn = await other.login(u.username, u.password);
    const page = await other.get(location(loggedIn));
    assert.equal(page.status, 302);
    assert.match(location(page), /\/oxauth\/restv1\/authorize\?/);
  });

  it('F5 token: code → access_token, bearer, expires_in, id_token (RS256, verified against the JWKS), no refresh_token', async () => {
    const b = browser();
    const u = testUser(as);
    const callback = await b.fullLogin(rp, u.username, u.password);
    const code = callback.searchParams.get('code') as string;
    const r = await exchangeCode(as, rp, code);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers.pragma, 'no-cache');
    const body = r.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'token_type']);
    assert.match(body.access_token, UUID);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 299);

    const jwks = (await as.call('GET', '/oxauth/restv1/jwks')).json() as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(body.id_token, createLocalJWKSet(jwks), { issuer: 'https://as.example.org', audience: rp.id });
    assert.deepEqual(protectedHeader, { kid: as.keys.kid, typ: 'JWT', alg: 'RS256' });
    assert.deepEqual(decodeProtectedHeader(body.id_token).kid, jwks.keys[0].kid);
    assert.deepEqual(Object.keys(payload).sort(), ['at_hash', 'aud', 'auth_time', 'c_hash', 'code', 'exp', 'grant', 'iat', 'iss', 'nonce', 'oxOpenIDConnectVersion', 'sid', 'sub'].sort());
    assert.equal(payload.exp, (payload.iat as number) + 3600);
    assert.equal(payload.nonce, 'N1');
    assert.equal(payload.sid, callback.searchParams.get('sid'));
    assert.equal(payload.c_hash, halfHash(code));
    assert.equal(payload.at_hash, halfHash(body.access_token));
    assert.equal(payload.grant, 'authorization_code');
    assert.equal(payload.oxOpenIDConnectVersion, 'openidconnect-1.0');
    assert.match(payload.code as string, UUID);
    assert.ok(Math.abs((payload.auth_time as number) - Math.floor(Date.now() / 1000)) < 30);
    assert.match(payload.sub as string, /^[A-Za-z0-9_-]{43}$/);

    // userinfo with the access token: the DCR client has only openid → sub alone.
    const ui = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: `Bearer ${body.access_token}` } });
    assert.equal(ui.status, 200, ui.text);
    assert.equal(ui.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(ui.headers['cache-control'], 'private, no-store');
    assert.equal(ui.headers.pragma, 'no-cache');
    assert.deepEqual(ui.json(), { sub: payload.sub });
  });

  it('acr_values: echoed on the callback; the id_token carries acr and an empty amr (no script of that name)', async () => {
    const u = testUser(as);
    const cb = await new Browser(as).fullLogin(rp, u.username, u.password, { acr_values: 'otp' });
    assert.equal(cb.searchParams.get('acr_values'), 'otp');
    assert.deepEqual([...cb.searchParams.keys()], javaHashOrder(['code', 'acr_values', 'session_id', 'sid', 'session_state', 'state', 'scope']));
    const t = (await exchangeCode(as, rp, cb.searchParams.get('code') as string)).json();
    const claims = JSON.parse(Buffer.from(t.id_token.split('.')[1], 'base64url').toString('utf8'));
    assert.equal(claims.acr, 'otp');
    assert.deepEqual(claims.amr, []);
  });

  it('GET login.htm without a login session → the expired-session message', async () => {
    const r = await as.call('GET', '/oxauth/login.htm');
    assert.equal(r.status, 200);
    assert.match(r.text, /Failed to authenticate\. Authentication session has expired\./);
  });

  it('sub is pairwise: stable for the user and sector, different for another sector', async () => {
    const u = testUser(as);
    const subOf = async (client: Rp, redirect = CALLBACK) => {
      const cb = await new Browser(as).fullLogin(client, u.username, u.password, { redirect_uri: redirect });
      const t = await exchangeCode(as, client, cb.searchParams.get('code') as string, { redirect_uri: redirect });
      return JSON.parse(Buffer.from(t.json().id_token.split('.')[1], 'base64url').toString()).sub as string;
    };
    const first = await subOf(rp);
    assert.equal(await subOf(rp), first);
    const other = await registerRp(as, { redirect_uris: ['https://other.example.net/cb'] });
    assert.notEqual(await subOf(other, 'https://other.example.net/cb'), first);
  });

  it('userinfo releases profile and email claims when the client has those scopes', async () => {
    const rich = await registerRp(as);
    const record = as.store.client(rich.id);
    assert.ok(record);
    record.scopes.push('profile', 'email'); // what an admin adds in oxTrust
    const u = testUser(as);
    const cb = await new Browser(as).fullLogin(rich, u.username, u.password);
    assert.deepEqual(cb.searchParams.get('scope')?.split(' ').sort(), ['email', 'openid', 'oxd', 'profile', 'uma_protection']);
    const t = (await exchangeCode(as, rich, cb.searchParams.get('code') as string)).json();
    const ui = await as.call('POST', '/oxauth/restv1/userinfo', { form: { access_token: t.access_token } });
    assert.equal(ui.status, 200);
    const claims = ui.json();
    assert.deepEqual(Object.keys(claims).sort(), ['email', 'email_verified', 'family_name', 'given_name', 'name', 'preferred_username', 'sub']);
    assert.equal(claims.name, 'Test User');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.email, 'test_user@example.org');
  });

  it('end_session: 302 to the post_logout_redirect_uri as given (no state), session cookies deleted, tokens revoked', async () => {
    const b = browser();
    const u = testUser(as);
    const cb = await b.fullLogin(rp, u.username, u.password);
    const t = (await exchangeCode(as, rp, cb.searchParams.get('code') as string)).json();
    const q = new URLSearchParams({ post_logout_redirect_uri: POST_LOGOUT, state: 'LS', id_token_hint: t.id_token });
    const r = await b.get(`/oxauth/restv1/end_session?${q}`);
    assert.equal(r.status, 302, r.text);
    assert.equal(r.headers.location, POST_LOGOUT);
    assert.deepEqual(r.cookies(), [
      'consent_session_id=; Path=/; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0',
      'session_id=; Path=/; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0',
      'opbs=; Path=/; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0',
    ]);
    const ui = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(ui.status, 401);
    // The next authorization request needs the login page again.
    const again = await b.get(authorizeUrl(rp));
    assert.match(location(again), /\/oxauth\/authorize\.htm\?/);
  });
});
