// get-client-token, introspect-access-token, get-jwks,
// get-access-token-by-refresh-token (oxd.md §4.4, §4.5, §4.11).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness, bearer, type Site } from './harness';
import { assertSwagger } from './swagger';

const INTERNAL = { error: 'internal_error', error_description: 'Unknown internal server error occurs.' };

describe('get-client-token (oxd.md §4.4)', () => {
  let h: OxdHarness;
  let site: Site;
  before(async () => {
    h = await OxdHarness.start();
    site = await h.registerSite();
  });
  after(() => h.close());

  test('client credentials at the AS, openid always added; scope answered as a list, no refresh_token', async () => {
    const before = h.fake.calls.length;
    const r = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: h.fake.url, scope: ['oxd'] });
    assert.equal(r.status, 200);
    assertSwagger('/get-client-token', r.json);
    const body = r.json as { access_token: string };
    assert.deepEqual(r.json, { access_token: body.access_token, expires_in: 299, scope: ['openid', 'oxd'] });
    assert.equal(h.fake.accessTokens.get(body.access_token)?.clientId, site.client_id);
    const call = h.fake.calls.slice(before).find((c) => c.path === '/oxauth/restv1/token');
    assert.equal(call?.form?.get('grant_type'), 'client_credentials');
    assert.equal(call?.form?.get('scope'), 'openid oxd', 'a HashSet: openid before oxd');
    const basic = Buffer.from(String(call?.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    // oxAuth BaseRequest.getCredentials: URLEncoder.encode(id) + ":" + URLEncoder.encode(secret).
    assert.equal(basic, `${site.client_id.replace(/@/g, '%40').replace(/!/g, '%21')}:${site.client_secret}`);
  });

  test('bad credentials or a token-less answer → 500 internal_error (not 401)', async () => {
    const bad = await h.post('/get-client-token', { client_id: site.client_id, client_secret: 'wrong', op_host: h.fake.url, scope: ['oxd'] });
    assert.equal(bad.status, 500);
    assert.deepEqual(bad.json, INTERNAL);
    h.fake.failNext('POST /oxauth/restv1/token', 200, '{"token_type":"bearer"}');
    const empty = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: h.fake.url });
    assert.equal(empty.status, 500);
    assert.deepEqual(empty.json, INTERNAL);
  });

  test('no op_host → 500 internal_error; an unreachable OP → 500 no_connect_discovery_response', async () => {
    const none = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret });
    assert.equal(none.status, 500);
    assert.deepEqual(none.json, INTERNAL);
    const down = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: 'http://127.0.0.1:1' });
    assert.equal(down.status, 500);
    assert.deepEqual(down.json, { error: 'no_connect_discovery_response', error_description: 'Unable to fetch Connect discovery response /.well-known/openid-configuration' });
  });
});

describe('introspect-access-token (oxd.md §4.5)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  before(async () => {
    h = await OxdHarness.start();
    site = await h.registerSite();
    token = await h.clientToken(site);
  });
  after(() => h.close());

  test('an active token: the AS introspection with scope as a list', async () => {
    const r = await h.post('/introspect-access-token', { oxd_id: site.oxd_id, access_token: token }, bearer(token));
    assert.equal(r.status, 200);
    assertSwagger('/introspect-access-token', r.json);
    const t = h.fake.accessTokens.get(token);
    assert.deepEqual(r.json, {
      active: true,
      scope: ['openid', 'oxd'],
      client_id: site.client_id,
      token_type: 'bearer',
      exp: t?.exp,
      iat: t?.iat,
      aud: site.client_id,
      iss: h.fake.issuer,
    });
  });

  test('an unknown token: {"active":false}', async () => {
    const r = await h.post('/introspect-access-token', { oxd_id: site.oxd_id, access_token: 'nope' }, bearer(token));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { active: false });
    assertSwagger('/introspect-access-token', r.json);
  });
});

describe('get-jwks (oxd.md §4.11) and get-access-token-by-refresh-token', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('get-jwks: the AS JWKS, no token needed', async () => {
    await h.registerSite(); // the first RP save: absent JWK members left out (shared-mapper.test.ts shows the form before it)
    const r = await h.post('/get-jwks', { op_host: h.fake.url });
    assert.equal(r.status, 200);
    assertSwagger('/get-jwks', r.json);
    const keys = (r.json as { keys: Record<string, unknown>[] }).keys;
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0]), ['kid', 'kty', 'use', 'alg', 'exp', 'x5c', 'n', 'e']);
    assert.equal(keys[0].kid, 'a1b2c3d4-sig-rs256');
  });

  test('get-jwks errors: no OP → 400; an unreachable OP → 500 internal_error (wrapped)', async () => {
    const none = await h.post('/get-jwks', {});
    assert.equal(none.status, 400);
    assert.deepEqual(none.json, {
      error: 'invalid_op_host_and_configuration_endpoint',
      error_description: 'Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined.',
    });
    const down = await h.post('/get-jwks', { op_host: 'http://127.0.0.1:1' });
    assert.equal(down.status, 500);
    assert.deepEqual(down.json, INTERNAL);
  });

  test('get-access-token-by-refresh-token: token required; blank refresh_token → 400; AS refusal → 500', async () => {
    const site = await h.registerSite();
    const token = await h.clientToken(site);
    const blank = await h.post('/get-access-token-by-refresh-token', { oxd_id: site.oxd_id }, bearer(token));
    assert.equal(blank.status, 400);
    assert.deepEqual(blank.json, { error: 'bad_request', error_description: "'refresh token' is empty or not specified." });
    const refused = await h.post('/get-access-token-by-refresh-token', { oxd_id: site.oxd_id, refresh_token: 'r1', scope: ['oxd'] }, bearer(token));
    assert.equal(refused.status, 500);
    assert.deepEqual(refused.json, INTERNAL);
    const call = h.fake.callsTo('POST', '/oxauth/restv1/token').at(-1);
    assert.equal(call?.form?.get('grant_type'), 'refresh_token');
    assert.equal(call?.form?.get('refresh_token'), 'r1');
    h.fake.failNext('POST /oxauth/restv1/token', 200, JSON.stringify({ access_token: 'a2', token_type: 'bearer', expires_in: 299, refresh_token: 'r2', scope: 'openid oxd' }));
    const ok = await h.post('/get-access-token-by-refresh-token', { oxd_id: site.oxd_id, refresh_token: 'r1' }, bearer(token));
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { access_token: 'a2', expires_in: 299, refresh_token: 'r2', scope: ['openid', 'oxd'] });
    assertSwagger('/get-access-token-by-refresh-token', ok.json);
  });
});
