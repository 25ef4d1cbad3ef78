// oxd.md §2.1: which commands check the caller's token, the order of the
// checks, and each error with its exact body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness, bearer, type Site } from './harness';

const HINT = 'Command is protected by access_token, please provide valid token or otherwise switch off protection in configuration with protect_commands_with_access_token=false';
const BLANK = { error: 'blank_access_token', error_description: `access_token is blank. ${HINT}` };
const INVALID = { error: 'invalid_access_token', error_description: `Invalid access_token. ${HINT}` };
const INACTIVE = { error: 'inactive_access_token', error_description: `Inactive access_token. ${HINT}` };
const INSUFFICIENT = {
  error: 'access_token_insufficient_scope',
  error_description:
    "access_token does not have `oxd` scope. Make sure a) scope exists on AS b) register_site is registered with 'oxd' scope c) get_client_token has 'oxd' scope in request",
};
const INVALID_OXD_ID = {
  error: 'invalid_oxd_id',
  error_description:
    'Invalid oxd_id. Unable to find the site for oxd_id. It does not exist or has been removed from the server. Please use the register_site command to register a site.',
};
const UNHANDLED = /^There was an error processing your request\. It has been logged \(ID [0-9a-f]{16}\)\.$/;

/** A protected command whose own validation comes after the token check. */
const checkAccess = (site: Site) => ({ oxd_id: site.oxd_id, rpt: '', path: '/posts/??', http_method: 'GET' });

describe('token-protected commands (oxd.md §2.1)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  before(async () => {
    h = await OxdHarness.start();
    ({ site, token } = await h.protectedSite());
  });
  after(() => h.close());

  test('step 2: no Authorization header → 403 blank_access_token, for every protected command', async () => {
    for (const path of ['/introspect-access-token', '/uma-rs-protect', '/uma-rs-check-access', '/introspect-rpt', '/uma-rp-get-rpt', '/uma-rp-get-claims-gathering-url', '/get-access-token-by-refresh-token']) {
      const r = await h.post(path, { oxd_id: site.oxd_id });
      assert.equal(r.status, 403, path);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json, BLANK, path);
    }
  });

  test('step 2: an empty Authorization value is blank; "Bearer " is cut by length and the prefix is not checked', async () => {
    const empty = await h.post('/uma-rs-check-access', checkAccess(site), { Authorization: '' });
    assert.equal(empty.status, 403);
    assert.deepEqual(empty.json, BLANK);
    // HTTP drops trailing whitespace, so "Bearer " arrives as "Bearer" (6 characters): substring(7) fails.
    const bare = await h.post('/uma-rs-check-access', checkAccess(site), { Authorization: 'Bearer ' });
    assert.equal(bare.status, 500);
    assert.match((bare.json as { message: string }).message, UNHANDLED);
    const shorterPrefix = await h.post('/uma-rs-check-access', checkAccess(site), { Authorization: `Token ${token}` });
    assert.equal(shorterPrefix.status, 403, 'seven characters are dropped: here the first one of the token too');
    assert.deepEqual(shorterPrefix.json, INACTIVE);
    const anyPrefix = await h.post('/uma-rs-check-access', checkAccess(site), { Authorization: `Token: ${token}` });
    assert.equal(anyPrefix.status, 200, 'any 7-character prefix works');
  });

  test('step 2: a header shorter than 7 characters → the container 500', async () => {
    const r = await h.post('/uma-rs-check-access', checkAccess(site), { Authorization: 'Bear' });
    assert.equal(r.status, 500);
    assert.equal((r.json as { code: number }).code, 500);
    assert.match((r.json as { message: string }).message, UNHANDLED);
  });

  test('step 3: an unknown or inactive token → 403 inactive_access_token', async () => {
    const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer('not-a-token'));
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, INACTIVE);
  });

  test('step 3: the token is introspected at the OIDC introspection endpoint with the site client\'s own token', async () => {
    const before = h.fake.calls.length;
    const r = await h.post('/introspect-rpt', { oxd_id: site.oxd_id, rpt: 'x' }, bearer(token));
    assert.equal(r.status, 200);
    const calls = h.fake.calls.slice(before).filter((c) => c.path === '/oxauth/restv1/introspection');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].form?.get('token'), token);
    const presented = String(calls[0].headers.authorization).replace(/^Bearer /, '');
    const owner = h.fake.accessTokens.get(presented);
    assert.equal(owner?.clientId, site.client_id);
    assert.deepEqual(owner?.scopes, ['openid'], 'oxd obtains an OAuth token with scope openid (UmaTokenService.getOAuthToken)');
  });

  test('step 4: a token without the oxd scope → 403 access_token_insufficient_scope', async () => {
    const r0 = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: h.fake.url, scope: ['openid'] });
    const noOxd = (r0.json as { access_token: string }).access_token;
    const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer(noOxd));
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, INSUFFICIENT);
  });

  test('step 4 needs the scope on the client: a site registered with the default scopes cannot get an oxd token', async () => {
    const plain = await h.registerSite({ scope: undefined });
    const t = await h.clientToken(plain);
    const r = await h.post('/introspect-rpt', { oxd_id: plain.oxd_id, rpt: 'x' }, bearer(t));
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, INSUFFICIENT);
  });

  test("step 5: another client's token → 403 invalid_access_token", async () => {
    const other = await h.registerSite();
    const otherToken = await h.clientToken(other);
    const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer(otherToken));
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, INVALID);
  });

  test('an unknown oxd_id → 400 invalid_oxd_id, before the AS is asked about the token', async () => {
    const before = h.fake.calls.length;
    const r = await h.post('/uma-rs-check-access', { ...checkAccess(site), oxd_id: 'no-such-site' }, bearer('garbage'));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, INVALID_OXD_ID);
    assert.equal(h.fake.calls.length, before, 'no AS call');
  });

  test('a missing oxd_id with a token → the container 500; without a token step 2 fires first', async () => {
    const r = await h.post('/uma-rs-check-access', { rpt: '', path: '/posts/??', http_method: 'GET' }, bearer(token));
    assert.equal(r.status, 500);
    assert.match((r.json as { message: string }).message, UNHANDLED);
    const noToken = await h.post('/uma-rs-check-access', { rpt: '' });
    assert.equal(noToken.status, 403);
    assert.deepEqual(noToken.json, BLANK);
  });

  test('an introspection answer without client_id → 500 invalid_introspection_response', async () => {
    h.fake.introspectionWithoutClientId = true;
    try {
      const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer(token));
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, {
        error: 'invalid_introspection_response',
        error_description:
          'AS returned introspection response with empty/blank client_id which is required by oxd. Please check your AS installation and make sure AS return client_id for introspection call (CE 3.1.0 or later).',
      });
    } finally {
      h.fake.introspectionWithoutClientId = false;
    }
  });

  test('the AS failing the introspection → the container 500 (the check runs outside the Processor)', async () => {
    h.fake.failNext('POST /oxauth/restv1/introspection', 503, 'down', 'text/plain');
    const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer(token));
    assert.equal(r.status, 500);
    assert.match((r.json as { message: string }).message, UNHANDLED);
  });

  test('introspection 401 → oxd refreshes its own OAuth token and retries once', async () => {
    h.fake.failNext('POST /oxauth/restv1/introspection', 401, '{"error":"invalid_client"}');
    const tokensBefore = h.fake.callsTo('POST', '/oxauth/restv1/token').length;
    const r = await h.post('/uma-rs-check-access', checkAccess(site), bearer(token));
    assert.equal(r.status, 200);
    const tokenCalls = h.fake.callsTo('POST', '/oxauth/restv1/token').slice(tokensBefore);
    assert.equal(tokenCalls.filter((c) => c.form?.get('scope') === 'openid').length, 1);
  });

  test('open commands ignore Authorization entirely (update-site, remove-site, register-site, get-client-token, get-jwks)', async () => {
    const garbage = bearer('garbage');
    const upd = await h.post('/update-site', { oxd_id: site.oxd_id }, garbage);
    assert.equal(upd.status, 200);
    assert.deepEqual(upd.json, { oxd_id: site.oxd_id });
    const tok = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: h.fake.url, scope: ['openid', 'oxd'] }, garbage);
    assert.equal(tok.status, 200);
    const jwks = await h.post('/get-jwks', { op_host: h.fake.url }, garbage);
    assert.equal(jwks.status, 200);
    const other = await h.registerSite();
    const rm = await h.post('/remove-site', { oxd_id: other.oxd_id }, { ...garbage, AuthorizationOxdId: 'nonsense' });
    assert.equal(rm.status, 200);
  });
});

