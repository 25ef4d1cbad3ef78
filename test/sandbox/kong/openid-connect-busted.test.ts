// Fidelity proof (issue 10 §5): the request sequences of GG 4.2.2's busted
// specs for gluu-openid-connect (t/specs/gluu-openid-connect/test_spec.lua
// with oxd models 1–9, summarised in oidc-uma.md §4 T1–T13) replayed against
// the sandbox Kong. The fake oxd answers from a strict ordered model, as
// GG's oxd-mock does: a wrong command, a failed check or a missing Bearer
// is refused, a call past the end is 500. Each test asserts the same
// commands with the same key parameters in the same order and the statuses
// the spec asserts. Written from the reference; no upstream code copied.
// Model entry #1 of every upstream model is the test harness's own
// register-site (not a plugin call) and is left out here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelStep } from '../doubles/fake-oxd';
import { Browser } from './browser';
import { echoed, P_ID, P_OXD, P_SECRET, startHarness, type Harness } from './harness';

const HOST = 'backend.com';
const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
const PT = 'b75434ff-f465-4b70-92e4-b7ba6b6c58f2';
const STATE = '473ot4nuqb4ubeokc139raur13';

interface Clock {
  t: number;
}

const seconds = (c: Clock) => Math.floor(c.t);

function idt(n: number): string {
  return `eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.model-id-token-${n}.c2ln`;
}

// ---- model steps (own words for oxd-mock's entries) ----

const gct = (): ModelStep => ({
  command: 'get-client-token',
  check: (b) => {
    assert.equal(b.client_id, P_ID);
    assert.equal(b.client_secret, P_SECRET);
    assert.ok(b.op_host, 'op_host');
    assert.deepEqual(b.scope, ['openid', 'oxd']);
  },
  answer: () => ({ body: { scope: ['openid', 'profile', 'email'], access_token: PT, expires_in: 3600 } }),
});

const bearer = (call: { authorization?: string }) => assert.equal(call.authorization, `Bearer ${PT}`);

function gau(expect: { prompt?: string; acr_values?: string[]; max_age: number; scope?: string[] }, stateSuffix = ''): ModelStep {
  return {
    command: 'get-authorization-url',
    check: (b, call) => {
      bearer(call);
      assert.equal(b.oxd_id, P_OXD);
      assert.deepEqual(b.scope, expect.scope ?? ['openid', 'email', 'profile']);
      assert.equal(b.prompt, expect.prompt);
      assert.deepEqual(b.acr_values, expect.acr_values);
      assert.deepEqual(b.params, { max_age: expect.max_age });
    },
    answer: () => ({
      body: {
        authorization_url: `https://stub.com/oxauth/restv1/authorize?response_type=code&client_id=${P_ID}&redirect_uri=https://192.168.200.95/callback&scope=openid+profile+email&state=${STATE}${stateSuffix}&nonce=lbrdgorr974q66q6q9g454iccm${stateSuffix}`,
      },
    }),
  };
}

function gtc(clock: Clock, code: string, state: string, n: number, claims: Record<string, unknown> = {}): ModelStep {
  return {
    command: 'get-tokens-by-code',
    check: (b, call) => {
      bearer(call);
      assert.equal(b.oxd_id, P_OXD);
      assert.equal(b.code, code);
      assert.equal(b.state, state);
    },
    answer: () => {
      const now = seconds(clock);
      return {
        body: {
          access_token: `access-token-${n}`,
          expires_in: 10,
          id_token: idt(n),
          refresh_token: `refresh-${n}`,
          id_token_claims: { at_hash: '-Cx2dz5Wvw_kBXAcTs3mFA', aud: P_ID, sub: 'john doe', iss: 'https://op.example', nonce: `nonce-${n}`, iat: now, exp: now + 60, auth_time: now, ...claims },
        },
      };
    },
  };
}

function gui(n: number, userinfo: Record<string, unknown> = { sub: 'john doe' }): ModelStep {
  return {
    command: 'get-user-info',
    check: (b, call) => {
      bearer(call);
      assert.deepEqual(b, { oxd_id: P_OXD, access_token: `access-token-${n}` });
    },
    answer: () => ({ body: userinfo }),
  };
}

