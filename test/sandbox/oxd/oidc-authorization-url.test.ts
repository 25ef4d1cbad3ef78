// get-authorization-url (oidc-uma.md §2 F1, §3.4; GetAuthorizationUrlOperation).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OxdHarness } from './harness';
import { assertSwaggerRequest } from './swagger';
import { authorize, GG, GG_SCOPES, ggSite, oxdError, withGgSite, type GgSite } from './oidc-helpers';

const STATE = /^[0-9a-v]{20,26}$/; // BigInteger(130 bits).toString(32)

describe('get-authorization-url', () => {
  let h: OxdHarness;
  let g: GgSite;
  withGgSite((s) => ({ h, g } = s));

  test("GG's call: response_type, client_id, redirect_uri (the first registered), scope, state, nonce, then params, in that order", async () => {
    const body = { oxd_id: g.site.oxd_id, scope: GG_SCOPES, params: { max_age: 3600 } };
    assertSwaggerRequest('/get-authorization-url', body);
    const r = await h.post('/get-authorization-url', body, g.headers);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const url = (r.json as { authorization_url: string }).authorization_url;
    assert.deepEqual(Object.keys(r.json as object), ['authorization_url']);
    const m = /[?&]state=([^&]*)&nonce=([^&]*)&/.exec(url);
    assert.ok(m, url);
    const [, state, nonce] = m;
    assert.match(state, STATE);
    assert.match(nonce, STATE);
    assert.notEqual(state, nonce);
    // Raw concatenation: the @!… client id and the redirect URI are not encoded, the scope is (URLEncoder: space → +).
    assert.equal(
      url,
      `${h.fake.url}/oxauth/restv1/authorize?response_type=code&client_id=${g.site.client_id}&redirect_uri=${GG}/callback` +
        `&scope=openid+oxd+email+profile+uma_protection&state=${state}&nonce=${nonce}&max_age=3600`,
    );
    assert.ok(g.site.client_id.startsWith('@!'), 'the client id carries characters URLEncoder would have changed');
  });

  test('every call makes a new state and nonce', async () => {
    const a = await authorize(h, g);
    const b = await authorize(h, g);
    assert.notEqual(a.state, b.state);
    assert.notEqual(a.nonce, b.nonce);
  });

  test('acr_values (encoded, space-joined) and prompt (raw) come after the nonce, hd after prompt, params last', async () => {
    const r = await h.post(
      '/get-authorization-url',
      { oxd_id: g.site.oxd_id, scope: ['openid'], acr_values: ['otp', 'u2f'], prompt: 'login', hd: 'example.org', params: { max_age: '60', ui_locales: 'en fr' } },
      g.headers,
    );
    assert.equal(r.status, 200);
    const url = (r.json as { authorization_url: string }).authorization_url;
    assert.match(url, /&nonce=[0-9a-v]+&acr_values=otp\+u2f&prompt=login&hd=example\.org&max_age=60&ui_locales=en\+fr$/);
    assert.match(url, /&scope=openid&state=/);
  });

  test('custom_parameters go in one custom_response_headers parameter: a URL-encoded JSON array of one-member objects', async () => {
    const r = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id, custom_parameters: { param1: 'value 1', p2: 'a/b' } }, g.headers);
    assert.equal(r.status, 200);
    const url = new URL((r.json as { authorization_url: string }).authorization_url);
    assert.equal(url.searchParams.get('custom_response_headers'), '[{"param1":"value 1"},{"p2":"a/b"}]');
    assert.match(url.search, /&custom_response_headers=%5B%7B%22param1%22%3A%22value\+1%22%7D%2C%7B%22p2%22%3A%22a%2Fb%22%7D%5D$/);
  });

  test("without scope the site's registered scope is used; without acr_values the site's [''] leaves acr_values out", async () => {
    const a = await authorize(h, g, { scope: undefined, params: undefined });
    assert.equal(a.url.searchParams.get('scope'), 'openid oxd email profile uma_protection');
    assert.equal(a.url.searchParams.has('acr_values'), false);
    assert.equal(a.url.searchParams.has('prompt'), false);
    assert.equal(a.url.searchParams.has('max_age'), false);
  });

  test('a caller state and nonce are used as given (no encoding by default)', async () => {
    const a = await authorize(h, g, { state: 'my state', nonce: 'n-1' });
    assert.match(a.raw, /&state=my state&nonce=n-1&/);
  });

  test('redirect_uri: a registered one is used; an unregistered one → 400 redirect_uri_is_not_registered; an invalid one → 400 invalid_redirect_uri', async () => {
    const two = await ggSite(h, { redirect_uris: [`${GG}/callback`, `${GG}/other`] });
    const ok = await authorize(h, two, { redirect_uri: `${GG}/other` });
    assert.equal(ok.url.searchParams.get('redirect_uri'), `${GG}/other`);
    const unregistered = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id, redirect_uri: `${GG}/other` }, g.headers);
    assert.equal(unregistered.status, 400);
    assert.deepEqual(unregistered.json, oxdError('redirect_uri_is_not_registered', 'The authorization redirect uri is not registered.'));
    const invalid = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id, redirect_uri: 'not a url' }, g.headers);
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.json, oxdError('invalid_redirect_uri', 'Invalid redirect_uri (empty, blank or invalid).'));
  });

  test('response_types: a subset of the registered ones is used, anything else falls back to the site\'s', async () => {
    const other = await authorize(h, g, { response_types: ['token'] });
    assert.equal(other.url.searchParams.get('response_type'), 'code');
  });

  test('authorization: no Authorization → 403 blank_access_token; an unknown oxd_id → 400 invalid_oxd_id; no oxd_id with a token → container 500', async () => {
    const none = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id });
    assert.equal(none.status, 403);
    assert.equal((none.json as { error: string }).error, 'blank_access_token');
    const unknown = await h.post('/get-authorization-url', { oxd_id: '00000000-0000-4000-8000-000000000000' }, g.headers);
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { error: string }).error, 'invalid_oxd_id');
    const missing = await h.post('/get-authorization-url', {}, g.headers);
    assert.equal(missing.status, 500);
    assert.match((missing.json as { message: string }).message, /^There was an error processing your request\. It has been logged \(ID [0-9a-f]{16}\)\.$/);
  });

  test('a wrong JSON type → 400 plain-text Jackson message naming the params class, before the token check', async () => {
    const r = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id, scope: 'openid' });
    assert.equal(r.status, 400);
    assert.ok(r.text.startsWith('Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token'), r.text);
    assert.ok(r.text.endsWith('(through reference chain: org.gluu.oxd.common.params.GetAuthorizationUrlParams["scope"])'), r.text);
    const tokens = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code: ['c'] });
    assert.equal(tokens.status, 400);
    assert.ok(tokens.text.endsWith('(through reference chain: org.gluu.oxd.common.params.GetTokensByCodeParams["code"])'), tokens.text);
  });

  test('a token of another client → 403 invalid_access_token', async () => {
    const other = await ggSite(h);
    const r = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id }, other.headers);
    assert.equal(r.status, 403);
    assert.equal((r.json as { error: string }).error, 'invalid_access_token');
  });
});
