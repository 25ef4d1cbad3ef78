// get-user-info (oidc-uma.md §3.2 O6; GetUserInfoOperation) and
// get-logout-uri (§3.6 step 7; GetLogoutUrlOperation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness } from './harness';
import { assertSwaggerRequest } from './swagger';
import { TEST_USER_CLAIMS } from '../doubles/fake-oidc-op';
import { GG, ggSite, logIn, oxdError, withGgSite, type GgSite } from './oidc-helpers';

const INTERNAL = oxdError('internal_error', 'Unknown internal server error occurs.');

async function accessToken(h: OxdHarness, g: GgSite): Promise<{ accessToken: string; idToken: string; sub: string }> {
  const { r } = await logIn(h, g);
  assert.equal(r.status, 200, r.text);
  const out = r.json as { access_token: string; id_token: string; id_token_claims: { sub: string } };
  return { accessToken: out.access_token, idToken: out.id_token, sub: out.id_token_claims.sub };
}

describe('get-user-info', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  test("GG's call: the AS userinfo JSON, as it is, with 200; the AS is asked with GET and Authorization: Bearer", async () => {
    const t = await accessToken(h, g);
    const body = { oxd_id: g.site.oxd_id, access_token: t.accessToken };
    assertSwaggerRequest('/get-user-info', body);
    const r = await h.post('/get-user-info', body, g.headers);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json, { sub: t.sub, ...TEST_USER_CLAIMS });
    assert.deepEqual(Object.keys(r.json as object), ['sub', ...Object.keys(TEST_USER_CLAIMS)], 'member order kept');
    const call = h.fake.callsTo('GET', '/oxauth/restv1/userinfo').at(-1);
    assert.equal(call?.headers.authorization, `Bearer ${t.accessToken}`);
  });

  test('O6: the AS refuses the token (401 invalid_token) → oxd still answers 200 with the AS error JSON', async () => {
    const r = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: 'not-a-token' }, g.headers);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { error: 'invalid_token', error_description: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.' });
  });

  test('null members of the AS answer are kept (a JSON tree, not a bean)', async () => {
    h.fake.failNext('GET /oxauth/restv1/userinfo', 200, '{"sub":"s1","picture":null,"email_verified":false}');
    const r = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: 'x' }, g.headers);
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"sub":"s1","picture":null,"email_verified":false}');
  });

  test('a non-JSON AS answer → 500 internal_error; an empty one → 200 null (unverified)', async () => {
    h.fake.failNext('GET /oxauth/restv1/userinfo', 502, '<html>bad gateway</html>', 'text/html');
    const html = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: 'x' }, g.headers);
    assert.equal(html.status, 500);
    assert.deepEqual(html.json, INTERNAL);
    h.fake.failNext('GET /oxauth/restv1/userinfo', 200, '');
    const empty = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: 'x' }, g.headers);
    assert.equal(empty.status, 200);
    assert.equal(empty.text, 'null');
  });

  test('no access_token: no Authorization header at the AS, its 401 answered with 200', async () => {
    const r = await h.post('/get-user-info', { oxd_id: g.site.oxd_id }, g.headers);
    assert.equal(r.status, 200);
    assert.equal((r.json as { error: string }).error, 'invalid_token');
    assert.equal(h.fake.callsTo('GET', '/oxauth/restv1/userinfo').at(-1)?.headers.authorization, undefined);
  });

  test('authorization: no token → 403 blank_access_token; unknown oxd_id → 400 invalid_oxd_id', async () => {
    const none = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: 'x' });
    assert.equal(none.status, 403);
    assert.equal((none.json as { error: string }).error, 'blank_access_token');
    const unknown = await h.post('/get-user-info', { oxd_id: '00000000-0000-4000-8000-000000000000', access_token: 'x' }, g.headers);
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { error: string }).error, 'invalid_oxd_id');
  });
});

describe('get-user-info with validate_user_info_with_id_token', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s), { config: { validateUserInfoWithIdToken: true } });

  test('the userinfo sub must equal the id_token sub when id_token is sent', async () => {
    const t = await accessToken(h, g);
    const ok = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: t.accessToken, id_token: t.idToken }, g.headers);
    assert.equal(ok.status, 200);
    h.fake.failNext('GET /oxauth/restv1/userinfo', 200, '{"sub":"someone-else"}');
    const other = await h.post('/get-user-info', { oxd_id: g.site.oxd_id, access_token: t.accessToken, id_token: t.idToken }, g.headers);
    assert.equal(other.status, 500);
    assert.deepEqual(other.json, oxdError('invalid_subject_identifier', 'UserInfo `sub` value does not matches with `sub` value of ID_TOKEN.'));
  });
});

describe('get-logout-uri', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  test("GG's call: end_session?post_logout_redirect_uri=<encoded>&id_token_hint=<raw> (4.2.2+)", async () => {
    const body = { oxd_id: g.site.oxd_id, id_token_hint: 'eyJh.eyJp.c2ln', post_logout_redirect_uri: `${GG}/logout_redirect_uri` };
    assertSwaggerRequest('/get-logout-uri', body);
    const r = await h.post('/get-logout-uri', body, g.headers);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json, {
      uri: `${h.fake.url}/oxauth/restv1/end_session?post_logout_redirect_uri=https%3A%2F%2Fgg.example.org%2Flogout_redirect_uri&id_token_hint=eyJh.eyJp.c2ln`,
    });
  });

  test('state (raw) and session_state (raw) between the redirect URI and the hint', async () => {
    const r = await h.post('/get-logout-uri', { oxd_id: g.site.oxd_id, id_token_hint: 'h', post_logout_redirect_uri: 'https://x/y?a=b', state: 's 1', session_state: 'ss' }, g.headers);
    assert.deepEqual(r.json, { uri: `${h.fake.url}/oxauth/restv1/end_session?post_logout_redirect_uri=https%3A%2F%2Fx%2Fy%3Fa%3Db&state=s 1&session_state=ss&id_token_hint=h` });
  });

  test("without post_logout_redirect_uri none is sent (the site's registered list is not used); without a hint only the endpoint", async () => {
    const hintOnly = await h.post('/get-logout-uri', { oxd_id: g.site.oxd_id, id_token_hint: 'h' }, g.headers);
    assert.deepEqual(hintOnly.json, { uri: `${h.fake.url}/oxauth/restv1/end_session?id_token_hint=h` });
    const bare = await h.post('/get-logout-uri', { oxd_id: g.site.oxd_id }, g.headers);
    assert.deepEqual(bare.json, { uri: `${h.fake.url}/oxauth/restv1/end_session` });
  });

  test('authorization: no token → 403 blank_access_token', async () => {
    const r = await h.post('/get-logout-uri', { oxd_id: g.site.oxd_id });
    assert.equal(r.status, 403);
    assert.equal((r.json as { error: string }).error, 'blank_access_token');
  });
});

describe('get-logout-uri when the OP has no end_session_endpoint', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('500 no_end_session_endpoint_at_op', async () => {
    h.fake.oidcConfigurationOverrides.end_session_endpoint = undefined;
    const g = await ggSite(h);
    const r = await h.post('/get-logout-uri', { oxd_id: g.site.oxd_id, id_token_hint: 'h' }, g.headers);
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, oxdError('no_end_session_endpoint_at_op', 'OP does not provide end_session_endpoint at /.well-known/openid-configuration.'));
  });
});