function ca(path: string, rpt: string, answer: Record<string, unknown>): ModelStep {
  return {
    command: 'uma-rs-check-access',
    check: (b, call) => {
      bearer(call);
      assert.deepEqual(b, { oxd_id: P_OXD, rpt, path, http_method: 'GET' });
    },
    answer: () => ({ body: answer }),
  };
}

const denied = (ticket: string) => ({ access: 'denied', 'www-authenticate_header': `UMA realm="rs",as_uri="https://stub",error="insufficient_scope",ticket="${ticket}"`, ticket });

function rpt(expect: Record<string, unknown>, answer: { status?: number; body: unknown }, check?: (b: Record<string, unknown>) => void): ModelStep {
  return {
    command: 'uma-rp-get-rpt',
    check: (b, call) => {
      bearer(call);
      for (const [k, v] of Object.entries(expect)) assert.deepEqual(b[k], v, k);
      check?.(b);
    },
    answer: () => answer,
  };
}

const rptOk = (token: string) => ({ body: { access_token: token, token_type: 'Bearer', pct: 'c2F6tFd0yLP7xQ', upgraded: false } });

// ---- the bench: one service + route (host backend.com) with the plugins on the service ----

interface Bench {
  h: Harness;
  clock: Clock;
  browser: Browser;
  port: string;
  pluginIds: Record<string, string>;
}

function oidcConfig(h: Harness, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    op_url: 'http://stub',
    oxd_url: h.oxd.url,
    client_id: P_ID,
    client_secret: P_SECRET,
    oxd_id: P_OXD,
    authorization_redirect_path: '/callback',
    requested_scopes: ['openid', 'email', 'profile'],
    max_id_token_auth_age: 60 * 60 * 24,
    logout_path: '/logout_path',
    post_logout_redirect_path_or_url: '/post_logout_redirect_path_or_url',
    ...extra,
  };
}

function pepConfig(h: Harness, extra: Record<string, unknown>): Record<string, unknown> {
  return { op_url: 'http://stub', oxd_url: h.oxd.url, client_id: P_ID, client_secret: P_SECRET, oxd_id: P_OXD, ...extra };
}

const getExpression = (...paths: string[]) => JSON.stringify(paths.map((path) => ({ path, conditions: [{ httpMethods: ['GET'] }] })));

async function bench(oidc: Record<string, unknown>, pep: Record<string, unknown> | undefined, model: (c: Clock) => ModelStep[], fn: (b: Bench) => Promise<void>, sessionSecret?: string): Promise<void> {
  const clock: Clock = { t: Date.now() / 1000 };
  const h = await startHarness({ now: () => clock.t, oxd: { tls: false }, sessionSecret });
  try {
    const created = async (path: string, body: unknown) => {
      const r = await h.admin('POST', path, body);
      assert.equal(r.status, 201, r.text);
      return r.json as Record<string, string>;
    };
    const service = await created('/services', { name: 'demo-service', url: h.echoUrl });
    await created('/routes', { name: 'demo-route', hosts: [HOST], service: { id: service.id } });
    const pluginIds: Record<string, string> = {};
    pluginIds.oidc = (await created('/plugins', { name: 'gluu-openid-connect', service: { id: service.id }, config: oidcConfig(h, oidc) })).id;
    if (pep) pluginIds.pep = (await created('/plugins', { name: 'gluu-uma-pep', service: { id: service.id }, config: pepConfig(h, pep) })).id;
    h.oxd.useModel(model(clock));
    const browser = new Browser(h, { host: HOST });
    await fn({ h, clock, browser, port: new URL(h.proxyUrl).port, pluginIds });
    assert.deepEqual(h.oxd.modelFailures, [], 'every oxd call matched its model entry');
  } finally {
    await h.close();
  }
}

/** The commands oxd saw since the last mark. */
function callsSince(b: Bench, mark: number): string[] {
  return b.h.oxd.calls.slice(mark).map((c) => c.command);
}

async function expectCalls<T>(b: Bench, commands: string[], fn: () => Promise<T>): Promise<T> {
  const mark = b.h.oxd.calls.length;
  const out = await fn();
  assert.deepEqual(callsSince(b, mark), commands);
  return out;
}

