// get-tokens-by-code (oidc-uma.md §3.10; GetTokensByCodeOperation, Validator):
// the state and nonce rules (W1, W2), the code grant, the id_token checks
// and their order, the answer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { javaStringSetOrder } from '../../../sandbox/oxd/java-compat';
import type { OxdHarness } from './harness';
import { assertSwaggerRequest } from './swagger';
import { authorize, codeFor, GG, ggSite, logIn, oxdError, withGgSite, type GgSite } from './oidc-helpers';
import type { CodeScript } from '../doubles/fake-oidc-op';

const INTERNAL = oxdError('internal_error', 'Unknown internal server error occurs.');
const NOT_REGISTERED = oxdError('bad_request', "'state' is not registered.");

describe('get-tokens-by-code: success', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  test('200 {access_token, expires_in, id_token, refresh_token, id_token_claims}; the code grant with client_secret_basic and the first redirect URI', async () => {
    const a = await authorize(h, g);
    const code = codeFor(h, g, a.nonce);
    const body = { oxd_id: g.site.oxd_id, code, state: a.state };
    assertSwaggerRequest('/get-tokens-by-code', body);
    const before = h.fake.calls.length;
    const r = await h.post('/get-tokens-by-code', body, g.headers);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json');
    const out = r.json as { access_token: string; expires_in: number; id_token: string; refresh_token: string; id_token_claims: Record<string, unknown> };
    assert.deepEqual(Object.keys(out), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'id_token_claims']);
    assert.equal(out.expires_in, 299);
    assert.ok(h.fake.oidc.userInfoTokens.has(out.access_token), 'the AS access token');
    const claims = decodeJwt(out.id_token);
    assert.deepEqual(out.id_token_claims, claims);
    assert.equal(out.id_token_claims.nonce, a.nonce);
    assert.equal(out.id_token_claims.aud, g.site.client_id);
    // org.json writes the claims in HashMap order.
    assert.deepEqual(Object.keys(out.id_token_claims), javaStringSetOrder(Object.keys(claims)));
    const token = h.fake.calls.slice(before).filter((c) => c.path === '/oxauth/restv1/token');
    assert.equal(token.length, 1);
    assert.equal(token[0].body, `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(`${GG}/callback`)}`);
    assert.match(String(token[0].headers.authorization), /^Basic /);
    assert.equal(token[0].headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('the state is deleted after use: the same state again → 400 not registered, before any AS call', async () => {
    const { r, a } = await logIn(h, g);
    assert.equal(r.status, 200);
    const tokenCalls = () => h.fake.callsTo('POST', '/oxauth/restv1/token').length;
    const before = tokenCalls();
    const again = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: a.state }, g.headers);
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, NOT_REGISTERED);
    assert.equal(tokenCalls(), before, 'no token request');
  });

  test('W2: the nonce is not consumed and any registered nonce passes, not only the one of this state', async () => {
    const first = await authorize(h, g);
    const second = await authorize(h, g);
    // the id_token carries the first request's nonce, the callback the second request's state
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, first.nonce), state: second.state }, g.headers);
    assert.equal(r.status, 200, r.text);
    const again = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, first.nonce), state: first.state }, g.headers);
    assert.equal(again.status, 200, 'the nonce is still registered');
  });

  test('W1: the state store is global: a state issued for another RP is accepted', async () => {
    const other = await ggSite(h);
    const a = await authorize(h, other);
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: a.state }, g.headers);
    assert.equal(r.status, 200, r.text);
  });

  test('a state handed out by uma-rp-get-claims-gathering-url (same table) passes as an authorization state; a nonce does too', async () => {
    const cg = await h.post('/uma-rp-get-claims-gathering-url', { oxd_id: g.site.oxd_id, ticket: 't-1', claims_redirect_uri: `${GG}/claims_callback` }, g.headers);
    assert.equal(cg.status, 200, cg.text);
    const claimsState = (cg.json as { state: string }).state;
    const a = await authorize(h, g);
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: claimsState }, g.headers);
    assert.equal(r.status, 200, r.text);
    const b = await authorize(h, g);
    const asNonce = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, b.nonce), state: b.nonce }, g.headers);
    assert.equal(asNonce.status, 200, 'type is not part of the lookup');
  });

  test('a caller-supplied state from get-authorization-url is registered as given', async () => {
    const a = await authorize(h, g, { state: 'caller-state-1' });
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: 'caller-state-1' }, g.headers);
    assert.equal(r.status, 200, r.text);
  });

  test('no refresh_token from the AS → left out; no expires_in → -1', async () => {
    const { r } = await logIn(h, g, { omitRefreshToken: true, omitExpiresIn: true });
    assert.equal(r.status, 200, r.text);
    const out = r.json as Record<string, unknown>;
    assert.equal('refresh_token' in out, false);
    assert.equal(out.expires_in, -1);
  });

  test('at_hash absent → not checked; an HS256 id_token signed with the client secret passes', async () => {
    assert.equal((await logIn(h, g, { claims: { at_hash: undefined } })).r.status, 200);
    assert.equal((await logIn(h, g, { signWith: 'client-secret' })).r.status, 200);
  });

  test('aud as a list holding the client with azp = client_id passes', async () => {
    const { r } = await logIn(h, g, { claims: { aud: [g.site.client_id, 'other'], azp: g.site.client_id } });
    assert.equal(r.status, 200, r.text);
  });

  test("client_secret_post when the site registered it: client_id and client_secret in the form, no Authorization", async () => {
    const post = await ggSite(h, { client_token_endpoint_auth_method: 'client_secret_post' });
    const before = h.fake.calls.length;
    const { r, code } = await logIn(h, post);
    assert.equal(r.status, 200, r.text);
    const call = h.fake.calls.slice(before).find((c) => c.path === '/oxauth/restv1/token' && c.form?.get('grant_type') === 'authorization_code');
    assert.equal(call?.headers.authorization, undefined);
    assert.equal(
      call?.body,
      `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(`${GG}/callback`)}&${new URLSearchParams({ client_id: post.site.client_id, client_secret: post.site.client_secret }).toString()}`,
    );
  });

  test('the AS key is fetched once per kid (public_op_key_cache_expiration_in_minutes)', async () => {
    const jwksCalls = () => h.fake.callsTo('GET', '/oxauth/restv1/jwks').length;
    await logIn(h, g);
    const n = jwksCalls();
    await logIn(h, g);
    assert.equal(jwksCalls(), n);
  });
});

