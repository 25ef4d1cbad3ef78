// Every refusal of the OIDC side with its exact status, headers and body:
// the authorization endpoint (JSON before the redirect_uri is trusted,
// error redirects after), prompt/max_age handling, Don't Allow, the code and
// refresh grants, userinfo and end_session.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basic, type TestAs } from './harness';
import { Browser, CALLBACK, POST_LOGOUT, authorizeUrl, exchangeCode, location, registerRp, testUser, withAsAndRp, AS_PUBLIC_URL, type Rp } from './oidc-helpers';
import { javaHashOrder } from '../../../sandbox/oxauth/java-json';

const DESC = {
  unauthorized_client: 'The client is not authorized to request an access token using this method.',
  invalid_request_redirect_uri: "The redirect_uri in the Authorization Request does not match any of the Client's pre-registered redirect_uris.",
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter or parameter value, or is otherwise malformed.',
  access_denied: 'The resource owner or authorization server denied the request.',
  invalid_grant: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_token: 'The access token provided is expired, revoked, malformed, or invalid for other reasons. Try to request a new access token and retry the protected resource.',
  invalid_grant_and_session: 'The provided id token (or access token) or session state are invalid or were issued to another client.',
  post_logout_uri_not_associated_with_client: 'The provided post logout uri is not associated with client.',
};

/** org.json toString(4) of an object with these members, in HashMap order. */
function org4(o: Record<string, string>): string {
  const keys = javaHashOrder(Object.keys(o));
  return '{\n' + keys.map((k) => `    "${k}": ${JSON.stringify(o[k])}`).join(',\n') + '\n}';
}

/** oxAuth's JSON error body of the token, userinfo and end_session endpoints: error_description first, 4-space indent. */
const errBody = (error: keyof typeof DESC) => `{\n    "error_description": "${DESC[error]}",\n    "error": "${error}"\n}`;

const login = (b: Browser, as: TestAs, rp: Rp, extra: Record<string, string> = {}) => b.fullLogin(rp, testUser(as).username, testUser(as).password, extra);