describe('AuthorizationOxdId (oxd.md §2.1 step 1)', () => {
  test('unknown → 400 authorization_oxd_id_not_found, before the Authorization header is looked at', async () => {
    const h = await OxdHarness.start();
    try {
      const site = await h.registerSite();
      const r = await h.post('/uma-rs-check-access', checkAccess(site), { AuthorizationOxdId: 'no-such-site' });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, { error: 'authorization_oxd_id_not_found', error_description: '`oxd_id` in `AuthorizationOxdId` header is not registered in oxd.' });
    } finally {
      await h.close();
    }
  });

  test('known, but not in a non-empty protect_commands_with_oxd_id → 400 invalid_authorization_oxd_id', async () => {
    const h = await OxdHarness.start({ config: { protectCommandsWithOxdId: ['some-other-oxd-id'] } });
    try {
      const site = await h.registerSite();
      const r = await h.post('/uma-rs-check-access', checkAccess(site), { AuthorizationOxdId: site.oxd_id });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, {
        error: 'invalid_authorization_oxd_id',
        error_description:
          '`oxd_id` in `AuthorizationOxdId` header is invalid. The `AuthorizationOxdId` header should contain `oxd_id` from `protect_commands_with_oxd_id` field in oxd-server.yml.',
      });
    } finally {
      await h.close();
    }
  });

  test("the header's site is the one the token is checked against; then an unknown or missing body oxd_id fails (step 6)", async () => {
    const h = await OxdHarness.start();
    try {
      const { site: a } = await h.protectedSite();
      const b = await h.registerSite();
      const tokenB = await h.clientToken(b);
      const headers = { ...bearer(tokenB), AuthorizationOxdId: b.oxd_id };
      const ok = await h.post('/uma-rs-check-access', checkAccess(a), headers);
      assert.equal(ok.status, 200, "B's token passes with B in the header although the body names A");
      assert.equal((ok.json as { access: string }).access, 'denied');
      const unknown = await h.post('/uma-rs-check-access', { ...checkAccess(a), oxd_id: 'no-such-site' }, headers);
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.json, INVALID_OXD_ID);
      const missing = await h.post('/uma-rs-check-access', { rpt: '', path: '/posts/??', http_method: 'GET' }, headers);
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.json, { error: 'bad_request', error_description: 'oxd_id is empty or not specified or is otherwise invalid (not registered).' });
    } finally {
      await h.close();
    }
  });

  test('protect_commands_with_access_token: false skips the token check', async () => {
    const h = await OxdHarness.start({ config: { protectCommandsWithAccessToken: false } });
    try {
      const { site } = await h.protectedSite();
      const r = await h.post('/uma-rs-check-access', checkAccess(site));
      assert.equal(r.status, 200);
      assert.equal((r.json as { access: string }).access, 'denied');
    } finally {
      await h.close();
    }
  });
});
