// The plain OAuth side oxd relies on (brief contract): dynamic client
// registration, the client-credentials grant and access-token introspection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRU, UMA_GRANT, basic, startAs, type TestAs } from './harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const errText = (error: string, description: string) => `{\n    "error_description": "${description}",\n    "error": "${error}"\n}`;

describe('dynamic client registration', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs({ publicUrl: 'https://as.example.org' });
  });
  after(() => as.close());

  const oxdLike = {
    redirect_uris: ['https://client.example.com/cb'],
    claims_redirect_uri: [CRU],
    scope: 'openid oxd uma_protection',
    grant_types: ['client_credentials', UMA_GRANT],
    response_types: ['code'],
    client_name: 'gg-uma-client',
  };

  it('registers a client: 200, org.json-pretty body, no-store', async () => {
    const r = await as.call('POST', '/oxauth/restv1/register', { json: oxdLike });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers.pragma, 'no-cache');
    assert.match(r.text, /^\{\n {4}"[a-z_]+": /);
    const b = r.json();
    assert.match(b.client_id, UUID);
    assert.match(b.client_secret, UUID);
    assert.match(b.registration_access_token, UUID);
    assert.equal(b.registration_client_uri, `https://as.example.org/oxauth/restv1/register?client_id=${b.client_id}`);
    assert.equal(typeof b.client_id_issued_at, 'number');
    assert.equal(b.client_secret_expires_at, 0);
    assert.deepEqual(b.redirect_uris, ['https://client.example.com/cb']);
    assert.deepEqual(b.claims_redirect_uri, [CRU]);
    assert.deepEqual(b.scope.split(' ').sort(), ['openid', 'oxd', 'uma_protection']);
    assert.deepEqual(b.grant_types.sort(), ['authorization_code', 'client_credentials', 'refresh_token', UMA_GRANT].sort());
    assert.deepEqual(b.response_types, ['code']);
    assert.equal(b.client_name, 'gg-uma-client');
    assert.equal(b.token_endpoint_auth_method, 'client_secret_basic');
  });

  it('grants only default scopes (openid, uma_protection, oxd, permission, offline_access)', async () => {
    const r = await as.call('POST', '/oxauth/restv1/register', { json: { ...oxdLike, scope: 'openid profile email oxd' } });
    assert.deepEqual(r.json().scope.split(' ').sort(), ['openid', 'oxd']);
  });

  it('ignores claims_redirect_uris (plural): the UMA parameter is claims_redirect_uri (DIV-AS-13)', async () => {
    const { claims_redirect_uri: _, ...rest } = oxdLike;
    const r = await as.call('POST', '/oxauth/restv1/register', { json: { ...rest, claims_redirect_uris: [CRU] } });
    assert.equal(r.status, 200);
    assert.equal(r.json().claims_redirect_uri, undefined);
  });

  it('refuses bad redirect_uris with 400 invalid_redirect_uri', async () => {
    for (const redirect_uris of [['not a uri'], ['https://client.example.com/cb#frag'], []]) {
      const r = await as.call('POST', '/oxauth/restv1/register', { json: { ...oxdLike, redirect_uris } });
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.text, errText('invalid_redirect_uri', 'Value of one or more redirect_uris is invalid.'));
    }
  });

  it('refuses a bad claims_redirect_uri with 400 invalid_claims_redirect_uri', async () => {
    const r = await as.call('POST', '/oxauth/restv1/register', { json: { ...oxdLike, claims_redirect_uri: ['::bad'] } });
    assert.equal(r.status, 400);
    assert.equal(r.text, errText('invalid_claims_redirect_uri', 'Value of one or more claims_redirect_uris is invalid.'));
  });

  it('answers 500 invalid_client_metadata to malformed JSON or a string claims_redirect_uri', async () => {
    for (const body of ['{not json', JSON.stringify({ ...oxdLike, claims_redirect_uri: CRU })]) {
      const r = await as.call('POST', '/oxauth/restv1/register', { body, headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 500);
      assert.equal(JSON.parse(r.text).error, 'invalid_client_metadata');
    }
  });

  it('reads the client at registration_client_uri with the registration access token', async () => {
    const c = await as.registerClient();
    const r = await as.call('GET', c.body.registration_client_uri, { headers: { Authorization: `Bearer ${c.rat}` } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.deepEqual(r.json(), c.body);
    const wrong = await as.call('GET', c.body.registration_client_uri, { headers: { Authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.text, errText('invalid_token', 'The access token provided is expired, revoked, malformed, or invalid for other reasons.'));
    const none = await as.call('GET', c.body.registration_client_uri);
    assert.equal(none.status, 400);
    assert.equal(none.json().error, 'invalid_client_metadata');
  });

  it('updates the client: claims_redirect_uri replaces the list', async () => {
    const c = await as.registerClient();
    const r = await as.call('PUT', c.body.registration_client_uri, {
      headers: { Authorization: `Bearer ${c.rat}` },
      json: { ...oxdLike, claims_redirect_uri: ['https://rqp.example.org/other-cb'] },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().claims_redirect_uri, ['https://rqp.example.org/other-cb']);
    assert.deepEqual(as.store.client(c.id)?.claimRedirectUris, ['https://rqp.example.org/other-cb']);
    const wrong = await as.call('PUT', c.body.registration_client_uri, { headers: { Authorization: 'Bearer nope' }, json: oxdLike });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json().error, 'invalid_token');
  });
});

describe('client credentials grant', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('issues a bearer token for the requested ∩ registered scopes, no-store', async () => {
    const c = await as.registerClient();
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials', scope: 'openid oxd profile' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers.pragma, 'no-cache');
    const b = r.json();
    assert.match(b.access_token, UUID);
    // org.json HashMap order of the four keys.
    assert.equal(r.text, `{"access_token":"${b.access_token}","scope":"openid oxd","token_type":"bearer","expires_in":299}`);
  });

  it('leaves scope out when none was requested', async () => {
    const c = await as.registerClient();
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials' } });
    assert.equal(r.text, `{"access_token":"${r.json().access_token}","token_type":"bearer","expires_in":299}`);
  });

  it('accepts client_secret_post only for clients registered with it', async () => {
    const post = await as.registerClient({ token_endpoint_auth_method: 'client_secret_post' });
    const ok = await as.call('POST', '/oxauth/restv1/token', { form: { grant_type: 'client_credentials', scope: 'openid', client_id: post.id, client_secret: post.secret } });
    assert.equal(ok.status, 200);
    const basicClient = await as.registerClient();
    const no = await as.call('POST', '/oxauth/restv1/token', { form: { grant_type: 'client_credentials', scope: 'openid', client_id: basicClient.id, client_secret: basicClient.secret } });
    assert.equal(no.status, 401);
    assert.equal(no.headers['www-authenticate'], 'Basic realm="oxAuth"');
    const viaBasic = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(post.id, post.secret) }, form: { grant_type: 'client_credentials' } });
    assert.equal(viaBasic.status, 401);
  });

  it('URL-decodes the Basic credentials (oxAuth #677)', async () => {
    const c = await as.registerClient();
    const raw = 'Basic ' + Buffer.from(`${c.id}:${c.secret}`).toString('base64');
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: raw }, form: { grant_type: 'client_credentials' } });
    assert.equal(r.status, 200);
  });

  it('refuses a client without the client_credentials grant: 400 invalid_grant', async () => {
    const c = await as.registerClient({ grant_types: ['authorization_code'] });
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials' } });
    assert.equal(r.status, 400);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(JSON.parse(r.text).error, 'invalid_grant');
  });

  it('answers invalid_request to a missing or unknown grant_type', async () => {
    const c = await as.registerClient();
    for (const grant_type of [undefined, 'urn:example:unknown']) {
      const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type } });
      assert.equal(r.status, 400);
      assert.equal(JSON.parse(r.text).error, 'invalid_request');
    }
  });
});