describe('authorization endpoint refusals', () => {
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { publicUrl: AS_PUBLIC_URL });

  it('blank client_id → 400 JSON unauthorized_client with reason and state', async () => {
    const r = await as.call('GET', '/oxauth/restv1/authorize?response_type=code&state=S1');
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.text, org4({ error: 'unauthorized_client', error_description: DESC.unauthorized_client, reason: 'client_id is empty or blank.', state: 'S1' }));
  });

  it('unknown client → 401 JSON unauthorized_client "Unable to find client."', async () => {
    const r = await as.call('GET', `/oxauth/restv1/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(CALLBACK)}&state=S1`);
    assert.equal(r.status, 401);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.text, org4({ error: 'unauthorized_client', error_description: DESC.unauthorized_client, reason: 'Unable to find client.', state: 'S1' }));
  });

  it('disabled client → 401 JSON disabled_client', async () => {
    const c = await registerRp(as);
    const rec = as.store.client(c.id);
    assert.ok(rec);
    rec.disabled = true;
    const r = await as.call('GET', authorizeUrl(c));
    assert.equal(r.status, 401);
    assert.equal(JSON.parse(r.text).error, 'disabled_client');
    assert.equal(JSON.parse(r.text).reason, 'Client is disabled.');
  });

  it('a redirect_uri the client did not register → 400 invalid_request_redirect_uri, never a redirect', async () => {
    const r = await as.call('GET', authorizeUrl(rp, { redirect_uri: 'https://evil.example/cb' }));
    assert.equal(r.status, 400);
    assert.equal(r.headers.location, undefined);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.text, org4({ error: 'invalid_request_redirect_uri', error_description: DESC.invalid_request_redirect_uri, state: 'S_A' }));
  });

  it('no response_type → 302 to the redirect_uri with invalid_request, error_description and state', async () => {
    const r = await as.call('GET', `/oxauth/restv1/authorize?client_id=${rp.id}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid&state=S1`);
    assert.equal(r.status, 302);
    const url = new URL(location(r));
    assert.equal(url.origin + url.pathname, CALLBACK);
    assert.deepEqual([...url.searchParams.keys()], javaHashOrder(['error', 'error_description', 'state']));
    assert.equal(url.searchParams.get('error'), 'invalid_request');
    assert.equal(url.searchParams.get('error_description'), DESC.invalid_request);
    assert.equal(url.searchParams.get('state'), 'S1');
  });

  it('a response_type the client did not register → 400 JSON unsupported_response_type', async () => {
    const r = await as.call('GET', authorizeUrl(rp, { response_type: 'token' }));
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.text).error, 'unsupported_response_type');
    assert.equal(JSON.parse(r.text).state, 'S_A');
  });

  it('prompt=none without an OP session → login_required redirect with state', async () => {
    const r = await as.call('GET', authorizeUrl(rp, { prompt: 'none' }));
    assert.equal(r.status, 302);
    const url = new URL(location(r));
    assert.equal(url.origin + url.pathname, CALLBACK);
    assert.equal(url.searchParams.get('error'), 'login_required');
    assert.match(url.searchParams.get('error_description') ?? '', /^The Authorization Server requires End-User authentication\./);
    assert.equal(url.searchParams.get('state'), 'S_A');
    assert.equal(url.searchParams.get('code'), null);
  });

  it('prompt=none with a session → a code without any page', async () => {
    const b = new Browser(as);
    await login(b, as, rp);
    const r = await b.get(authorizeUrl(rp, { prompt: 'none', state: 'S9' }));
    const url = new URL(location(r));
    assert.equal(url.origin + url.pathname, CALLBACK);
    assert.ok(url.searchParams.get('code'));
    assert.equal(url.searchParams.get('state'), 'S9');
  });

  it('prompt=login with a session → the login page again (session unauthenticated)', async () => {
    const b = new Browser(as);
    await login(b, as, rp);
    const r = await b.get(authorizeUrl(rp, { prompt: 'login' }));
    const url = new URL(location(r));
    assert.equal(url.pathname, '/oxauth/authorize.htm');
    assert.equal(url.searchParams.get('prompt'), null);
    const page = await b.get(location(r));
    assert.match(page.text, /<title>oxAuth - Login<\/title>/);
  });

  it("Don't Allow → 302 to the redirect_uri with access_denied and the state", async () => {
    const b = new Browser(as);
    const fresh = await registerRp(as);
    await b.get(location(await b.get(authorizeUrl(fresh, { state: 'SD' }))));
    const page = await b.get(location(await b.login(testUser(as).username, testUser(as).password)));
    assert.equal(page.status, 200);
    const r = await b.consent('doNotAllowButton');
    assert.equal(r.status, 302);
    const url = new URL(location(r));
    assert.equal(url.origin + url.pathname, CALLBACK);
    assert.equal(url.searchParams.get('error'), 'access_denied');
    assert.equal(url.searchParams.get('error_description'), DESC.access_denied);
    assert.equal(url.searchParams.get('state'), 'SD');
    // Nothing was stored: the next request shows the consent page again.
    const again = await b.get(authorizeUrl(fresh));
    assert.match(location(again), /\/oxauth\/authorize\.htm\?/);
  });

  it('a trusted client gets its code without the consent page', async () => {
    const trusted = await registerRp(as);
    const rec = as.store.client(trusted.id);
    assert.ok(rec);
    rec.trusted = true;
    const b = new Browser(as);
    await b.get(location(await b.get(authorizeUrl(trusted))));
    const toPage = await b.login(testUser(as).username, testUser(as).password);
    const granted = await b.get(location(toPage));
    assert.equal(granted.status, 302);
    const cb = await b.get(location(granted));
    assert.equal(new URL(location(cb)).origin + new URL(location(cb)).pathname, CALLBACK);
  });
});