describe('get-tokens-by-code: errors', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  const cases: [string, (g: GgSite) => CodeScript, number, { error: string; error_description: string }][] = [
    ['no id_token', () => ({ omitIdToken: true }), 500, oxdError('no_id_token', "id_token is not returned. Please check: 1) OP log file for error (oxauth.log) 2) whether 'openid' scope is present for 'get_authorization_url' command")],
    ['no access_token', () => ({ omitAccessToken: true }), 500, oxdError('no_access_token', 'access_token is not returned by OP. Please check OP configuration.')],
    ['aud missing', () => ({ claims: { aud: undefined } }), 500, oxdError('invalid_id_token_no_audience', 'Invalid id_token. Audience claim is missing from id_token.')],
    ['aud another client', () => ({ claims: { aud: 'someone-else' } }), 500, oxdError('invalid_id_token_bad_audience', 'Invalid id_token. Audience value from token does not match audience from request.')],
    ['aud list without azp', (g) => ({ claims: { aud: [g.site.client_id, 'other'] } }), 500, oxdError('invalid_id_token_no_authorized_party', 'Invalid id_token. Authorized party (`azp`) is missing in ID Token.')],
    ['aud list, azp another client', (g) => ({ claims: { aud: [g.site.client_id, 'other'], azp: 'other' } }), 500, oxdError('invalid_id_token_bad_authorized_party', 'Invalid id_token. Authorized party value from token does not match client_id of client.')],
    ['sub missing', () => ({ claims: { sub: undefined } }), 500, oxdError('no_subject_identifier', 'ID Token is missing `sub` value.')],
    ['iat missing', () => ({ claims: { iat: undefined } }), 500, oxdError('invalid_id_token_issued_at', '`ISSUED_AT` date is either invalid or missing from `ID_TOKEN`.')],
    ['iat a string', () => ({ claims: { iat: '1700000000' } }), 500, oxdError('invalid_id_token_issued_at', '`ISSUED_AT` date is either invalid or missing from `ID_TOKEN`.')],
    ['exp missing', () => ({ claims: { exp: undefined } }), 500, oxdError('invalid_id_token_expiration_time', 'EXPIRATION_TIME (`exp`) is either invalid or missing from `ID_TOKEN`.')],
    ['exp past', () => ({ claims: { exp: Math.floor(Date.now() / 1000) - 5 } }), 500, oxdError('invalid_id_token_expired', 'Invalid id_token. id_token expired.')],
    ['iss missing', () => ({ claims: { iss: undefined } }), 500, oxdError('invalid_id_token_no_issuer', 'Invalid id_token. Issuer claim is missing from id_token.')],
    ['iss another issuer (even with a trailing slash)', (g) => ({ claims: { iss: `${g.site.op_host}/` } }), 500, oxdError('invalid_id_token_bad_issuer', 'Invalid id_token. Bad issuer.')],
    ['signed by a key the JWKS does not publish (same kid)', () => ({ signWith: 'unpublished' }), 500, oxdError('invalid_id_token_bad_signature', 'Invalid id_token. Bad signature.')],
    ['alg none', () => ({ signWith: 'none' }), 400, oxdError('id_token_without_signature_not_allowed', "`ID_TOKEN` without signature is not allowed. To allow `ID_TOKEN` without signature set `accept_id_token_without_signature` field to 'true' in oxd-server.yml.")],
    ['an alg oxAuth does not know', () => ({ rawIdToken: `${Buffer.from('{"alg":"XX256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln` }), 500, oxdError('invalid_algorithm', 'Invalid algorithm provided (empty or null).')],
    ['a kid the JWKS does not have', () => ({ header: { kid: 'no-such-key' } }), 500, INTERNAL],
    ['not a JWT', () => ({ rawIdToken: 'not-a-jwt' }), 500, INTERNAL],
    ['at_hash of another token', () => ({ atHashOf: 'another-access-token' }), 500, oxdError('invalid_access_token_bad_hash', 'access_token is invalid. Hash of access_token does not match hash from id_token (at_hash).')],
  ];
  for (const [name, script, status, body] of cases) {
    test(`${name} → ${status} ${body.error}; the state stays registered`, async () => {
      const { r, a } = await logIn(h, g, script(g));
      assert.equal(r.status, status, r.text);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json, body);
      const retry = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: a.state }, g.headers);
      assert.equal(retry.status, 200, 'not deleted on failure');
    });
  }

  test('an unregistered nonce → 400 invalid_nonce', async () => {
    const { r } = await logIn(h, g, { claims: { nonce: 'never-issued' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, oxdError('invalid_nonce', 'Nonce value is not registered with oxd.'));
    const none = await logIn(h, g, { claims: { nonce: undefined } });
    assert.equal(none.r.status, 400);
    assert.deepEqual(none.r.json, oxdError('invalid_nonce', 'Nonce value is not registered with oxd.'));
  });

  test('missing code / state, unknown state → 400 bad_request, no AS call', async () => {
    const a = await authorize(h, g);
    const before = h.fake.calls.length;
    const noCode = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, state: a.state }, g.headers);
    assert.equal(noCode.status, 400);
    assert.deepEqual(noCode.json, oxdError('bad_request', "'code' is empty or not specified."));
    const noState = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: 'c', state: '' }, g.headers);
    assert.equal(noState.status, 400);
    assert.deepEqual(noState.json, oxdError('bad_request', "'state' is empty or not specified."));
    const unknown = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: 'c', state: 'made-up' }, g.headers);
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, NOT_REGISTERED);
    assert.equal(h.fake.calls.filter((c, i) => i >= before && c.path === '/oxauth/restv1/token').length, 0);
  });

  test("the AS refuses the code (used, unknown) → 400 'code' is invalid.; the AS answers 500 → 500 internal_error", async () => {
    const { r, a, code } = await logIn(h, g);
    assert.equal(r.status, 200);
    const b = await authorize(h, g);
    const used = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code, state: b.state }, g.headers);
    assert.equal(used.status, 400);
    assert.deepEqual(used.json, oxdError('bad_request', "'code' is invalid."));
    h.fake.failNext('POST /oxauth/restv1/token', 500, '{"error":"server_error"}');
    const failed = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: b.state }, g.headers);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json, INTERNAL);
  });

  test('the registered id_token_signed_response_alg must match the token alg', async () => {
    const rs512 = await ggSite(h, { id_token_signed_response_alg: 'RS512' });
    const { r } = await logIn(h, rs512);
    assert.equal(r.status, 500);
    assert.deepEqual(
      r.json,
      oxdError(
        'invalid_id_token_invalid_algorithm',
        'Invalid id_token. The algorithm used to sign the ID Token does not matches with `id_token_signed_response_alg` algorithm set during client registration..',
      ),
    );
  });

  test('no kid: the one RSA signing key is used; with two RSA keys → 500 internal_error', async () => {
    assert.equal((await logIn(h, g, { header: { kid: undefined } })).r.status, 200);
    h.fake.oidc.extraJwks.push({ ...h.fake.oidc.unpublishedJwk(), kid: 'second', use: 'sig', alg: 'RS256' });
    try {
      const { r } = await logIn(h, g, { header: { kid: undefined } });
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, INTERNAL);
    } finally {
      h.fake.oidc.extraJwks.length = 0;
    }
  });

  test('authorization: no token → 403 blank_access_token', async () => {
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: 'c', state: 's' });
    assert.equal(r.status, 403);
    assert.equal((r.json as { error: string }).error, 'blank_access_token');
  });
});

