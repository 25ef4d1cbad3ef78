// Tutorial 2's weaknesses as GG 4.2.2 has them (oidc-uma.md §6,
// features/oidc-uma/security.feature), each pinned with its fix profile:
// SEC-W1 the state not bound to the browser, SEC-W5 logout client-side only,
// SEC-W11 path variants that skip the UMA expression, SEC-W12 client-sent
// headers in the gateway's namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeOxd } from '../doubles/fake-oxd';
import { Browser } from './browser';
import { echoed, type Reply } from './harness';
import { HOST, login, withOidc, type OidcBench } from './oidc-bench';
import type { FaultName } from '../../../sandbox/faults';

type Obj = Record<string, unknown>;
const MESSAGE_JSON = 'application/json; charset=utf-8';
const AUTHORIZE = /^https:\/\/as\.example\.org\/oxauth\/restv1\/authorize\?/;
const GATHER = /\/oxauth\/restv1\/uma\/gather_claims\?/;
const NO_CACHE = 'no-cache, no-store, max-age=0';
const UI_HEADERS = [
  { header_name: 'http-kong-id-token-{*}', value_lua_exp: 'id_token', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo-{*}', value_lua_exp: 'userinfo', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo', value_lua_exp: 'userinfo', format: 'jwt', sep: ' ', iterate: false },
  { header_name: 'http-kong-id-token', value_lua_exp: 'id_token', format: 'jwt', sep: ' ', iterate: false },
];
/** The tutorial's PEP section (oidc-uma.md §1.3) with the given path pattern. */
const tutorialPep = (pattern: string): Obj => ({
  uma_scope_expression: JSON.stringify([{ path: pattern, conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['with-claims'] } }] }]),
  deny_by_default: false,
  require_id_token: true,
  obtain_rpt: true,
  redirect_claim_gathering_url: true,
  claims_redirect_path: '/claims_callback',
  pushed_claims_lua_exp: '{id_token=id_token,userinfo=userinfo}',
});

const setCookies = (r: Reply): string[] => [r.headers['set-cookie'] ?? []].flat();
const faultsOf = (fixed: boolean, fix: FaultName): FaultName[] => (fixed ? [fix] : []);

for (const fixed of [false, true]) {
  test(`SEC-W1 ${fixed ? 'fix-state-bound-to-browser: another browser\'s callback → 400 "state does not match the session", oxd not asked' : 'a callback URL made for one browser logs another browser (with a GG session) in'}`, async () => {
    await withOidc({ faults: faultsOf(fixed, 'fix-state-bound-to-browser') }, async (b: OidcBench) => {
      const first = await b.browser.get('/settings/');
      assert.equal(first.status, 302);
      const state = new URL(String(first.headers.location)).searchParams.get('state');
      assert.equal(state, FakeOxd.state(1));
      const other = new Browser(b.h, { host: HOST, userAgent: 'Mozilla/5.0 (another browser)' });
      assert.equal((await other.get('/home/')).status, 302, 'the second browser was sent to log in: it holds a GG session');
      b.h.oxd.clearCalls();
      const r = await other.get(`/callback?code=C1&state=${state}`);
      if (!fixed) {
        assert.equal(r.status, 302);
        assert.equal(r.headers.location, `${other.base}/home/`);
        assert.deepEqual(b.h.oxd.commands(), ['get-tokens-by-code', 'get-user-info']);
        assert.equal((await other.get('/home/')).status, 200, "logged in as the first browser's user");
        return;
      }
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], MESSAGE_JSON);
      assert.deepEqual(r.json, { message: 'state does not match the session' });
      assert.deepEqual(b.h.oxd.commands(), [], 'refused before get-tokens-by-code: the code stays unused');
      assert.deepEqual(setCookies(r), [], 'the session is left as it was');
      assert.equal((await other.get('/home/')).status, 302, 'still not logged in');
      // The browser the state was made for logs in; the state is used up with the login.
      const own = await b.browser.get(`/callback?code=C1&state=${state}`);
      assert.equal(own.status, 302);
      assert.equal(own.headers.location, `${b.base}/settings/`);
      assert.equal((await b.browser.get('/settings/')).status, 200);
      const again = await b.browser.get(`/callback?code=C2&state=${state}`);
      assert.equal(again.status, 400);
      assert.deepEqual(again.json, { message: 'state does not match the session' });
    });
  });
}