describe('max_age and lifetimes (clock)', () => {
  let now = Date.now();
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { publicUrl: AS_PUBLIC_URL, clock: () => now });

  it('max_age passed since the login → the session is unauthenticated and the login page shows again', async () => {
    const b = new Browser(as);
    await login(b, as, rp, { max_age: '60' });
    now += 61_000;
    const r = await b.get(authorizeUrl(rp, { max_age: '60', prompt: 'none' }));
    const url = new URL(location(r));
    assert.equal(url.pathname, '/oxauth/authorize.htm');
    assert.equal(url.searchParams.get('prompt'), 'none');
    const page = await b.get(location(r));
    assert.match(page.text, /<title>oxAuth - Login<\/title>/);
  });

  it('a code older than authorizationCodeLifetime (60 s) → 400 invalid_grant', async () => {
    const cb = await login(new Browser(as), as, rp);
    now += 61_000;
    const r = await exchangeCode(as, rp, cb.searchParams.get('code') as string);
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'invalid_grant');
  });
});

describe('token endpoint: code and refresh grants', () => {
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { publicUrl: AS_PUBLIC_URL });

  it('a used code → 400 invalid_grant, and the tokens made from it are revoked', async () => {
    const cb = await login(new Browser(as), as, rp);
    const code = cb.searchParams.get('code') as string;
    const first = await exchangeCode(as, rp, code);
    assert.equal(first.status, 200);
    const replay = await exchangeCode(as, rp, code);
    assert.equal(replay.status, 400);
    assert.equal(replay.headers['content-type'], 'application/json');
    assert.equal(replay.headers['cache-control'], 'no-store');
    assert.equal(replay.text, errBody('invalid_grant'));
    const ui = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: `Bearer ${first.json().access_token}` } });
    assert.equal(ui.status, 401);
  });

  it('an unknown code → 400 invalid_grant', async () => {
    const r = await exchangeCode(as, rp, 'no-such-code');
    assert.equal(r.status, 400);
    assert.equal(r.text, errBody('invalid_grant'));
  });

  it("another client's code → 400 invalid_grant (Client mismatch) and the code is gone", async () => {
    const other = await registerRp(as);
    const cb = await login(new Browser(as), as, rp);
    const code = cb.searchParams.get('code') as string;
    const r = await exchangeCode(as, other, code);
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'invalid_grant');
  });

  it('redirect_uri is required but not compared with the authorization request (4.2.3 has no check)', async () => {
    const cb = await login(new Browser(as), as, rp);
    const missing = await exchangeCode(as, rp, cb.searchParams.get('code') as string, { redirect_uri: '' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json().error, 'invalid_request');
    const other = await exchangeCode(as, rp, cb.searchParams.get('code') as string, { redirect_uri: 'https://elsewhere.example/cb' });
    assert.equal(other.status, 200);
  });

  it('client_secret_post works for a client registered with it; a basic client posting its secret gets 401', async () => {
    const post = await registerRp(as, { token_endpoint_auth_method: 'client_secret_post' });
    const cb = await login(new Browser(as), as, post);
    const form = { grant_type: 'authorization_code', code: cb.searchParams.get('code') as string, redirect_uri: CALLBACK, client_id: post.id, client_secret: post.secret };
    const ok = await as.call('POST', '/oxauth/restv1/token', { form });
    assert.equal(ok.status, 200, ok.text);
    const cb2 = await login(new Browser(as), as, rp);
    const bad = await as.call('POST', '/oxauth/restv1/token', { form: { ...form, code: cb2.searchParams.get('code') as string, client_id: rp.id, client_secret: rp.secret } });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers['www-authenticate'], 'Basic realm="oxAuth"');
  });

  it('offline_access in the token request → a refresh_token; refresh → new tokens, old refresh token dead', async () => {
    const cb = await login(new Browser(as), as, rp);
    const t = await exchangeCode(as, rp, cb.searchParams.get('code') as string, { scope: 'openid offline_access' });
    assert.equal(t.status, 200);
    const body = t.json();
    assert.match(body.refresh_token, /^[0-9a-f-]{36}$/);
    assert.equal(body.scope, 'openid');
    const refresh = (rt: string) => as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(rp.id, rp.secret) }, form: { grant_type: 'refresh_token', refresh_token: rt } });
    const r = await refresh(body.refresh_token);
    assert.equal(r.status, 200, r.text);
    const next = r.json();
    assert.deepEqual(Object.keys(next).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.notEqual(next.refresh_token, body.refresh_token);
    const ui = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: `Bearer ${next.access_token}` } });
    assert.equal(ui.status, 200);
    const old = await refresh(body.refresh_token);
    assert.equal(old.status, 400);
    assert.equal(old.json().error, 'invalid_grant');
  });
});