describe('get-tokens-by-code: the order of the checks (Validator: signer, nonce, claims, signature, at_hash)', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  const past = () => Math.floor(Date.now() / 1000) - 5;
  const orders: [string, CodeScript, string][] = [
    ['alg none before the nonce', { signWith: 'none', claims: { nonce: 'x' } }, 'id_token_without_signature_not_allowed'],
    ['an unknown kid (key lookup) before the nonce', { header: { kid: 'nope' }, claims: { nonce: 'x' } }, 'internal_error'],
    ['the nonce before the audience', { claims: { nonce: 'x', aud: 'other' } }, 'invalid_nonce'],
    ['audience before sub', { claims: { aud: 'other', sub: undefined } }, 'invalid_id_token_bad_audience'],
    ['sub before iat', { claims: { sub: undefined, iat: undefined } }, 'no_subject_identifier'],
    ['iat before exp', { claims: { iat: undefined, exp: past() } }, 'invalid_id_token_issued_at'],
    ['exp before iss', { claims: { exp: past(), iss: 'https://other' } }, 'invalid_id_token_expired'],
    ['iss before the signature', { claims: { iss: 'https://other' }, signWith: 'unpublished' }, 'invalid_id_token_bad_issuer'],
    ['the signature before at_hash', { signWith: 'unpublished', atHashOf: 'x' }, 'invalid_id_token_bad_signature'],
  ];
  for (const [name, script, error] of orders) {
    test(name, async () => {
      const { r } = await logIn(h, g, script);
      assert.equal((r.json as { error: string }).error, error, r.text);
    });
  }
});

describe('fault callback-accepts-any-state', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s), { faults: ['callback-accepts-any-state'] });

  test('a state oxd never issued is accepted (the real oxd answers 400 not registered)', async () => {
    const a = await authorize(h, g);
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: codeFor(h, g, a.nonce), state: 'made-up-by-an-attacker' }, g.headers);
    assert.equal(r.status, 200, r.text);
  });

  test('the other checks still apply', async () => {
    const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: 'c', state: '' }, g.headers);
    assert.equal(r.status, 400);
  });
});
