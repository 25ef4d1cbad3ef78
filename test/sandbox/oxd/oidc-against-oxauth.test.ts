// oxd's OpenID Connect commands against the sandbox's own oxAuth (not the
// fake): GG's call sequence of oidc-uma.md §2 F1–F5 and §3.6 — register-site
// as the GG UI, get-client-token, get-authorization-url, the browser's login
// and consent at the AS, get-tokens-by-code (the AS's jose-signed id_token
// verified against its JWKS), get-user-info, get-access-token-by-refresh-token,
// get-logout-uri and end_session.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComponentContext } from '../../../sandbox/component';
import { bind, type Listening } from '../../../sandbox/lib/http';
import { request } from '../../../sandbox/lib/http-client';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';
import { shippedOxdConfig } from '../../../sandbox/oxd/config';
import { createOxdWithConfig } from '../../../sandbox/oxd';
import { defaultSettings } from '../../../sandbox/settings';
import { startAs, type TestAs } from '../oxauth/harness';
import { Browser, location, testUser } from '../oxauth/oidc-helpers';

const GG = 'https://gg.example.org';
const SCOPES = ['openid', 'oxd', 'email', 'profile', 'uma_protection'];

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('oxd OIDC commands against the sandbox oxAuth', () => {
  let as: TestAs;
  let oxd: Listening;
  let oxdUrl: string;
  const call = async (command: string, body: unknown, token?: string): Promise<Answer> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const r = await request('POST', `${oxdUrl}/${command}`, headers, JSON.stringify(body));
    return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
  };

  before(async () => {
    as = await startAs(); // issuer https://localhost:<port>, which oxd reaches as the AS
    oxd = await bind('127.0.0.1', 0, await makeSelfSignedCertificate());
    oxdUrl = `https://127.0.0.1:${oxd.port}`;
    const ctx: ComponentContext = {
      settings: defaultSettings(),
      urls: { kongAdmin: '', kongProxy: '', oxd: oxdUrl, oxauth: as.issuer, upstream: '', echo: '', website: '' },
      log: () => undefined,
    };
    oxd.attach(createOxdWithConfig(ctx, shippedOxdConfig()));
  });
  after(async () => {
    await oxd.close();
    await as.close();
  });

  test('login, tokens, userinfo and logout as GG does them', async () => {
    const reg = await call('register-site', {
      op_host: as.issuer,
      redirect_uris: [`${GG}/callback`],
      client_name: 'gg-openid-connect-client',
      post_logout_redirect_uris: [`${GG}/logout_redirect_uri`],
      scope: SCOPES,
      acr_values: [],
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      claims_redirect_uri: [`${GG}/claims_callback`],
    });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    const site = reg.body as { oxd_id: string; client_id: string; client_secret: string };
    const pt = await call('get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: as.issuer, scope: ['openid', 'oxd'] });
    assert.equal(pt.status, 200, JSON.stringify(pt.body));
    const token = pt.body.access_token as string;

    const gau = await call('get-authorization-url', { oxd_id: site.oxd_id, scope: SCOPES, params: { max_age: 3600 } }, token);
    assert.equal(gau.status, 200, JSON.stringify(gau.body));
    const authUrl = new URL(gau.body.authorization_url as string);
    const state = authUrl.searchParams.get('state') as string;
    const nonce = authUrl.searchParams.get('nonce') as string;

    // The browser: authorize → login page → login → consent → Allow → redirect to the callback.
    const browser = new Browser(as);
    const user = testUser(as);
    const first = await browser.get(authUrl.href);
    await browser.get(location(first));
    const loggedIn = await browser.login(user.username, user.password);
    const page = await browser.get(location(loggedIn));
    const granted = page.status === 302 ? page : await browser.consent('allowButton');
    const last = await browser.get(location(granted));
    const callback = new URL(location(last));
    assert.equal(`${callback.origin}${callback.pathname}`, `${GG}/callback`);
    assert.equal(callback.searchParams.get('state'), state);
    const code = callback.searchParams.get('code') as string;

    const gtc = await call('get-tokens-by-code', { oxd_id: site.oxd_id, code, state }, token);
    assert.equal(gtc.status, 200, JSON.stringify(gtc.body));
    const claims = gtc.body.id_token_claims as Record<string, unknown>;
    assert.equal(claims.iss, as.issuer);
    assert.equal(claims.aud, site.client_id);
    assert.equal(claims.nonce, nonce);
    assert.equal(typeof claims.sub, 'string');

    const replay = await call('get-tokens-by-code', { oxd_id: site.oxd_id, code, state }, token);
    assert.equal(replay.status, 400, 'the state is gone');
    assert.deepEqual(replay.body, { error: 'bad_request', error_description: "'state' is not registered." });

    const gui = await call('get-user-info', { oxd_id: site.oxd_id, access_token: gtc.body.access_token }, token);
    assert.equal(gui.status, 200, JSON.stringify(gui.body));
    assert.equal(gui.body.sub, claims.sub);

    // oxAuth issues no refresh token without offline_access (forceOfflineAccessScopeToEnableRefreshToken), so none is answered,
    // and a refresh with a made-up token is the AS's invalid_grant → oxd's 500 internal_error.
    assert.equal('refresh_token' in gtc.body, false);
    const refreshed = await call('get-access-token-by-refresh-token', { oxd_id: site.oxd_id, refresh_token: 'made-up', scope: ['openid'] }, token);
    assert.equal(refreshed.status, 500);
    assert.deepEqual(refreshed.body, { error: 'internal_error', error_description: 'Unknown internal server error occurs.' });

    const glu = await call('get-logout-uri', { oxd_id: site.oxd_id, id_token_hint: gtc.body.id_token, post_logout_redirect_uri: `${GG}/logout_redirect_uri` }, token);
    assert.equal(glu.status, 200, JSON.stringify(glu.body));
    const uri = glu.body.uri as string;
    assert.ok(uri.startsWith(`${as.issuer}/oxauth/restv1/end_session?post_logout_redirect_uri=https%3A%2F%2Fgg.example.org%2Flogout_redirect_uri&id_token_hint=`), uri);
    const end = await browser.get(uri);
    assert.equal(end.status, 302, end.text.slice(0, 200));
    assert.equal(location(end), `${GG}/logout_redirect_uri`);
  });
});
