// gateway.md §11: gateway-driven claims gathering (obtain_rpt,
// redirect_claim_gathering_url, claims_redirect_path) with the
// gluu_uma_pep_session cookie; responses R13, R14, R15.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeOxd } from '../doubles/fake-oxd';
import { C_ID, echoed, HOST, P_OXD, startHarness, type Harness, type Reply } from './harness';

const CALLBACK = '/claims_callback';
const NGINX_302 = '<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n<center><h1>302 Found</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n';

async function withClaimsMode(pep: Record<string, unknown>, fn: (h: Harness, base: string) => Promise<void>): Promise<void> {
  const h = await startHarness();
  try {
    await h.tutorial({ pep: { obtain_rpt: true, redirect_claim_gathering_url: true, claims_redirect_path: CALLBACK, deny_by_default: false, ...pep } });
    h.oxd.activeRpt('ID', { client_id: C_ID });
    await fn(h, `http://${HOST}:${new URL(h.proxyUrl).port}`);
  } finally {
    await h.close();
  }
}

function sessionCookie(r: Reply): string {
  const set = r.headers['set-cookie'];
  const value = (Array.isArray(set) ? set : [String(set)]).find((c) => c.startsWith('gluu_uma_pep_session='));
  assert.ok(value, `no session cookie in ${JSON.stringify(set)}`);
  assert.match(value, /^gluu_uma_pep_session=[^;]+; Path=\/; SameSite=Lax; HttpOnly$/);
  return value.split(';')[0];
}

test('R15: need_info → 302 to oxd\'s claims-gathering URL, no-cache, session cookie; then the callback and the retry', async () => {
  await withClaimsMode({}, async (h, base) => {
    const first = await h.get('/posts/1?a=b', { Authorization: 'Bearer ID' });
    assert.equal(first.status, 302);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt', 'uma-rs-check-access', 'uma-rp-get-rpt', 'uma-rp-get-claims-gathering-url']);
    const [, , check, getRpt, claimsUrl] = h.oxd.calls;
    assert.equal(check.body.rpt, '');
    assert.deepEqual(getRpt.body, { oxd_id: P_OXD, ticket: FakeOxd.ticket(1) });
    assert.deepEqual(claimsUrl.body, { oxd_id: P_OXD, ticket: FakeOxd.ticket(2), claims_redirect_uri: `${base}${CALLBACK}` });
    assert.equal(first.headers.location, `https://as.example.org/oxauth/restv1/uma/gather_claims?client_id=C&ticket=${FakeOxd.ticket(2)}&claims_redirect_uri=${base}${CALLBACK}&state=d871gpie16np0f5kfv936sc33k`);
    assert.equal(first.headers['cache-control'], 'no-cache, no-store, max-age=0');
    assert.equal(first.headers['content-type'], 'text/html');
    assert.equal(first.text, NGINX_302);
    const cookie = sessionCookie(first);

    const back = await h.get(`${CALLBACK}?state=S1&ticket=T3`, { Cookie: cookie });
    assert.equal(back.status, 302);
    assert.equal(back.headers.location, `${base}/posts/1?a=b`);
    const cookie2 = sessionCookie(back);

    h.oxd.clearCalls();
    h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-new', token_type: 'Bearer', pct: 'PCT', updated: false } }));
    h.oxd.activeRpt('RPT-new', { client_id: C_ID });
    const retry = await h.get('/posts/1?a=b', { Authorization: 'Bearer ID', Cookie: `${cookie2}; other=1` });
    assert.equal(retry.status, 200);
    assert.deepEqual(h.oxd.commands(), ['uma-rp-get-rpt', 'uma-rs-check-access']);
    assert.deepEqual(h.oxd.calls[0].body, { oxd_id: P_OXD, ticket: 'T3', state: 'S1' });
    assert.equal(h.oxd.calls[1].body.rpt, 'RPT-new');
    assert.equal(echoed(retry).headers.cookie, 'other=1');
  });
});

test('R13: claims_redirect_path without a session → 400, empty body', async () => {
  await withClaimsMode({}, async (h) => {
    const r = await h.get(`${CALLBACK}?state=S&ticket=T`);
    assert.equal(r.status, 400);
    assert.equal(r.text, '');
    assert.equal(r.headers['content-length'], '0');
    assert.equal(r.headers.server, 'kong/2.2.1');
  });
});

test('R13: a session without a stored original URL → 400', async () => {
  await withClaimsMode({}, async (h) => {
    const first = await h.get('/posts/1', { Authorization: 'Bearer ID' });
    const back = await h.get(`${CALLBACK}?state=S&ticket=T`, { Cookie: sessionCookie(first) });
    const again = await h.get(`${CALLBACK}?state=S&ticket=T`, { Cookie: sessionCookie(back) });
    assert.equal(again.status, 400);
    assert.equal(again.text, '');
  });
});

test('R14: ticket or state missing on the callback → 400 with a message', async () => {
  await withClaimsMode({}, async (h) => {
    const first = await h.get('/posts/1', { Authorization: 'Bearer ID' });
    const cookie = sessionCookie(first);
    for (const query of ['?ticket=T', '?state=S', '']) {
      const r = await h.get(`${CALLBACK}${query}`, { Cookie: cookie });
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(r.json, { message: 'missed ticket or state argument(s)' });
    }
  });
});

