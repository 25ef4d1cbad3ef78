// gluu-uma-pep behind gluu-openid-connect (oidc-uma.md §2 F6–F11, §3.5):
// the id_token as request token, `{id_token=id_token,userinfo=userinfo}` as
// the pushed claims, the claims redirect U1–U4, the grant cached for the
// id_token's life, a policy denial as 502 (U11, W8), logout leaving the PEP
// cookie (W5), and the faults of tutorial 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeOxd } from '../doubles/fake-oxd';
import { echoed, P_OXD, type Reply } from './harness';
import { login, withOidc, type OidcBench } from './oidc-bench';

type Obj = Record<string, unknown>;
const OCURRED = { message: 'An unexpected error ocurred' };
const EXPRESSION = JSON.stringify([{ path: '/settings/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['with-claims'] } }] }]);
/** The tutorial's PEP section (oidc-uma.md §1.3). */
const TUTORIAL_PEP: Obj = {
  uma_scope_expression: EXPRESSION,
  deny_by_default: false,
  require_id_token: true,
  obtain_rpt: true,
  redirect_claim_gathering_url: true,
  claims_redirect_path: '/claims_callback',
  pushed_claims_lua_exp: '{id_token=id_token,userinfo=userinfo}',
};
const PROTECT = { '/settings/??': ['GET'] };

const decodePayload = (jwt: string): Obj => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64').toString()) as Obj;
const pepCookie = (r: Reply) => [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gluu_uma_pep_session='));

async function tutorial(fn: (b: OidcBench) => Promise<void>, faults: Parameters<typeof withOidc>[0]['faults'] = []): Promise<void> {
  await withOidc({ pep: TUTORIAL_PEP, faults, oxd: { protect: PROTECT } }, fn);
}

/** F6: login done, then the first protected request → need_info → 302 to the claims URL. */
async function toGathering(b: OidcBench): Promise<Reply> {
  assert.equal((await login(b)).status, 302);
  b.h.oxd.clearCalls();
  return b.browser.get('/settings/');
}

test('F6: the PEP gets the raw id_token as token, pushes {id_token, userinfo} as an alg-none claim token and redirects to gathering', async () => {
  await tutorial(async (b) => {
    const r = await toGathering(b);
    assert.equal(r.status, 302);
    assert.deepEqual(b.h.oxd.commands(), ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url']);
    const [check, getRpt, cgu] = b.h.oxd.calls;
    assert.deepEqual(check.body, { oxd_id: P_OXD, rpt: '', path: '/settings/??', http_method: 'GET' });
    assert.equal(getRpt.body.claim_token_format, 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken');
    const pushed = decodePayload(String(getRpt.body.claim_token));
    assert.deepEqual(Object.keys(pushed).sort(), ['id_token', 'userinfo']);
    assert.equal((pushed.id_token as Obj).nonce, 'nonce0001');
    assert.equal((pushed.userinfo as Obj).email, 'test_user@example.org');
    assert.equal(cgu.body.claims_redirect_uri, `${b.base}/claims_callback`);
    assert.match(String(r.headers.location), /gather_claims\?/);
    assert.equal(r.headers['cache-control'], 'no-cache, no-store, max-age=0');
    assert.match(String(pepCookie(r)), /^gluu_uma_pep_session=[^;]+; Path=\/; SameSite=Lax; HttpOnly$/);
  });
});

test('F9–F11: the claims redirect (any state accepted, W10), then RPT with ticket+state, grant cached: no oxd call on the next visit', async () => {
  await tutorial(async (b) => {
    await toGathering(b);
    const back = await b.browser.get('/claims_callback?state=whatever&ticket=T3');
    assert.equal(back.status, 302);
    assert.equal(back.headers.location, `${b.base}/settings/`);
    assert.equal(back.headers['cache-control'], undefined);
    b.h.oxd.clearCalls();
    b.h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-1', token_type: 'Bearer', pct: 'PCT', upgraded: false } }));
    b.h.oxd.activeRpt('RPT-1', { client_id: 'P' });
    const page = await b.browser.get('/settings/');
    assert.equal(page.status, 200);
    assert.deepEqual(b.h.oxd.commands(), ['uma-rp-get-rpt', 'uma-rs-check-access']);
    assert.equal(b.h.oxd.calls[0].body.ticket, 'T3');
    assert.equal(b.h.oxd.calls[0].body.state, 'whatever');
    assert.equal(b.h.oxd.calls[1].body.rpt, 'RPT-1');
    assert.equal(echoed(page).headers.authorization, undefined, 'the RPT is not sent upstream');
    assert.equal(echoed(page).headers.cookie, undefined, 'both session cookies hidden');
    b.h.oxd.clearCalls();
    assert.equal((await b.browser.get('/settings/')).status, 200);
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

test('grant cache TTL = exp(id_token) − now − 5: after that the PEP asks oxd again', async () => {
  await tutorial(async (b) => {
    await toGathering(b);
    await b.browser.get('/claims_callback?state=S&ticket=T3');
    b.h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-1' } }));
    b.h.oxd.activeRpt('RPT-1', { client_id: 'P' });
    assert.equal((await b.browser.get('/settings/')).status, 200);
    // the default id_token lives 3600 s; max_id_token_age is 3600 too, so move to just inside both
    b.clock.t += 3600 - 5 - 1;
    b.h.oxd.clearCalls();
    assert.equal((await b.browser.get('/settings/')).status, 200);
    assert.deepEqual(b.h.oxd.commands(), []);
    // past exp − 5 the grant is gone while the id_token is still valid for the OIDC plugin
    b.clock.t += 2;
    b.h.oxd.unscript('uma-rp-get-rpt');
    const again = await b.browser.get('/settings/');
    assert.equal(again.status, 302);
    assert.deepEqual(b.h.oxd.commands(), ['get-client-token', 'uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url']);
  });
});

test('U11 (W8): get-rpt answers forbidden_by_policy → 502 "ocurred", the ticket is already cleared', async () => {
  await tutorial(async (b) => {
    await toGathering(b);
    await b.browser.get('/claims_callback?state=S&ticket=T3');
    b.h.oxd.script('uma-rp-get-rpt', () => ({ status: 403, body: { error: 'forbidden_by_policy', error_description: 'Forbidden by policy (policy returned false).' } }));
    const r = await b.browser.get('/settings/');
    assert.equal(r.status, 502);
    assert.deepEqual(r.json, OCURRED);
    b.h.oxd.unscript('uma-rp-get-rpt');
    b.h.oxd.clearCalls();
    const again = await b.browser.get('/settings/');
    assert.equal(again.status, 302, 'gathering again');
    assert.deepEqual(b.h.oxd.commands(), ['uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url']);
  });
});

test('U1–U3 at claims_redirect_path: no PEP session 400, no stored URL 400 (bodyless), ticket or state missing 400 JSON', async () => {
  await tutorial(async (b) => {
    await login(b);
    const none = await b.browser.get('/claims_callback?state=S&ticket=T');
    assert.equal(none.status, 400);
    assert.equal(none.text, '');
    await b.browser.get('/settings/');
    const missing = await b.browser.get('/claims_callback?error=invalid_ticket&state=S');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, { message: 'missed ticket or state argument(s)' });
    assert.equal((await b.browser.get('/claims_callback?state=S&ticket=T')).status, 302);
    const twice = await b.browser.get('/claims_callback?state=S&ticket=T');
    assert.equal(twice.status, 400);
    assert.equal(twice.text, '');
  });
});

test('paths outside the expression need the login only (deny_by_default false, U5); the post-logout page needs neither', async () => {
  await tutorial(async (b) => {
    assert.equal((await b.browser.get('/home/')).status, 302, 'login first');
    await login(b, '/home/');
    b.h.oxd.clearCalls();
    const home = await b.browser.get('/home/');
    assert.equal(home.status, 200);
    assert.deepEqual(b.h.oxd.commands(), []);
    const bye = await b.browser.get('/logout_redirect_uri', { noCookies: true });
    assert.equal(bye.status, 200);
  });
});

test('W5: logout deletes only the OIDC cookie; the PEP cookie and the grant cache survive; a copied OIDC cookie keeps working', async () => {
  await tutorial(async (b) => {
    await toGathering(b);
    await b.browser.get('/claims_callback?state=S&ticket=T3');
    b.h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-1' } }));
    b.h.oxd.activeRpt('RPT-1', { client_id: 'P' });
    assert.equal((await b.browser.get('/settings/')).status, 200);
    const copied = new Map(b.browser.jar.cookies);
    const out = await b.browser.get('/logout');
    assert.equal(out.status, 302);
    assert.equal(b.browser.jar.has('gluu_openid_connect_session'), false);
    assert.equal(b.browser.jar.has('gluu_uma_pep_session'), true);
    for (const [k, v] of copied) b.browser.jar.cookies.set(k, v);
    b.h.oxd.clearCalls();
    const replay = await b.browser.get('/settings/');
    assert.equal(replay.status, 200);
    assert.deepEqual(b.h.oxd.commands(), []);
  });
});

// ---- faults of tutorial 2 ----

test('fault session-cookie-script-readable: both session cookies without HttpOnly', async () => {
  await tutorial(async (b) => {
    const first = await b.browser.get('/settings/');
    assert.match(String([first.headers['set-cookie']].flat()[0]), /^gluu_openid_connect_session=[^;]+; Path=\/; SameSite=Lax$/);
    await b.browser.get(`/callback?code=C&state=${FakeOxd.state(1)}`);
    const need = await b.browser.get('/settings/');
    assert.match(String(pepCookie(need)), /; Path=\/; SameSite=Lax$/);
  }, ['session-cookie-script-readable']);
});

test('fault pep-serves-without-gathering: a logged-in user gets the protected page without RPT or gathering', async () => {
  await tutorial(async (b) => {
    const r = await toGathering(b);
    assert.equal(r.status, 200);
    assert.deepEqual(b.h.oxd.commands(), []);
  }, ['pep-serves-without-gathering']);
});

test('fault logout-keeps-session: logout redirects to end_session but the cookie stays valid', async () => {
  await withOidc({ faults: ['logout-keeps-session'] }, async (b) => {
    await login(b);
    const out = await b.browser.get('/logout');
    assert.equal(out.status, 302);
    assert.equal(out.headers['set-cookie'], undefined);
    assert.equal((await b.browser.get('/settings/')).status, 200);
  });
});

test('fault callback-skips-session-check: a browser without the session cookie is logged in by a replayed callback URL', async () => {
  await withOidc({ faults: ['callback-skips-session-check'] }, async (b) => {
    await b.browser.get('/settings/');
    b.browser.jar.cookies.clear();
    const r = await b.browser.get(`/callback?code=C&state=${FakeOxd.state(1)}`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${b.base}/`);
    assert.equal((await b.browser.get('/settings/')).status, 200);
  });
});

test('fault session-cookie-sent-upstream: the upstream sees gluu_openid_connect_session (clean: hidden)', async () => {
  for (const [faults, sees] of [[[], false], [['session-cookie-sent-upstream'], true]] as const) {
    await withOidc({ faults: [...faults] }, async (b) => {
      await login(b);
      const page = await b.browser.get('/settings/');
      assert.equal(page.status, 200);
      assert.equal(String(echoed(page).headers.cookie ?? '').includes('gluu_openid_connect_session='), sees);
    });
  }
});