describe('OAuth introspection', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('introspects an access token with the same token as Bearer (what oxd does)', async () => {
    const c = await as.registerClient();
    const at = await as.clientToken(c, 'openid oxd');
    const r = await as.call('POST', '/oxauth/restv1/introspection', { headers: { Authorization: `Bearer ${at}` }, form: { token: at } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const b = r.json();
    assert.equal(b.active, true);
    assert.equal(b.scope, 'openid oxd');
    assert.equal(b.client_id, c.id);
    assert.equal(b.token_type, 'bearer');
    assert.equal(b.aud, c.id);
    assert.equal(b.iss, as.issuer);
    assert.equal(b.acr_values, null);
    assert.equal(b.exp - b.iat, 299);
    // org.json HashMap order.
    assert.deepEqual(Object.keys(b), ['sub', 'aud', 'scope', 'acr_values', 'iss', 'active', 'token_type', 'exp', 'iat', 'client_id', 'jti', 'username']);
  });

  it('answers active:false for an unknown token and accepts client Basic auth for own tokens', async () => {
    const c = await as.registerClient();
    const at = await as.clientToken(c, 'openid');
    const r = await as.call('POST', '/oxauth/restv1/introspection', { headers: { Authorization: `Bearer ${at}` }, form: { token: 'unknown' } });
    assert.equal(r.status, 200);
    assert.equal(r.json().active, false);
    const viaBasic = await as.call('POST', '/oxauth/restv1/introspection', { headers: { Authorization: basic(c.id, c.secret) }, form: { token: at } });
    assert.equal(viaBasic.json().active, true);
  });

  it('also answers GET with the token in the query', async () => {
    const c = await as.registerClient();
    const at = await as.clientToken(c, 'openid oxd');
    const r = await as.call('GET', `/oxauth/restv1/introspection?token=${at}`, { headers: { Authorization: `Bearer ${at}` } });
    assert.equal(r.status, 200);
    assert.equal(r.json().active, true);
  });

  it('refuses a missing header or token (400) and an invalid caller token (401)', async () => {
    const r1 = await as.call('POST', '/oxauth/restv1/introspection', { form: { token: 'x' } });
    assert.equal(r1.status, 400);
    assert.equal(r1.text, errText('invalid_request', 'The request is missing a required parameter, includes an unsupported parameter or parameter value, or is otherwise malformed.'));
    const r2 = await as.call('POST', '/oxauth/restv1/introspection', { headers: { Authorization: 'Bearer nope' }, form: { token: 'x' } });
    assert.equal(r2.status, 401);
    assert.equal(r2.text, errText('access_denied', 'The resource owner or authorization server denied the request.'));
  });
});

// RegisterRestWebServiceImpl lines 669–671, 889; AbstractAuthorizationGrant lines 284–288 @ version_4.2.3.
describe("a client's own access_token_lifetime", () => {
  let as: TestAs;
  let now = 1_800_000_000_000;
  before(async () => {
    as = await startAs({ clock: () => now });
  });
  after(() => as.close());

  it('is stored and shown at registration, and client-credentials tokens live that long: expires_in, then inactive', async () => {
    const c = await as.registerClient({ access_token_lifetime: 3 });
    assert.equal(c.body.access_token_lifetime, 3);
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials', scope: 'openid oxd' } });
    const at = r.json().access_token;
    assert.equal(r.text, `{"access_token":"${at}","scope":"openid oxd","token_type":"bearer","expires_in":3}`);
    // oxd introspects with a token of its own (IntrospectionService line 47), one of the AS's default lifetime here.
    const caller = await as.clientToken(await as.registerClient(), 'openid oxd');
    const introspect = () => as.call('POST', '/oxauth/restv1/introspection', { headers: { Authorization: `Bearer ${caller}` }, form: { token: at } });
    const live = (await introspect()).json();
    assert.equal(live.active, true);
    assert.equal(live.exp - live.iat, 3);
    now += 2_999;
    assert.equal((await introspect()).json().active, true);
    now += 1;
    assert.equal((await introspect()).json().active, false, 'expired at issue + 3 s');
  });

  it('absent, 0 or negative: the AS default (299 here); absent is left out of the client document', async () => {
    const plain = await as.registerClient();
    assert.equal('access_token_lifetime' in plain.body, false);
    for (const c of [plain, await as.registerClient({ access_token_lifetime: 0 }), await as.registerClient({ access_token_lifetime: -5 })]) {
      const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials' } });
      assert.equal(r.json().expires_in, 299);
    }
  });

  it('getInt: a numeric string is read, anything else is a JSON error (500)', async () => {
    assert.equal((await as.registerClient({ access_token_lifetime: '7' })).body.access_token_lifetime, 7);
    const r = await as.call('POST', '/oxauth/restv1/register', { json: { redirect_uris: ['https://client.example.com/cb'], access_token_lifetime: 'soon' } });
    assert.equal(r.status, 500);
    assert.equal(r.json().error, 'invalid_client_metadata');
  });

  it('a client update with access_token_lifetime changes it', async () => {
    const c = await as.registerClient({ access_token_lifetime: 3 });
    const r = await as.call('PUT', `/oxauth/restv1/register?client_id=${c.id}`, { headers: { Authorization: `Bearer ${c.rat}` }, json: { redirect_uris: ['https://client.example.com/cb'], access_token_lifetime: 9 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().access_token_lifetime, 9);
    const t = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(c.id, c.secret) }, form: { grant_type: 'client_credentials' } });
    assert.equal(t.json().expires_in, 9);
  });
});