test('R14 is Lua truthiness of get_uri_args: an empty ticket=, a bare ticket and a repeated one are stored and sent to oxd, whose refusal is a 502', async () => {
  await withClaimsMode({}, async (h) => {
    const cases: [query: string, ticket: unknown, state: unknown][] = [
      ['?state=S&ticket=', '', 'S'],
      ['?state=&ticket=T', 'T', ''],
      ['?state=S&ticket', true, 'S'],
      ['?state=S&ticket=A&ticket=B', ['A', 'B'], 'S'],
    ];
    for (const [query, ticket, state] of cases) {
      const first = await h.get('/posts/1', { Authorization: 'Bearer ID' });
      assert.equal(first.status, 302);
      const back = await h.get(`${CALLBACK}${query}`, { Cookie: sessionCookie(first) });
      assert.equal(back.status, 302, query);
      h.oxd.clearCalls();
      // oxd answers 400 to each: "" → invalid_ticket_parameter, true → "true" at the AS → invalid_ticket, a list → Jackson's
      // plain-text 400 (what the sandbox oxd answers); GG only looks at the status.
      h.oxd.script('uma-rp-get-rpt', () => ({ status: 400, body: { error: 'invalid_ticket_parameter', error_description: 'ticket parameter is not specified or otherwise is not valid' } }));
      const retry = await h.get('/posts/1', { Authorization: 'Bearer ID', Cookie: sessionCookie(back) });
      assert.equal(retry.status, 502, query);
      assert.equal(retry.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(retry.json, { message: 'An unexpected error ocurred' });
      assert.deepEqual(h.oxd.commands(), ['uma-rp-get-rpt'], query);
      // `if state then requestBody.state = state`: "" is true in Lua, so it is sent too.
      assert.deepEqual(h.oxd.calls[0].body, { oxd_id: P_OXD, ticket, state }, query);
      h.oxd.script('uma-rp-get-rpt', () => undefined);
    }
  });
});

test('§11 get-rpt errors other than need_info are 502; so is need_info without redirect_claim_gathering_url', async () => {
  await withClaimsMode({}, async (h) => {
    h.oxd.script('uma-rp-get-rpt', () => ({ status: 403, body: { error: 'forbidden_by_policy' } }));
    const r = await h.get('/posts/1', { Authorization: 'Bearer ID' });
    assert.deepEqual([r.status, r.json], [502, { message: 'An unexpected error ocurred' }]);
  });
  await withClaimsMode({ redirect_claim_gathering_url: false }, async (h) => {
    const r = await h.get('/posts/1', { Authorization: 'Bearer ID' });
    assert.deepEqual([r.status, r.json], [502, { message: 'An unexpected error ocurred' }]);
  });
});

test('§11 claims-gathering URL failures (non-200, no url, unreachable) are 502', async () => {
  for (const answer of [{ status: 400, body: { error: 'invalid_ticket_parameter' } }, { status: 200, body: { state: 's' } }, 'unreachable' as const]) {
    await withClaimsMode({}, async (h) => {
      h.oxd.script('uma-rp-get-claims-gathering-url', () => answer);
      const r = await h.get('/posts/1', { Authorization: 'Bearer ID' });
      assert.deepEqual([r.status, r.json], [502, { message: 'An unexpected error ocurred' }]);
    });
  }
});

test('§11 pushed_claims_lua_exp: claim_token is an alg-none JWT of the value, with the IDToken format', async () => {
  await withClaimsMode({ pushed_claims_lua_exp: 'id_token.client_id', redirect_claim_gathering_url: false }, async (h) => {
    h.oxd.script('uma-rp-get-rpt', () => ({ status: 200, body: { access_token: 'RPT-p' } }));
    h.oxd.activeRpt('RPT-p', { client_id: C_ID });
    assert.equal((await h.get('/posts/1', { Authorization: 'Bearer ID' })).status, 200);
    const call = h.oxd.calls.find((c) => c.command === 'uma-rp-get-rpt');
    assert.ok(call);
    assert.equal(call.body.claim_token_format, 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken');
    const [head, payload, sig] = String(call.body.claim_token).split('.');
    assert.deepEqual(JSON.parse(Buffer.from(head, 'base64').toString()), { typ: 'JWT', alg: 'none' });
    assert.equal(JSON.parse(Buffer.from(payload, 'base64').toString()), C_ID);
    assert.equal(sig, '');
  });
});

test('§11 (4.2.2) read_claims_from_pct: custom_parameters.pct from config, else from /get-rp sent without a token', async () => {
  await withClaimsMode({ read_claims_from_pct: true, claims_gathering_pct_value: 'PCT-conf' }, async (h) => {
    await h.get('/posts/1', { Authorization: 'Bearer ID' });
    const call = h.oxd.calls.find((c) => c.command === 'uma-rp-get-claims-gathering-url');
    assert.deepEqual(call?.body.custom_parameters, { pct: 'PCT-conf' });
  });
  await withClaimsMode({ read_claims_from_pct: true }, async (h) => {
    h.oxd.script('get-rp', () => ({ status: 200, body: { node: { rpt_pct: 'PCT-rp' } } }));
    await h.get('/posts/1', { Authorization: 'Bearer ID' });
    const getRp = h.oxd.calls.find((c) => c.command === 'get-rp');
    assert.deepEqual(getRp?.body, { oxd_id: P_OXD });
    assert.equal(getRp?.authorization, undefined);
    const call = h.oxd.calls.find((c) => c.command === 'uma-rp-get-claims-gathering-url');
    assert.deepEqual(call?.body.custom_parameters, { pct: 'PCT-rp' });
  });
});

test('§11 the callback path is only special with redirect_claim_gathering_url=true', async () => {
  await withClaimsMode({ redirect_claim_gathering_url: false }, async (h) => {
    const r = await h.get(`${CALLBACK}?state=S&ticket=T`);
    assert.equal(r.status, 200, 'unprotected and deny_by_default=false: proxied');
    assert.equal(echoed(r).path, CALLBACK);
  });
});
