// gluu-openid-connect's decisions and answers (oidc-uma.md §3.1–§3.7):
// O1–O13 with exact status, headers and body, the per-request ages, logout,
// restore_original_auth_params, the session cookie as the browser sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeOxd } from '../doubles/fake-oxd';
import { echoed, P_ID, P_OXD, P_SECRET, type Reply } from './harness';
import { login, withOidc, type Clock } from './oidc-bench';

const NGINX_302 = '<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n<center><h1>302 Found</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n';
const OCURRED = { message: 'An unexpected error ocurred' };
type Obj = Record<string, unknown>;

const setCookies = (r: Reply): string[] => [r.headers['set-cookie'] ?? []].flat();
const oidcCookie = (r: Reply) => setCookies(r).find((c) => c.startsWith('gluu_openid_connect_session='));

test('O1: no session → 302 to oxd\'s authorization URL, no-cache, the session cookie; get-authorization-url {oxd_id, scope, params:{max_age}}', async () => {
  await withOidc({}, async (b) => {
    const r = await b.browser.get('/settings/?tab=1');
    assert.equal(r.status, 302);
    assert.deepEqual(b.h.oxd.commands(), ['get-client-token', 'get-authorization-url']);
    assert.deepEqual(b.h.oxd.calls[0].body, { client_id: P_ID, client_secret: P_SECRET, scope: ['openid', 'oxd'], op_host: b.h.oxd.asUri });
    assert.equal(b.h.oxd.calls[0].authorization, undefined);
    assert.deepEqual(b.h.oxd.calls[1].body, { oxd_id: P_OXD, scope: ['openid', 'oxd', 'email', 'profile', 'uma_protection'], params: { max_age: 3600 } });
    assert.match(String(b.h.oxd.calls[1].authorization), /^Bearer /);
    assert.match(String(r.headers.location), /^https:\/\/as\.example\.org\/oxauth\/restv1\/authorize\?response_type=code&.*&state=state0001&nonce=nonce0001&max_age=3600$/);
    assert.equal(r.headers['cache-control'], 'no-cache, no-store, max-age=0');
    assert.equal(r.headers['content-type'], 'text/html');
    assert.equal(r.text, NGINX_302);
    // plain http: no Secure
    assert.match(String(oidcCookie(r)), /^gluu_openid_connect_session=[A-Za-z0-9_-]+\|\d+\|[A-Za-z0-9_-]+\|[A-Za-z0-9_-]+; Path=\/; SameSite=Lax; HttpOnly$/);
    assert.equal(setCookies(r).length, 1);
  });
});