for (const fixed of [false, true]) {
  test(`SEC-W5 ${fixed ? 'fix-logout-server-side: a cookie copied before the logout is sent to log in again (302 to the OP, fresh session)' : 'a cookie copied before the logout still opens the page (grant cache and cookie survive)'}`, async () => {
    await withOidc({ pep: tutorialPep('/settings/??'), faults: faultsOf(fixed, 'fix-logout-server-side'), oxd: { protect: { '/settings/??': ['GET'] } } }, async (b) => {
      assert.equal((await login(b)).status, 302);
      assert.equal((await b.browser.get('/settings/')).status, 302, 'to claims gathering');
      assert.equal((await b.browser.get('/claims_callback?state=S&ticket=T3')).status, 302);
      b.h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-1' } }));
      b.h.oxd.activeRpt('RPT-1', { client_id: 'P' });
      assert.equal((await b.browser.get('/settings/')).status, 200);
      const copied = new Map(b.browser.jar.cookies);
      const out = await b.browser.get('/logout');
      assert.equal(out.status, 302);
      assert.deepEqual(setCookies(out), ['gluu_openid_connect_session=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; Path=/; SameSite=Lax; HttpOnly']);
      for (const [k, v] of copied) b.browser.jar.cookies.set(k, v);
      b.h.oxd.clearCalls();
      const replay = await b.browser.get('/settings/');
      if (!fixed) {
        assert.equal(replay.status, 200);
        assert.equal(echoed(replay).path, '/settings/');
        assert.deepEqual(b.h.oxd.commands(), [], 'grant from the cache');
        return;
      }
      assert.equal(replay.status, 302);
      assert.match(String(replay.headers.location), AUTHORIZE);
      assert.equal(replay.headers['cache-control'], NO_CACHE);
      assert.deepEqual(b.h.oxd.commands(), ['get-authorization-url']);
      const fresh = setCookies(replay).find((c) => c.startsWith('gluu_openid_connect_session='));
      assert.match(String(fresh), /^gluu_openid_connect_session=[^;]+; Path=\/; SameSite=Lax; HttpOnly$/);
      assert.notEqual(String(fresh).split('|')[0], String(copied.get('gluu_openid_connect_session')).split('|')[0], 'a new session id');
      // The new session is a session like any other: it logs in.
      const state = new URL(String(replay.headers.location)).searchParams.get('state');
      assert.equal((await b.browser.get(`/callback?code=C2&state=${state}`)).status, 302);
      assert.equal((await b.browser.get('/home/')).status, 200);
    });
  });
}

for (const fixed of [false, true]) {
  test(`SEC-W11 ${fixed ? 'fix-path-variants-protected: /Settings/, /SETTINGS and (pattern /settings/?) /settings go to claims gathering' : 'path variants match no rule: deny_by_default false proxies them after the login only'}`, async () => {
    for (const [pattern, variants] of [
      ['/settings/??', ['/Settings/', '/SETTINGS']],
      ['/settings/?', ['/settings', '/Settings/']],
    ] as const) {
      await withOidc({ pep: tutorialPep(pattern), faults: faultsOf(fixed, 'fix-path-variants-protected'), oxd: { protect: { [pattern]: ['GET'] } } }, async (b) => {
        assert.equal((await login(b, '/home/')).status, 302);
        for (const variant of variants) {
          b.h.oxd.clearCalls();
          const r = await b.browser.get(variant);
          if (!fixed) {
            assert.equal(r.status, 200, `${pattern} ${variant}`);
            assert.equal(echoed(r).path, variant);
            assert.deepEqual(b.h.oxd.commands(), []);
            continue;
          }
          assert.equal(r.status, 302, `${pattern} ${variant}`);
          assert.match(String(r.headers.location), GATHER);
          assert.equal(r.headers['cache-control'], NO_CACHE);
          assert.deepEqual(b.h.oxd.commands(), ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url']);
          assert.deepEqual(b.h.oxd.calls[0].body.path, pattern, 'check-access asks for the registered pattern');
        }
        // Paths the expression does not cover stay open (deny_by_default false).
        b.h.oxd.clearCalls();
        const home = await b.browser.get('/Home/');
        assert.equal(home.status, 200);
        assert.deepEqual(b.h.oxd.commands(), []);
      });
    }
  });
}

for (const fixed of [false, true]) {
  test(`SEC-W12 ${fixed ? "fix-userinfo-headers-dropped: the browser's http-kong-* headers are removed, GG's own set, other headers kept" : 'client-sent http-kong-* headers GG computes no value for reach the upstream'}`, async () => {
    await withOidc({ oidc: { custom_headers: UI_HEADERS }, faults: faultsOf(fixed, 'fix-userinfo-headers-dropped') }, async (b) => {
      await login(b);
      const r = await b.browser.get('/settings/', {
        headers: {
          'http-kong-userinfo-role': 'admin',
          'http-kong-userinfo-email-verified': 'true',
          'http-kong-id-token-groups': 'admins',
          'http-kong-userinfo': 'forged',
          'x-other': 'kept',
        },
      });
      assert.equal(r.status, 200);
      const up = echoed(r).headers;
      assert.equal(up['http-kong-userinfo-role'], fixed ? undefined : 'admin');
      assert.equal(up['http-kong-userinfo-email-verified'], fixed ? undefined : 'true', 'a false claim: GG sets no header');
      assert.equal(up['http-kong-id-token-groups'], fixed ? undefined : 'admins');
      assert.equal(up['http-kong-id-token-sub'], 'sub-1', "GG's own value");
      assert.equal(up['http-kong-userinfo-email'], 'test_user@example.org');
      assert.notEqual(up['http-kong-userinfo'], 'forged', 'a computed header replaces the browser\'s');
      assert.equal((JSON.parse(Buffer.from(String(up['http-kong-userinfo']).split('.')[1], 'base64').toString()) as Obj).email, 'test_user@example.org');
      assert.equal(up['x-other'], 'kept');
    });
  });
}

test('SEC-W12 fix-userinfo-headers-dropped: the unauthenticated post-logout page gets no http-kong-* header either', async () => {
  await withOidc({ oidc: { custom_headers: UI_HEADERS }, faults: ['fix-userinfo-headers-dropped'] }, async (b) => {
    const r = await b.browser.get('/logout_redirect_uri', { headers: { 'http-kong-userinfo-role': 'admin', 'http-kong-id-token': 'x' } });
    assert.equal(r.status, 200);
    assert.equal(echoed(r).headers['http-kong-userinfo-role'], undefined);
    assert.equal(echoed(r).headers['http-kong-id-token'], undefined);
  });
});