const setCookieText = (r: { headers: Record<string, unknown> }) => [r.headers['set-cookie'] ?? []].flat().join('\n');

test('T1 basic (model1): login, reuse, silent re-auth after max_id_token_age, logout, post-logout page', async () => {
  await bench(
    { max_id_token_age: 4 },
    undefined,
    (c) => [
      gct(),
      gau({ max_age: 4 }),
      gtc(c, '1234567890', STATE, 1),
      gui(1),
      gau({ max_age: 4, prompt: 'none' }, '123'),
      gtc(c, '1234567890123', `${STATE}123`, 2),
      gui(2),
      {
        command: 'get-logout-uri',
        check: (body, call) => {
          bearer(call);
          assert.equal(body.oxd_id, P_OXD);
          assert.equal(body.id_token_hint, idt(2));
        },
        answer: () => ({ body: { uri: `https://stub.com/oxauth/restv1/end_session?id_token_hint=${idt(2)}&post_logout_redirect_uri=https://localhost/logout_redirect_uri` } }),
      },
    ],
    async (b) => {
      const first = await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.get('/page1'));
      assert.equal(first.status, 302);
      assert.match(String(first.headers.location), /response_type=code/);
      assert.match(setCookieText(first), /session=/);

      const back = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(back.status, 200);
      assert.equal(echoed(back).path, '/page1');

      const again = await expectCalls(b, [], () => b.browser.get('/page1'));
      assert.equal(again.status, 200);

      b.clock.t += 5; // the spec sleeps 5 s; max_id_token_age is 4
      const silent = await expectCalls(b, ['get-authorization-url'], () => b.browser.get('/page1'));
      assert.equal(silent.status, 302);
      assert.match(String(silent.headers.location), /response_type=code/);
      assert.match(setCookieText(silent), /session=/);

      const back2 = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890123&state=${STATE}123`, { follow: true }));
      assert.equal(back2.status, 200);
      assert.equal(echoed(back2).path, '/page1');

      const mark = b.h.oxd.calls.length;
      const out = await b.browser.get('/logout_path');
      assert.deepEqual(callsSince(b, mark), ['get-logout-uri']);
      assert.equal(b.h.oxd.calls[mark].body.post_logout_redirect_uri, `http://backend.com:${b.port}/post_logout_redirect_path_or_url`);
      assert.equal(out.status, 302);
      assert.match(setCookieText(out), /session=;/);
      assert.equal(b.browser.jar.has('gluu_openid_connect_session'), false);

      const post = await expectCalls(b, [], () => b.browser.get('/post_logout_redirect_path_or_url', { noCookies: true }));
      assert.equal(post.status, 200);
    },
  );
});

test('T2 OIDC + UMA (model2): one ticket → RPT → grant per pattern, grants cached, deny_by_default with an id_token', async () => {
  await bench(
    { max_id_token_age: 10 },
    { deny_by_default: true, obtain_rpt: true, uma_scope_expression: getExpression('/page1', '/page2/{todos|photos}', '/path/?/image.jpg') },
    (c) => [
      gct(),
      gau({ max_age: 10 }),
      gtc(c, '1234567890', STATE, 1),
      gui(1),
      ca('/page1', '', denied('e986fd2b-d5c0-4a3d-9ac5-2ba3c9c6e4b1')),
      rpt({ oxd_id: P_OXD, ticket: 'e986fd2b-d5c0-4a3d-9ac5-2ba3c9c6e4b1', claim_token: undefined }, rptOk('rpt-f1')),
      ca('/page1', 'rpt-f1', { access: 'granted' }),
      ca('/page2/{todos|photos}', '', denied('ticket-2')),
      rpt({ ticket: 'ticket-2' }, rptOk('rpt-f2')),
      ca('/page2/{todos|photos}', 'rpt-f2', { access: 'granted' }),
      ca('/path/?/image.jpg', '', denied('ticket-3')),
      rpt({ ticket: 'ticket-3' }, rptOk('rpt-f3')),
      ca('/path/?/image.jpg', 'rpt-f3', { access: 'granted' }),
    ],
    async (b) => {
      assert.equal((await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.get('/page1'))).status, 302);
      const back = await expectCalls(b, ['get-tokens-by-code', 'get-user-info', 'uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rs-check-access'], () =>
        b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }),
      );
      assert.equal(back.status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await expectCalls(b, [], () => b.browser.get('/page1'))).status, 200);
      const photos = await expectCalls(b, ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rs-check-access'], () => b.browser.get('/page2/photos'));
      assert.equal(photos.status, 200);
      const image = await expectCalls(b, ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rs-check-access'], () => b.browser.get('/path/123/image.jpg'));
      assert.equal(image.status, 200);
      const todos = await expectCalls(b, [], () => b.browser.get('/todos'));
      assert.equal(todos.status, 403);
      assert.deepEqual(todos.json, { message: 'Unprotected path/method are not allowed' });
    },
  );
});