test('O1 also for POST and XHR requests: there is no 401 mode', async () => {
  await withOidc({}, async (b) => {
    const post = await b.browser.send('POST', '/api', { headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' }, body: '{}' });
    assert.equal(post.status, 302);
    assert.match(String(post.headers.location), /authorize\?response_type=code/);
  });
});

test('O7: callback → get-tokens-by-code {oxd_id, code, state}, get-user-info {oxd_id, access_token}, 302 to the original URL (query kept, absolute), no Cache-Control', async () => {
  await withOidc({}, async (b) => {
    await b.browser.get('/settings/?tab=1');
    b.h.oxd.clearCalls();
    const r = await b.browser.get('/callback?code=C1&state=state0001&session_id=s&sid=x&session_state=y&scope=openid');
    assert.equal(r.status, 302);
    assert.deepEqual(b.h.oxd.commands(), ['get-tokens-by-code', 'get-user-info']);
    assert.deepEqual(b.h.oxd.calls[0].body, { oxd_id: P_OXD, code: 'C1', state: 'state0001' });
    assert.deepEqual(b.h.oxd.calls[1].body, { oxd_id: P_OXD, access_token: 'AT-1' });
    assert.equal(r.headers.location, `${b.base}/settings/?tab=1`);
    assert.equal(r.headers['cache-control'], undefined);
    assert.ok(oidcCookie(r));
    const page = await b.browser.get('/settings/?tab=1');
    assert.equal(page.status, 200);
    assert.equal(echoed(page).path, '/settings/');
    assert.deepEqual(b.h.oxd.commands(), ['get-tokens-by-code', 'get-user-info']);
  });
});

test('O2: the callback without a session cookie, or with another User-Agent → 400 without a body', async () => {
  await withOidc({}, async (b) => {
    await b.browser.get('/settings/');
    b.h.oxd.clearCalls();
    const none = await b.browser.get('/callback?code=C1&state=state0001', { noCookies: true });
    assert.equal(none.status, 400);
    assert.equal(none.text, '');
    assert.equal(none.headers['content-length'], '0');
    assert.equal(none.headers['content-type'], undefined);
    const otherUa = await b.browser.get('/callback?code=C1&state=state0001', { headers: { 'User-Agent': 'another browser' } });
    assert.equal(otherUa.status, 400);
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

test('O3: a callback without code or state (any AS error redirect; `error` is never read) → 400 "missed code or state argument(s)"', async () => {
  await withOidc({}, async (b) => {
    await b.browser.get('/settings/');
    b.h.oxd.clearCalls();
    for (const q of ['?error=access_denied&state=state0001', '?code=C1', '?error=login_required&error_description=x']) {
      const r = await b.browser.get(`/callback${q}`);
      assert.equal(r.status, 400, q);
      assert.deepEqual(r.json, { message: 'missed code or state argument(s)' });
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    }
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

test('O4: get-tokens-by-code refused (state not registered), unreachable or not JSON → 502 "ocurred"; get-user-info not called', async () => {
  await withOidc({}, async (b) => {
    await b.browser.get('/settings/');
    const answers = [
      { status: 400, body: { error: 'bad_request', error_description: "'state' is not registered." } },
      { status: 500, body: { error: 'invalid_id_token_bad_signature' } },
      'unreachable' as const,
      { status: 200, raw: 'not json' },
    ];
    for (const a of answers) {
      b.h.oxd.script('get-tokens-by-code', () => a);
      b.h.oxd.clearCalls();
      const r = await b.browser.get('/callback?code=C1&state=state0001');
      assert.equal(r.status, 502, JSON.stringify(a));
      assert.deepEqual(r.json, OCURRED);
      assert.deepEqual(b.h.oxd.commands(), ['get-tokens-by-code']);
    }
  });
});

function claimsAnswer(clock: Clock, claims: Obj) {
  const now = Math.floor(clock.t);
  return { status: 200, body: { access_token: 'AT', expires_in: 299, id_token: 'IDT-x', id_token_claims: { iss: 'i', aud: P_ID, sub: 's', iat: now, exp: now + 3600, auth_time: now, ...claims } } };
}

test('O5, O5b, O5c: expired id_token, too old iat, too old auth_time at the callback → 500 with GG\'s message (strict <)', async () => {
  await withOidc({ oidc: { max_id_token_age: 100, max_id_token_auth_age: 50 } }, async (b) => {
    await b.browser.get('/settings/');
    const now = Math.floor(b.clock.t);
    const cases: Array<[Obj, number, unknown]> = [
      [{ exp: now - 1 }, 500, { message: 'OP returns expired id_token' }],
      [{ iat: now - 101 }, 500, { message: 'OP returns id_token with too old iat' }],
      [{ auth_time: now - 51 }, 500, { message: 'OP returns id_token with too old auth_time' }],
    ];
    for (const [claims, status, body] of cases) {
      b.h.oxd.script('get-tokens-by-code', () => claimsAnswer(b.clock, claims));
      b.h.oxd.clearCalls();
      const r = await b.browser.get('/callback?code=C1&state=state0001');
      assert.equal(r.status, status);
      assert.deepEqual(r.json, body);
      assert.deepEqual(b.h.oxd.commands(), ['get-tokens-by-code']);
    }
    // the limits themselves pass: exp == now, iat + age == now, auth_time + age == now
    b.h.oxd.script('get-tokens-by-code', () => claimsAnswer(b.clock, { exp: now, iat: now - 100, auth_time: now - 50 }));
    assert.equal((await b.browser.get('/callback?code=C1&state=state0001')).status, 302);
  });
});

test('O6: get-user-info non-200 or unreachable → 502 "ocurred"; an AS error body with 200 is stored as userinfo', async () => {
  await withOidc({ oidc: { custom_headers: [{ header_name: 'x-userinfo', value_lua_exp: 'userinfo', format: 'string' }] } }, async (b) => {
    await b.browser.get('/settings/');
    b.h.oxd.script('get-user-info', () => ({ status: 500, body: { error: 'internal_error' } }));
    const r = await b.browser.get('/callback?code=C1&state=state0001');
    assert.equal(r.status, 502);
    assert.deepEqual(r.json, OCURRED);
    b.h.oxd.script('get-user-info', () => 'unreachable');
    assert.equal((await b.browser.get('/callback?code=C1&state=state0001')).status, 502);
    b.h.oxd.script('get-user-info', () => ({ status: 200, body: { error: 'invalid_token' } }));
    assert.equal((await b.browser.get('/callback?code=C1&state=state0001')).status, 302);
    const page = await b.browser.get('/settings/');
    assert.equal(echoed(page).headers['x-userinfo'], '{"error":"invalid_token"}');
  });
});

test('O8: the callback again on a logged-in session (no original_url) → Kong\'s 500', async () => {
  await withOidc({}, async (b) => {
    assert.equal((await login(b)).status, 302);
    const again = await b.browser.get('/callback?code=C2&state=state0002', { headers: { Accept: 'application/json' } });
    assert.equal(again.status, 500);
    assert.equal(again.text, '{\n  "message":"An unexpected error occurred"\n}');
    assert.deepEqual(b.h.oxd.commands().slice(-2), ['get-tokens-by-code', 'get-user-info']);
  });
});

test('O10, O11: get-authorization-url non-200 / without authorization_url, get-client-token refused → 502 "ocurred"; oxd down at get-client-token → 500', async () => {
  await withOidc({}, async (b) => {
    b.h.oxd.script('get-authorization-url', () => ({ status: 400, body: { error: 'invalid_request' } }));
    assert.deepEqual((await b.browser.get('/settings/')).json, OCURRED);
    b.h.oxd.script('get-authorization-url', () => ({ status: 200, body: {} }));
    const r = await b.browser.get('/settings/');
    assert.equal(r.status, 502);
    assert.equal(r.headers['set-cookie'], undefined, 'no session saved');
  });
  await withOidc({}, async (b) => {
    b.h.oxd.script('get-client-token', () => ({ status: 401, body: { error: 'invalid_client' } }));
    const r = await b.browser.get('/settings/');
    assert.equal(r.status, 502);
    assert.deepEqual(r.json, OCURRED);
    b.h.oxd.script('get-client-token', () => 'unreachable');
    assert.equal((await b.browser.get('/settings/')).status, 500);
  });
});

test('O13: an invalid required_acrs_expression (accepted by the schema) → 500 on every request', async () => {
  await withOidc({ oidc: { required_acrs_expression: '[{"path":' } }, async (b) => {
    const r = await b.browser.get('/settings/', { headers: { Accept: 'application/json' } });
    assert.equal(r.status, 500);
    assert.equal(r.text, '{\n  "message":"An unexpected error occurred"\n}');
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

test('§3.1 step 4: the post-logout path passes unauthenticated (no oxd call, no headers, no cookie needed)', async () => {
  await withOidc({ oidc: { custom_headers: [{ header_name: 'x-sub', value_lua_exp: 'id_token.sub', format: 'string' }] } }, async (b) => {
    await login(b);
    const r = await b.browser.get('/logout_redirect_uri');
    assert.equal(r.status, 200);
    assert.equal(echoed(r).headers['x-sub'], undefined);
  });
});

test('§3.3 per request: token expired with live auth → prompt=none (acrs nil, W19); auth expired → prompt=login; both drop the token', async () => {
  await withOidc({ oidc: { max_id_token_age: 100, max_id_token_auth_age: 200 } }, async (b) => {
    assert.equal((await login(b)).status, 302);
    b.clock.t += 99;
    assert.equal((await b.browser.get('/settings/')).status, 200);
    b.clock.t += 1; // iat + max_id_token_age <= now
    b.h.oxd.clearCalls();
    const silent = await b.browser.get('/settings/');
    assert.equal(silent.status, 302);
    assert.deepEqual(b.h.oxd.calls.map((c) => c.body), [{ oxd_id: P_OXD, prompt: 'none', scope: ['openid', 'oxd', 'email', 'profile', 'uma_protection'], params: { max_age: 100 } }]);
    // the token was removed: the session now has no id_tokens → a plain authorize (no prompt)
    b.h.oxd.clearCalls();
    await b.browser.get('/settings/');
    assert.equal(b.h.oxd.calls[0].body.prompt, undefined);
  });
  await withOidc({ oidc: { max_id_token_age: 300, max_id_token_auth_age: 200 } }, async (b) => {
    assert.equal((await login(b)).status, 302);
    b.clock.t += 200;
    b.h.oxd.clearCalls();
    const relogin = await b.browser.get('/settings/');
    assert.equal(relogin.status, 302);
    assert.equal(b.h.oxd.calls[0].body.prompt, 'login');
  });
});

test('the session cookie lives 3600 s from its save and is not renewed by normal requests', async () => {
  await withOidc({ oidc: { max_id_token_age: 7200, max_id_token_auth_age: 7200 } }, async (b) => {
    b.h.oxd.script('get-tokens-by-code', () => {
      const a = claimsAnswer(b.clock, {});
      a.body.id_token_claims.exp = Math.floor(b.clock.t) + 7200;
      return a;
    });
    assert.equal((await login(b)).status, 302);
    b.clock.t += 3000;
    const r = await b.browser.get('/settings/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['set-cookie'], undefined);
    b.clock.t += 600;
    b.h.oxd.clearCalls();
    assert.equal((await b.browser.get('/settings/')).status, 302);
    // the cookie is gone (expired at +3600), so a new authorization; the protection token (299 s) is renewed too
    assert.deepEqual(b.h.oxd.commands(), ['get-client-token', 'get-authorization-url']);
  });
});

test('§3.6 logout: get-logout-uri {oxd_id, id_token_hint, post_logout_redirect_uri}, delete cookie for the OIDC cookie only, 302 no-cache', async () => {
  await withOidc({ pep: { deny_by_default: false, obtain_rpt: true, redirect_claim_gathering_url: true, claims_redirect_path: '/claims_callback', uma_scope_expression: JSON.stringify([{ path: '/settings/??', conditions: [{ httpMethods: ['GET'] }] }]) } }, async (b) => {
    assert.equal((await login(b, '/home/')).status, 302);
    b.browser.jar.cookies.set('gluu_uma_pep_session', 'kept');
    b.h.oxd.clearCalls();
    const r = await b.browser.get('/logout');
    assert.equal(r.status, 302);
    assert.deepEqual(b.h.oxd.commands(), ['get-logout-uri']);
    assert.deepEqual(b.h.oxd.calls[0].body, { oxd_id: P_OXD, id_token_hint: FakeOxd.idToken(1), post_logout_redirect_uri: `${b.base}/logout_redirect_uri` });
    assert.equal(r.headers.location, `https://as.example.org/oxauth/restv1/end_session?post_logout_redirect_uri=${encodeURIComponent(`${b.base}/logout_redirect_uri`)}&id_token_hint=${FakeOxd.idToken(1)}`);
    assert.equal(r.headers['cache-control'], 'no-cache, no-store, max-age=0');
    assert.deepEqual(setCookies(r), ['gluu_openid_connect_session=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; Path=/; SameSite=Lax; HttpOnly']);
    assert.equal(b.browser.jar.has('gluu_uma_pep_session'), true);
    const after = await b.browser.get('/home/');
    assert.equal(after.status, 302, 'logged out');
  });
});

test('§3.6 logout failures: no session 400 bodyless; session without id_tokens 500; oxd non-200 502 bodyless; oxd down 502 "ocurred"; no post-logout setting 500', async () => {
  await withOidc({}, async (b) => {
    const none = await b.browser.get('/logout');
    assert.equal(none.status, 400);
    assert.equal(none.text, '');
    await b.browser.get('/settings/'); // F1: a session with original_url only
    assert.equal((await b.browser.get('/logout')).status, 500);
    await b.browser.get(`/callback?code=C&state=state0001`);
    b.h.oxd.script('get-logout-uri', () => ({ status: 400, body: { error: 'bad_request' } }));
    const refused = await b.browser.get('/logout');
    assert.equal(refused.status, 502);
    assert.equal(refused.text, '');
    b.h.oxd.script('get-logout-uri', () => 'unreachable');
    assert.deepEqual((await b.browser.get('/logout')).json, OCURRED);
    assert.equal(b.browser.jar.has('gluu_openid_connect_session'), true);
  });
  await withOidc({ oidc: { post_logout_redirect_path_or_url: 'https://rp.example.org/bye' } }, async (b) => {
    await login(b);
    await b.browser.get('/logout');
    assert.equal(b.h.oxd.calls.at(-1)?.body.post_logout_redirect_uri, 'https://rp.example.org/bye');
  });
  await withOidc({ oidc: { post_logout_redirect_path_or_url: undefined } }, async (b) => {
    await login(b);
    const r = await b.browser.get('/logout');
    assert.equal(r.status, 500);
    assert.notEqual(b.h.oxd.commands().at(-1), 'get-logout-uri');
  });
});

const UI_HEADERS = [
  { header_name: 'http-kong-id-token-{*}', value_lua_exp: 'id_token', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo-{*}', value_lua_exp: 'userinfo', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo', value_lua_exp: 'userinfo', format: 'jwt', sep: ' ', iterate: false },
  { header_name: 'http-kong-id-token', value_lua_exp: 'id_token', format: 'jwt', sep: ' ', iterate: false },
];

test('custom headers: the GG UI\'s four defaults (one header per claim, `_`→`-`, false claims skipped, alg-none JWTs); session cookie hidden; client copies pass (W12)', async () => {
  await withOidc({ oidc: { custom_headers: UI_HEADERS } }, async (b) => {
    await login(b);
    b.browser.jar.cookies.set('other', '1');
    const r = await b.browser.get('/settings/', { headers: { 'http-kong-userinfo-role': 'admin' } });
    const headers = echoed(r).headers;
    assert.equal(headers['http-kong-id-token-sub'], 'sub-1');
    assert.equal(headers['http-kong-id-token-auth-time'], String(Math.floor(b.clock.t)));
    assert.equal(headers['http-kong-id-token-amr'], '["10"]');
    assert.equal(headers['http-kong-userinfo-given-name'], 'Test');
    assert.equal(headers['http-kong-userinfo-email-verified'], undefined, 'false claim: no header');
    assert.equal(headers['http-kong-userinfo-role'], 'admin');
    const [h1, p1, s1] = String(headers['http-kong-id-token']).split('.');
    assert.deepEqual(JSON.parse(Buffer.from(h1, 'base64').toString()), { typ: 'JWT', alg: 'none' });
    assert.equal((JSON.parse(Buffer.from(p1, 'base64').toString()) as Obj).nonce, 'nonce0001');
    assert.equal(s1, '');
    assert.equal((JSON.parse(Buffer.from(String(headers['http-kong-userinfo']).split('.')[1], 'base64').toString()) as Obj).email, 'test_user@example.org');
    assert.equal(headers.cookie, 'other=1');
  });
});

test('§3.7 restore_original_auth_params: the POST is replayed upstream once; a body over 8k → 500', async () => {
  await withOidc({ oidc: { restore_original_auth_params: true } }, async (b) => {
    const post = await b.browser.send('POST', '/form', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' });
    assert.equal(post.status, 302);
    const back = await b.browser.get('/callback?code=C&state=state0001', { follow: true });
    assert.equal(echoed(back).method, 'POST');
    assert.equal(echoed(back).body, 'a=1&b=2');
    assert.equal(echoed(back).headers['content-type'], 'application/x-www-form-urlencoded');
    const next = await b.browser.get('/form');
    assert.equal(echoed(next).method, 'GET');
    const big = await b.browser.send('POST', '/big', { headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(8193) });
    assert.equal(big.status, 200, 'logged in: proxied');
    b.browser.jar.cookies.clear();
    const bigAnon = await b.browser.send('POST', '/big', { headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(8193) });
    assert.equal(bigAnon.status, 500);
  });
});

test('paths: with route paths ["/prefix"] and strip_path the plugin matches the full path, the upstream gets the stripped one', async () => {
  await withOidc(
    {
      route: { hosts: undefined, paths: ['/t2'], strip_path: true },
      oidc: { authorization_redirect_path: '/t2/callback', logout_path: '/t2/logout', post_logout_redirect_path_or_url: '/t2/logout_redirect_uri' },
    },
    async (b) => {
      const first = await b.browser.get('/t2/settings/');
      assert.equal(first.status, 302);
      const back = await b.browser.get('/callback?code=C&state=state0001');
      assert.equal(back.status, 404, 'the bare /callback is not on the route');
      const ok = await b.browser.get('/t2/callback?code=C&state=state0001');
      assert.equal(ok.status, 302);
      assert.equal(ok.headers.location, `${b.base}/t2/settings/`);
      const page = await b.browser.get('/t2/settings/');
      assert.equal(page.status, 200);
      assert.equal(echoed(page).path, '/settings/');
      const bye = await b.browser.get('/t2/logout_redirect_uri', { noCookies: true });
      assert.equal(echoed(bye).path, '/logout_redirect_uri');
    },
  );
});

// access.lua lines 364–382 then 178–190: on this branch the expired token is not removed before
// authorize(), so the loop guard finds its requested_acrs and answers 403 instead of a silent re-auth.
test('§3.1 step 9: a required acr whose token expired → the loop guard\'s 403 (the expired token still holds the requested acr)', async () => {
  const expression = JSON.stringify([{ path: '/users/??', conditions: [{ httpMethods: ['?'], required_acrs: ['otp'] }] }]);
  await withOidc({ oidc: { max_id_token_age: 100, required_acrs_expression: expression } }, async (b) => {
    b.h.oxd.script('get-tokens-by-code', () => claimsAnswer(b.clock, { acr: 'otp' }));
    assert.equal((await login(b, '/users/1')).status, 302);
    assert.deepEqual(b.h.oxd.calls[1].body.acr_values, ['otp']);
    assert.equal((await b.browser.get('/users/1')).status, 200);
    b.clock.t += 100;
    b.h.oxd.clearCalls();
    const r = await b.browser.get('/users/1');
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, { message: 'The resource requires one of the [otp] acr(s), you have [otp]' });
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

test('W19: a token obtained with acrs expires on a path without acrs → prompt=none and no acr_values (get_token_acrs reads `acrs`)', async () => {
  const expression = JSON.stringify([{ path: '/users/??', conditions: [{ httpMethods: ['?'], required_acrs: ['otp'] }] }]);
  await withOidc({ oidc: { max_id_token_age: 100, required_acrs_expression: expression } }, async (b) => {
    b.h.oxd.script('get-tokens-by-code', () => claimsAnswer(b.clock, { acr: 'otp' }));
    await login(b, '/users/1');
    b.clock.t += 100;
    b.h.oxd.clearCalls();
    assert.equal((await b.browser.get('/home/')).status, 302);
    assert.equal(b.h.oxd.calls[0].body.prompt, 'none');
    assert.equal(b.h.oxd.calls[0].body.acr_values, undefined);
  });
});

test('U6/U7: deny_by_default true breaks the post-logout page (403 no token); a no_auth path inside the UMA expression with require_id_token → 502', async () => {
  const noAuth = JSON.stringify([{ path: '/open/??', conditions: [{ httpMethods: ['?'], no_auth: true }] }]);
  const expression = JSON.stringify([{ path: '/open/??', conditions: [{ httpMethods: ['GET'] }] }]);
  await withOidc(
    { oidc: { required_acrs_expression: noAuth }, pep: { deny_by_default: true, require_id_token: true, obtain_rpt: true, uma_scope_expression: expression } },
    async (b) => {
      const bye = await b.browser.get('/logout_redirect_uri');
      assert.equal(bye.status, 403);
      assert.deepEqual(bye.json, { message: 'Invalid request, no token and no protected path' });
      const open = await b.browser.get('/open/x');
      assert.equal(open.status, 502);
      assert.deepEqual(open.json, OCURRED);
    },
  );
});

test('a session cookie over 4000 chars goes out in chunks, comes back whole, and no chunk reaches the upstream', async () => {
  await withOidc({ oidc: { custom_headers: [{ header_name: 'x-bio', value_lua_exp: 'userinfo.bio', format: 'string' }] } }, async (b) => {
    const bio = 'b'.repeat(5000);
    b.h.oxd.script('get-user-info', () => ({ status: 200, body: { sub: 's', bio } }));
    const back = await login(b);
    const names = [back.headers['set-cookie'] ?? []].flat().map((c) => c.split('=')[0]);
    assert.deepEqual(names, ['gluu_openid_connect_session', 'gluu_openid_connect_session_2']);
    const page = await b.browser.get('/settings/');
    assert.equal(page.status, 200);
    assert.equal(echoed(page).headers['x-bio'], bio);
    assert.equal(echoed(page).headers.cookie, undefined);
  });
});
