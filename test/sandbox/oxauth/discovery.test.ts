// Discovery documents, JWKS and the URL space (oxauth.md §1, §2; brief contract).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAs, type TestAs } from './harness';

const umaDocFor = (h: string) => `{
  "issuer" : "${h}",
  "authorization_endpoint" : "${h}/oxauth/restv1/authorize",
  "token_endpoint" : "${h}/oxauth/restv1/token",
  "jwks_uri" : "${h}/oxauth/restv1/jwks",
  "registration_endpoint" : "${h}/oxauth/restv1/register",
  "response_types_supported" : [ "code", "id_token", "token" ],
  "grant_types_supported" : [ "authorization_code", "implicit", "client_credentials", "urn:ietf:params:oauth:grant-type:uma-ticket" ],
  "token_endpoint_auth_methods_supported" : [ "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth" ],
  "token_endpoint_auth_signing_alg_values_supported" : [ "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512" ],
  "service_documentation" : "http://gluu.org/docs",
  "ui_locales_supported" : [ "en", "bg", "de", "es", "fr", "it", "ru", "tr" ],
  "op_policy_uri" : "http://ox.gluu.org/doku.php?id=oxauth:policy",
  "op_tos_uri" : "http://ox.gluu.org/doku.php?id=oxauth:tos",
  "introspection_endpoint" : "${h}/oxauth/restv1/rpt/status",
  "code_challenge_methods_supported" : null,
  "claims_interaction_endpoint" : "${h}/oxauth/restv1/uma/gather_claims",
  "uma_profiles_supported" : [ ],
  "permission_endpoint" : "${h}/oxauth/restv1/host/rsrc_pr",
  "resource_registration_endpoint" : "${h}/oxauth/restv1/host/rsrc/resource_set",
  "scope_endpoint" : "${h}/oxauth/restv1/uma/scopes"
}`;

describe('oxAuth discovery', () => {
  let as: TestAs;
  let lb: TestAs;
  before(async () => {
    as = await startAs();
    lb = await startAs({ publicUrl: 'https://as.example.org' });
  });
  after(async () => {
    await as.close();
    await lb.close();
  });

  it('serves the exact UMA document at /.well-known/uma2-configuration (§2)', async () => {
    const r = await as.call('GET', '/.well-known/uma2-configuration');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.text, umaDocFor(as.issuer));
  });

  it('serves the same document at /oxauth/restv1/uma2-configuration', async () => {
    const r = await as.call('GET', '/oxauth/restv1/uma2-configuration');
    assert.equal(r.status, 200);
    assert.equal(r.text, umaDocFor(as.issuer));
  });

  it('builds every URL from the public base URL, whatever the Host header says', async () => {
    const r = await lb.call('GET', '/.well-known/uma2-configuration', { headers: { Host: 'evil.example:9999' } });
    assert.equal(r.status, 200);
    assert.equal(r.text, umaDocFor('https://as.example.org'));
    const o = await lb.call('GET', '/.well-known/openid-configuration', { headers: { Host: 'evil.example:9999' } });
    assert.equal(o.json().issuer, 'https://as.example.org');
    assert.equal(o.json().token_endpoint, 'https://as.example.org/oxauth/restv1/token');
  });

  it('serves OpenID Connect discovery with the members of the oxd contract, org.json-pretty', async () => {
    const r = await as.call('GET', '/.well-known/openid-configuration');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(r.text, /^\{\n {4}"[a-z_]+": /);
    const d = r.json();
    const h = as.issuer;
    assert.equal(d.issuer, h);
    assert.equal(d.authorization_endpoint, `${h}/oxauth/restv1/authorize`);
    assert.equal(d.token_endpoint, `${h}/oxauth/restv1/token`);
    assert.equal(d.jwks_uri, `${h}/oxauth/restv1/jwks`);
    assert.equal(d.registration_endpoint, `${h}/oxauth/restv1/register`);
    assert.equal(d.introspection_endpoint, `${h}/oxauth/restv1/introspection`);
    assert.equal(d.userinfo_endpoint, `${h}/oxauth/restv1/userinfo`);
    assert.equal(d.end_session_endpoint, `${h}/oxauth/restv1/end_session`);
    for (const k of ['scopes_supported', 'response_types_supported', 'grant_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported', 'token_endpoint_auth_methods_supported']) {
      assert.ok(Array.isArray(d[k]) && d[k].length > 0, k);
    }
    assert.ok(d.scopes_supported.includes('uma_protection') && d.scopes_supported.includes('oxd'));
    assert.ok(d.grant_types_supported.includes('urn:ietf:params:oauth:grant-type:uma-ticket'));
    const o2 = await as.call('GET', '/oxauth/.well-known/openid-configuration');
    assert.equal(o2.text, r.text);
  });

  it('publishes the RSA signing key at the jwks_uri', async () => {
    const r = await as.call('GET', '/oxauth/restv1/jwks');
    assert.equal(r.status, 200);
    const [key] = r.json().keys;
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.use, 'sig');
    assert.equal(key.kid, as.keys.kid);
    assert.equal(key.e, 'AQAB');
    assert.ok(key.n.length > 300);
  });

  it('answers 404 for unknown paths and 405 with Allow for a wrong method', async () => {
    const nf = await as.call('GET', '/oxauth/restv1/nothing-here');
    assert.equal(nf.status, 404);
    const na = await as.call('GET', '/oxauth/restv1/token');
    assert.equal(na.status, 405);
    assert.equal(na.headers.allow, 'POST');
  });
});