test('T3 OIDC + UMA with pushed claims (model3): the claim token is an alg-none JWT of the id_token claims', async () => {
  let claims: Record<string, unknown> = {};
  await bench(
    { max_id_token_age: 10 },
    { deny_by_default: false, obtain_rpt: true, require_id_token: true, pushed_claims_lua_exp: 'id_token', uma_scope_expression: getExpression('/page1') },
    (c) => {
      const tokens = gtc(c, '1234567890', STATE, 1);
      const answer = tokens.answer;
      tokens.answer = (body) => {
        const a = answer(body);
        claims = (a.body as { id_token_claims: Record<string, unknown> }).id_token_claims;
        return a;
      };
      return [
        gct(),
        gau({ max_age: 10 }),
        tokens,
        gui(1),
        ca('/page1', '', denied('t-1')),
        rpt({ ticket: 't-1', claim_token_format: ID_TOKEN_FORMAT }, rptOk('rpt-3'), (body) => {
          const [header, payload, signature] = String(body.claim_token).split('.');
          assert.deepEqual(JSON.parse(Buffer.from(header, 'base64').toString()), { typ: 'JWT', alg: 'none' });
          assert.equal(signature, '');
          const pushed = JSON.parse(Buffer.from(payload, 'base64').toString()) as Record<string, unknown>;
          for (const k of ['aud', 'sub', 'iss', 'nonce']) assert.equal(pushed[k], claims[k], k);
        }),
        ca('/page1', 'rpt-3', { access: 'granted' }),
      ];
    },
    async (b) => {
      assert.equal((await b.browser.get('/page1')).status, 302);
      const back = await expectCalls(b, ['get-tokens-by-code', 'get-user-info', 'uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rs-check-access'], () =>
        b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }),
      );
      assert.equal(back.status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await expectCalls(b, [], () => b.browser.get('/page1'))).status, 200);
      const post = await expectCalls(b, [], () => b.browser.get('/post_logout_redirect_path_or_url', { noCookies: true }));
      assert.equal(post.status, 200);
    },
  );
});

