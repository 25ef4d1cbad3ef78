// register-site / update-site with what the GG UI sends for the OIDC + UMA
// PEP plugins (oidc-uma.md §1.4 step 2; RegisterSiteOperation lines 94–181,
// UpdateSiteOperation lines 109–206), and what the OIDC commands take from it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness } from './harness';
import { assertSwaggerRequest } from './swagger';
import { authorize, GG, ggRegisterSiteBody, ggSite } from './oidc-helpers';

describe('register-site with the GG UI body', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start({ config: { uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient: true } });
  });
  after(() => h.close());

  test('every field reaches the AS registration; response_types fall back to ["code"]; oxd_url is ignored', async () => {
    const body = ggRegisterSiteBody(h);
    assertSwaggerRequest('/register-site', body);
    const g = await ggSite(h);
    const reg = h.fake.callsTo('POST', '/oxauth/restv1/register').at(-1)?.json as Record<string, unknown>;
    assert.deepEqual(reg, {
      application_type: 'web',
      client_name: 'gg-openid-connect-client',
      redirect_uris: [`${GG}/callback`],
      claims_redirect_uri: [`${GG}/claims_callback`],
      response_types: ['code'],
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      scope: 'openid oxd email profile uma_protection',
      post_logout_redirect_uris: [`${GG}/logout_redirect_uri`],
      access_token_as_jwt: false,
      rpt_as_jwt: false,
      oxd_id: g.site.oxd_id,
    });
    assert.equal(g.site.client_name, 'gg-openid-connect-client');
  });

  test('uma2_auto_register…: the claims endpoint (?authentication=true) is added only when the first redirect URI contains the issuer', async () => {
    await ggSite(h);
    const other = h.fake.callsTo('POST', '/oxauth/restv1/register').at(-1)?.json as { redirect_uris: string[] };
    assert.deepEqual(other.redirect_uris, [`${GG}/callback`], 'GG and the AS on different hosts');
    const same = await ggSite(h, { redirect_uris: [`${h.fake.url}/callback`] });
    const reg = h.fake.callsTo('POST', '/oxauth/restv1/register').at(-1)?.json as { redirect_uris: string[] };
    assert.deepEqual(reg.redirect_uris, [`${h.fake.url}/callback`, `${h.fake.url}/oxauth/restv1/uma/gather_claims?authentication=true`]);
    const a = await authorize(h, same);
    assert.equal(a.url.searchParams.get('redirect_uri'), `${h.fake.url}/callback`, 'the first one is still the authorization redirect URI');
  });

  test('id_token_signed_response_alg: an unknown alg → 400 invalid_algorithm; none → 400 (accept_id_token_without_signature off); a known one reaches the AS', async () => {
    const unknown = await h.post('/register-site', { ...ggRegisterSiteBody(h), id_token_signed_response_alg: 'XX256' });
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { error: string }).error, 'invalid_algorithm');
    const none = await h.post('/register-site', { ...ggRegisterSiteBody(h), id_token_signed_response_alg: 'none' });
    assert.equal(none.status, 400);
    assert.equal((none.json as { error: string }).error, 'id_token_without_signature_not_allowed');
    await ggSite(h, { id_token_signed_response_alg: 'RS256' });
    const reg = h.fake.callsTo('POST', '/oxauth/restv1/register').at(-1)?.json as Record<string, unknown>;
    assert.equal(reg.id_token_signed_response_alg, 'RS256');
  });

  test('update-site redirect_uris: the new first one is used by get-authorization-url and the code grant', async () => {
    const g = await ggSite(h);
    const r = await h.post('/update-site', { oxd_id: g.site.oxd_id, redirect_uris: [`${GG}/v2/callback`, `${GG}/callback`] });
    assert.equal(r.status, 200, r.text);
    const put = h.fake.callsTo('PUT', '/oxauth/restv1/register').at(-1)?.json as Record<string, unknown>;
    assert.deepEqual(put.redirect_uris, [`${GG}/v2/callback`, `${GG}/callback`]);
    assert.deepEqual(put.post_logout_redirect_uris, [`${GG}/logout_redirect_uri`], 'kept');
    assert.deepEqual(put.grant_types, ['client_credentials', 'authorization_code', 'refresh_token'], 'kept');
    const a = await authorize(h, g);
    assert.equal(a.url.searchParams.get('redirect_uri'), `${GG}/v2/callback`);
    const code = h.fake.oidc.issueCode({ clientId: g.site.client_id, clientSecret: g.site.client_secret }, `${GG}/v2/callback`, a.nonce);
    const t = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code, state: a.state }, g.headers);
    assert.equal(t.status, 200, t.text);
    assert.equal(h.fake.callsTo('POST', '/oxauth/restv1/token').at(-1)?.form?.get('redirect_uri'), `${GG}/v2/callback`);
  });
});