describe('userinfo and end_session refusals', () => {
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { publicUrl: AS_PUBLIC_URL });

  it('userinfo without a token → 400 invalid_request; unknown token → 401 invalid_token without WWW-Authenticate', async () => {
    const none = await as.call('GET', '/oxauth/restv1/userinfo');
    assert.equal(none.status, 400);
    assert.equal(none.json().error, 'invalid_request');
    const r = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: 'Bearer nope' } });
    assert.equal(r.status, 401);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'private, no-store');
    assert.equal(r.headers['www-authenticate'], undefined);
    assert.equal(r.text, errBody('invalid_token'));
  });

  it('userinfo with a client-credentials token → 403 insufficient_scope', async () => {
    const at = await as.clientToken(rp, 'openid');
    const r = await as.call('GET', '/oxauth/restv1/userinfo', { headers: { Authorization: `Bearer ${at}` } });
    assert.equal(r.status, 403);
    assert.equal(r.json().error, 'insufficient_scope');
  });

  it('end_session with an unknown id_token_hint → 400 invalid_grant_and_session', async () => {
    const b = new Browser(as);
    await login(b, as, rp);
    const r = await b.get(`/oxauth/restv1/end_session?id_token_hint=abc.def.ghi&post_logout_redirect_uri=${encodeURIComponent(POST_LOGOUT)}`);
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.text, errBody('invalid_grant_and_session'));
  });

  it('end_session without a session (no cookie, no sid) → 400 invalid_grant_and_session', async () => {
    const r = await as.call('GET', `/oxauth/restv1/end_session?post_logout_redirect_uri=${encodeURIComponent(POST_LOGOUT)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'invalid_grant_and_session');
  });

  it('end_session with a post_logout_redirect_uri the client did not register → 400, session kept', async () => {
    const b = new Browser(as);
    const cb = await login(b, as, rp);
    const t = (await exchangeCode(as, rp, cb.searchParams.get('code') as string)).json();
    const r = await b.get(`/oxauth/restv1/end_session?id_token_hint=${t.id_token}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    assert.equal(r.status, 400);
    assert.equal(r.headers.location, undefined);
    assert.equal(r.text, errBody('post_logout_uri_not_associated_with_client'));
    const still = await b.get(authorizeUrl(rp));
    assert.equal(new URL(location(still)).origin + new URL(location(still)).pathname, CALLBACK);
  });

  it('end_session by sid without the cookie (oxd 4.2.0/4.2.1 send no id_token_hint) → 302', async () => {
    const b = new Browser(as);
    const cb = await login(b, as, rp);
    const r = await as.call('GET', `/oxauth/restv1/end_session?sid=${cb.searchParams.get('sid')}&post_logout_redirect_uri=${encodeURIComponent(POST_LOGOUT)}`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, POST_LOGOUT);
    const again = await b.get(authorizeUrl(rp));
    assert.match(location(again), /\/oxauth\/authorize\.htm\?/);
  });

  it('end_session without post_logout_redirect_uri → 200 "Your logout was successful" page', async () => {
    const b = new Browser(as);
    await login(b, as, rp);
    const r = await b.get('/oxauth/restv1/end_session');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html');
    assert.match(r.text, /<title>Your logout was successful<\/title>/);
  });
});