test('T4 OIDC + UMA claims gathering (model4): need_info → claims URL, claims redirect → RPT with ticket and state → 200', async () => {
  const gathered = 'fba00191-59ab-4ed6-ac99-a786a88a9f40';
  const claimsState = 'd871gpie16np0f5kfv936sc33k';
  await bench(
    { max_id_token_age: 10 },
    { deny_by_default: true, obtain_rpt: true, redirect_claim_gathering_url: true, claims_redirect_path: '/claim_gathering_path', uma_scope_expression: getExpression('/page1') },
    (c) => [
      gct(),
      gau({ max_age: 10 }),
      gtc(c, '1234567890', STATE, 1),
      gui(1),
      ca('/page1', '', denied('t-0')),
      rpt({ ticket: 't-0' }, { status: 403, body: { error: 'need_info', ticket: 'ZXJyb3JfZGV0YWlscw==', required_claims: [], redirect_user: 'https://stub.com/oxauth/restv1/uma/gather_claims?x' } }),
      {
        command: 'uma-rp-get-claims-gathering-url',
        check: (body, call) => {
          bearer(call);
          assert.equal(body.oxd_id, P_OXD);
          assert.equal(body.ticket, 'ZXJyb3JfZGV0YWlscw==');
          assert.match(String(body.claims_redirect_uri), /^http:\/\/backend\.com:\d+\/claim_gathering_path$/);
        },
        answer: () => ({ body: { url: `https://stub.com/oxauth/restv1/uma/gather_claims?client_id=${P_ID}&ticket=ZXJyb3JfZGV0YWlscw==&state=${claimsState}`, state: claimsState } }),
      },
      rpt({ oxd_id: P_OXD, ticket: gathered, state: claimsState }, rptOk('rpt-4')),
      ca('/page1', 'rpt-4', { access: 'granted' }),
    ],
    async (b) => {
      assert.equal((await b.browser.get('/page1')).status, 302);
      const back = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`));
      assert.equal(back.status, 302);
      assert.match(String(back.headers.location), /page1$/);
      assert.match(setCookieText(back), /session=/);

      const need = await expectCalls(b, ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url'], () => b.browser.get('/page1'));
      assert.equal(need.status, 302);
      assert.match(String(need.headers.location), /gather_claims/);
      assert.match(String(need.headers.location), /ticket=/);
      assert.match(setCookieText(need), /session=/);

      const done = await expectCalls(b, ['uma-rp-get-rpt', 'uma-rs-check-access'], () => b.browser.get(`/claim_gathering_path?ticket=${gathered}&state=${claimsState}`, { follow: true }));
      assert.equal(done.status, 200);
      assert.equal(echoed(done).path, '/page1');
      for (let i = 0; i < 2; i++) assert.equal((await expectCalls(b, [], () => b.browser.get('/page1'))).status, 200);
    },
  );
});

// ---- acr expressions (T5–T8, T10, T12) ----

const acrRule = (path: string, cond: Record<string, unknown>) => ({ path, conditions: [{ httpMethods: ['?'], ...cond }] });
const acrExpression = (...rules: Array<Record<string, unknown>>) => JSON.stringify(rules);
const T5_EXPRESSION = acrExpression(acrRule('/??', { required_acrs: ['auth_ldap_server'] }), acrRule('/superhero', { required_acrs: ['superhero'] }), acrRule('/open/??', { no_auth: true }));

async function reconfigure(b: Bench, config: Record<string, unknown>): Promise<void> {
  const r = await b.h.admin('PATCH', `/plugins/${b.pluginIds.oidc}`, { config });
  assert.equal(r.status, 200, r.text);
}

test('T5 acr_values (model5): acrs requested per path, prompt=login for a missing acr, tokens reused, no_auth path, a path cut at the blank', async () => {
  await bench(
    { max_id_token_age: 10, required_acrs_expression: T5_EXPRESSION },
    undefined,
    (c) => [
      gct(),
      gau({ max_age: 10, acr_values: ['auth_ldap_server'] }),
      gtc(c, '1234567890', STATE, 1, { acr: 'auth_ldap_server' }),
      gui(1),
      gau({ max_age: 10, acr_values: ['otp'], prompt: 'login' }, '123'),
      gtc(c, '1234567890123', `${STATE}123`, 2, { acr: 'otp' }),
      gui(2),
      gau({ max_age: 10, acr_values: ['superhero'], prompt: 'login' }, 'qwerty'),
      gtc(c, '1234567890qwerty', `${STATE}qwerty`, 3, { acr: 'superhero' }),
      gui(3),
    ],
    async (b) => {
      assert.equal((await expectCalls(b, [], () => b.browser.get('/open/page,html'))).status, 200);
      assert.equal((await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.get('/page1'))).status, 302);
      assert.equal((await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }))).status, 200);

      await reconfigure(b, { required_acrs_expression: acrExpression(acrRule('/??', { required_acrs: ['otp'] }), acrRule('/superhero', { required_acrs: ['superhero'] }), acrRule('/open/??', { no_auth: true })) });
      assert.equal((await expectCalls(b, ['get-authorization-url'], () => b.browser.get('/page1'))).status, 302);
      assert.equal((await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890123&state=${STATE}123`, { follow: true }))).status, 200);

      await reconfigure(b, {
        required_acrs_expression: acrExpression(
          acrRule('/??', { required_acrs: ['auth_ldap_server'] }),
          acrRule('/superhero', { required_acrs: ['superhero'] }),
          acrRule('/open/??', { no_auth: true }),
          { path: '/any_acr', conditions: [{ httpMethods: ['?'] }] },
        ),
      });
      assert.equal((await expectCalls(b, [], () => b.browser.get('/page1'))).status, 200);
      // `/superhero bla`: the decision path stops at the blank, the upstream gets the whole URI (W13)
      assert.equal((await expectCalls(b, ['get-authorization-url'], () => b.browser.get('/superhero%20bla'))).status, 302);
      const hero = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890qwerty&state=${STATE}qwerty`, { follow: true }));
      assert.equal(hero.status, 200);
      assert.match(echoed(hero).path, /superhero/);
      assert.equal((await expectCalls(b, [], () => b.browser.get('/any_acr'))).status, 200);
    },
  );
});

test('T6 not enough acr (model6): the token has acr basic, the acr was already requested → 403, no further call', async () => {
  await bench(
    { max_id_token_age: 10, required_acrs_expression: acrExpression(acrRule('/??', { required_acrs: ['auth_ldap_server'] })) },
    undefined,
    (c) => [gct(), gau({ max_age: 10, acr_values: ['auth_ldap_server'] }), gtc(c, '1234567890', STATE, 1, { acr: 'basic' }), gui(1)],
    async (b) => {
      assert.equal((await b.browser.get('/page1')).status, 302);
      const r = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, { message: 'The resource requires one of the [auth_ldap_server] acr(s), you have [basic]' });
    },
  );
});

const JWT_HEADERS = [
  { header_name: 'KONG_USER_INFO_JWT', value_lua_exp: 'userinfo', format: 'jwt' },
  { header_name: 'kong_id_token_jwt', value_lua_exp: 'id_token', format: 'jwt' },
];

test('T7 required_acrs in the user session (model7): a second login for /users/?? with its acr, then another for otp; JWT headers each time', async () => {
  await bench(
    { max_id_token_age: 10, custom_headers: JWT_HEADERS, required_acrs_expression: acrExpression(acrRule('/??', {}), acrRule('/users/??', { required_acrs: ['auth_ldap_server'] })) },
    undefined,
    (c) => [
      gct(),
      gau({ max_age: 10 }),
      gtc(c, '1234567890', STATE, 1, { acr: 'basic' }),
      gui(1),
      gau({ max_age: 10, acr_values: ['auth_ldap_server'], prompt: 'login' }, '123'),
      gtc(c, '1234567890123', `${STATE}123`, 2, { acr: 'auth_ldap_server' }),
      gui(2),
      gau({ max_age: 10, acr_values: ['otp'], prompt: 'login' }, 'qwerty'),
      gtc(c, '1234567890qwerty', `${STATE}qwerty`, 3, { acr: 'otp' }),
      gui(3),
    ],
    async (b) => {
      const hasJwtHeaders = (r: Parameters<typeof echoed>[0]) => {
        const headers = echoed(r).headers;
        assert.ok(headers['kong-id-token-jwt'], 'kong-id-token-jwt');
        assert.ok(headers['kong-user-info-jwt'], 'kong-user-info-jwt');
      };
      assert.equal((await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.get('/page1'))).status, 302);
      const one = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(one.status, 200);
      hasJwtHeaders(one);
      assert.equal((await expectCalls(b, ['get-authorization-url'], () => b.browser.get('/users/page1'))).status, 302);
      const two = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890123&state=${STATE}123`, { follow: true }));
      assert.equal(two.status, 200);
      hasJwtHeaders(two);
      await reconfigure(b, { required_acrs_expression: acrExpression(acrRule('/??', {}), acrRule('/users/??', { required_acrs: ['otp'] })) });
      assert.equal((await expectCalls(b, ['get-authorization-url'], () => b.browser.get('/users/page1'))).status, 302);
      const three = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890qwerty&state=${STATE}qwerty`, { follow: true }));
      assert.equal(three.status, 200);
    },
  );
});

test('T8 unset required_acrs_expression (model7 #1–#5): after removing it /users/page1 needs no new login', async () => {
  await bench(
    { max_id_token_age: 10, custom_headers: JWT_HEADERS, required_acrs_expression: acrExpression(acrRule('/??', {}), acrRule('/users/??', { required_acrs: ['auth_ldap_server'] })) },
    undefined,
    (c) => [gct(), gau({ max_age: 10 }), gtc(c, '1234567890', STATE, 1, { acr: 'basic' }), gui(1)],
    async (b) => {
      assert.equal((await b.browser.get('/page1')).status, 302);
      assert.equal((await b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true })).status, 200);
      await reconfigure(b, { required_acrs_expression: null });
      assert.equal((await expectCalls(b, [], () => b.browser.get('/users/page1'))).status, 200);
    },
  );
});

test('T9 custom headers (model8): 21 headers from id_token, userinfo, literals and the access token; no cookie upstream; cached', async () => {
  const userinfo = { sub: 'john doe', name: 'John Doe', given_name: 'John', family_name: 'Doe', preferred_username: 'jdoe', email: 'john@example.com', picture: 'https://example.com/p.png' };
  await bench(
    {
      max_id_token_age: 14,
      custom_headers: [
        { header_name: 'http_sm_name', value_lua_exp: 'userinfo.name', format: 'string' },
        ...JWT_HEADERS,
        { header_name: 'KONG_OPENIDC_USERINFO_{*}', value_lua_exp: 'userinfo', format: 'string', iterate: true },
        { header_name: 'KONG_OPENIDC_idtoken_{*}', value_lua_exp: 'id_token', format: 'base64', iterate: true },
        { header_name: 'http_dept_id', value_lua_exp: '123', format: 'base64' },
        { header_name: 'http_kong_api_version', value_lua_exp: '"version 1.0"', format: 'urlencoded' },
        { header_name: 'GG-ACCESS-TOKEN', value_lua_exp: 'access_token', format: 'urlencoded' },
      ],
    },
    undefined,
    (c) => [gct(), gau({ max_age: 14 }), gtc(c, '1234567890', STATE, 1), gui(1, userinfo)],
    async (b) => {
      assert.equal((await b.browser.get('/page1')).status, 302);
      const check = (r: Parameters<typeof echoed>[0]) => {
        const headers = echoed(r).headers;
        const expected = [
          ...['auth-time', 'aud', 'at-hash', 'iat', 'nonce', 'iss', 'sub', 'exp'].map((k) => `kong-openidc-idtoken-${k}`),
          ...['sub', 'email', 'given-name', 'family-name', 'picture', 'preferred-username', 'name'].map((k) => `kong-openidc-userinfo-${k}`),
          'http-sm-name',
          'kong-id-token-jwt',
          'http-dept-id',
          'http-kong-api-version',
          'kong-user-info-jwt',
          'gg-access-token',
        ];
        assert.equal(expected.length, 21);
        for (const name of expected) assert.ok(headers[name] !== undefined, name);
        assert.equal(headers['http-sm-name'], 'John Doe');
        assert.equal(headers['http-dept-id'], Buffer.from('123').toString('base64'));
        assert.equal(headers['http-kong-api-version'], 'version%201.0');
        assert.equal(headers['gg-access-token'], 'access-token-1');
        assert.equal(headers['kong-openidc-idtoken-sub'], Buffer.from('john doe').toString('base64'));
        assert.equal(headers.cookie, undefined);
      };
      const first = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(first.status, 200);
      check(first);
      for (let i = 0; i < 3; i++) {
        const r = await expectCalls(b, [], () => b.browser.get('/page1'));
        assert.equal(r.status, 200);
        check(r);
      }
    },
  );
});

test('T10 custom headers on a no_auth page (model5 #1–#5): none without a session, the header with one', async () => {
  await bench(
    { max_id_token_age: 10, required_acrs_expression: T5_EXPRESSION, custom_headers: [{ header_name: 'http_sm_name', value_lua_exp: 'userinfo.sub', format: 'string' }] },
    undefined,
    (c) => [gct(), gau({ max_age: 10, acr_values: ['auth_ldap_server'] }), gtc(c, '1234567890', STATE, 1, { acr: 'auth_ldap_server' }), gui(1)],
    async (b) => {
      const anonymous = await expectCalls(b, [], () => b.browser.get('/open/page.html'));
      assert.equal(anonymous.status, 200);
      assert.equal(echoed(anonymous).headers['http-sm-name'], undefined);
      assert.equal((await b.browser.get('/page1')).status, 302);
      assert.equal((await b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true })).status, 200);
      const known = await expectCalls(b, [], () => b.browser.get('/open/page.html'));
      assert.equal(known.status, 200);
      assert.equal(echoed(known).headers['http-sm-name'], 'john doe');
    },
  );
});

test('T11 two Kong nodes with one $session_secret (model5 #1–#5): the cookie of node 1 opens the session on node 2, no oxd call there', async () => {
  const secret = '1234567890';
  const node2 = await startHarness({ oxd: { tls: false }, sessionSecret: secret });
  try {
    await bench(
      { max_id_token_age: 10 },
      undefined,
      (c) => [gct(), gau({ max_age: 10 }), gtc(c, '1234567890', STATE, 1), gui(1)],
      async (b) => {
        const svc = await node2.admin('POST', '/services', { name: 'demo-service', url: node2.echoUrl });
        const sid = (svc.json as { id: string }).id;
        await node2.admin('POST', '/routes', { name: 'demo-route', hosts: [HOST], service: { id: sid } });
        const p = await node2.admin('POST', '/plugins', { name: 'gluu-openid-connect', service: { id: sid }, config: { ...oidcConfig(node2, { max_id_token_age: 10 }) } });
        assert.equal(p.status, 201, p.text);
        assert.equal((await b.browser.get('/page1')).status, 302);
        assert.equal((await b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true })).status, 200);
        const other = new Browser(node2, { host: HOST });
        for (const [k, v] of b.browser.jar.cookies) other.jar.cookies.set(k, v);
        const r = await other.get('/page2');
        assert.equal(r.status, 200);
        assert.equal(echoed(r).path, '/page2');
        assert.deepEqual(node2.oxd.commands(), []);
      },
      secret,
    );
  } finally {
    await node2.close();
  }
});

test('T12 auth_time older than max_id_token_auth_age at the callback (model9) → 500, get-user-info never called', async () => {
  await bench(
    { max_id_token_age: 3600, max_id_token_auth_age: 60, required_acrs_expression: acrExpression(acrRule('/payments/??', { required_acrs: ['otp'] })) },
    undefined,
    (c) => [gct(), gau({ max_age: 3600 }), gtc(c, '1234567890', STATE, 1, { auth_time: seconds(c) - 70 }), gui(1)],
    async (b) => {
      assert.equal((await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.get('/page1'))).status, 302);
      const r = await expectCalls(b, ['get-tokens-by-code'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, { message: 'OP returns id_token with too old auth_time' });
      assert.equal(b.h.oxd.modelPosition(), 3);
    },
  );
});

test('T13 restore POST after authentication (model1 #1–#5): the upstream gets the original method, content type and body', async () => {
  await bench(
    { max_id_token_age: 10, restore_original_auth_params: true, custom_headers: [{ header_name: 'kong_id_token_jwt', value_lua_exp: 'id_token', format: 'jwt' }] },
    undefined,
    (c) => [gct(), gau({ max_age: 10 }), gtc(c, '1234567890', STATE, 1), gui(1)],
    async (b) => {
      const post = await expectCalls(b, ['get-client-token', 'get-authorization-url'], () => b.browser.send('POST', '/page1', { headers: { 'Content-Type': 'text' }, body: 'qwerty1234567' }));
      assert.equal(post.status, 302);
      const r = await expectCalls(b, ['get-tokens-by-code', 'get-user-info'], () => b.browser.get(`/callback?code=1234567890&state=${STATE}`, { follow: true }));
      assert.equal(r.status, 200);
      const seen = echoed(r);
      assert.equal(seen.method, 'POST');
      assert.equal(seen.headers['content-type'], 'text');
      assert.ok(seen.headers['kong-id-token-jwt']);
      assert.equal(seen.body, 'qwerty1234567');
      const callback = b.browser.seen.at(-2);
      assert.equal(callback?.status, 302);
    },
  );
});
