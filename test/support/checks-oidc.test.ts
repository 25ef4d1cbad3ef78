// The second tutorial's checks judge what a browser went through: each one
// passes for the reference's good answer, fails with plain words for a bad
// one, and says GG 4.2's recorded answers in exactly the ledger's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, KnownDivergenceAssertionError, type CheckContext, type CheckRecord } from '../../support/checks/core';
import * as oidc from '../../support/checks/oidc';
import { DivergenceLedger } from '../../support/divergences';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';
import { WeaknessLedger } from '../../support/weaknesses';
import * as security from '../../support/checks/security';
import { KnownWeaknessAssertionError } from '../../support/checks/core';
import type { FinalPage, Navigation } from '../../support/clients/website-browser';
import type { EchoedRequest } from '../../support/clients/echo-upstream';

const GG = 'http://127.0.0.1:8000/ucc-x';
const AUTHORIZE = 'https://as.example.org/oxauth/restv1/authorize';

function context(ledger = DivergenceLedger.load()): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  return { secrets: new Secrets(), ledger, weaknesses: new WeaknessLedger('weaknesses.json', []), records, record: (r) => records.push(r) };
}

function hop(url: string, status: number, location?: string, text = ''): Exchange {
  return {
    target: 'browser → Kong proxy',
    request: { method: 'GET', url, headers: {} },
    response: { status, headers: location ? { location } : {}, text, json: undefined },
    durationMs: 1,
  };
}

function nav(exchanges: Exchange[], final: Partial<FinalPage> = {}): Navigation {
  return { exchanges, pages: [], final: { url: exchanges[exchanges.length - 1]?.request.url ?? '', kind: 'website', title: '', text: '', headings: [], ...final } };
}

const AUTH_REQUEST = `${AUTHORIZE}?response_type=code&client_id=c&redirect_uri=${encodeURIComponent(`${GG}/callback`)}&scope=openid+oxd&state=S&nonce=N&max_age=3600`;

test('sent to the authorization endpoint: a code request with state and nonce passes and is returned; a page served instead fails', () => {
  const ctx = context();
  const good = nav([hop(`${GG}/settings/`, 302, AUTH_REQUEST), hop(AUTH_REQUEST, 200)], { kind: 'login' });
  const request = oidc.sentToAuthorization(ctx, good, AUTHORIZE, 'a browser without a session');
  assert.equal(request.searchParams.get('nonce'), 'N');
  oidc.loginPageShown(ctx, good);
  const served = nav([hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] });
  assert.throws(
    () => oidc.sentToAuthorization(ctx, served, AUTHORIZE, 'a browser without a session'),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('The gateway did not send a browser without a session to the authorization server') && err.message.includes('status 200 "Profile settings"'),
  );
  const noNonce = nav([hop(`${GG}/settings/`, 302, AUTH_REQUEST.replace('&nonce=N', ''))]);
  assert.throws(() => oidc.sentToAuthorization(ctx, noNonce, AUTHORIZE, 'x'), (err: unknown) => err instanceof ConformanceAssertionError && err.message.includes('a request without nonce'));
});

test("GG 4.2's 502 for a policy denial is the known divergence DIV-GW-01; a 403 is what the check asks for", () => {
  const ctx = context();
  const gg = nav([hop(`${GG}/settings/`, 502, undefined, '{"message":"An unexpected error ocurred"}')], { status: 502, text: '{"message":"An unexpected error ocurred"}' });
  assert.throws(() => oidc.deniedAsForbidden(ctx, gg), (err: unknown) => err instanceof KnownDivergenceAssertionError && err.divergence === 'DIV-GW-01');
  // A fixed gateway makes the ledger entry stale: the run goes red so it is removed.
  const fixed = nav([hop(`${GG}/settings/`, 403)], { status: 403 });
  assert.throws(() => oidc.deniedAsForbidden(ctx, fixed), (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('RECORDED DIVERGENCE NO LONGER HAPPENS: DIV-GW-01'));
  const empty = context(new DivergenceLedger('l.json', []));
  oidc.deniedAsForbidden(empty, fixed);
  assert.throws(() => oidc.pageNotShown(empty, nav([hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] }), 'Profile settings', 'UMA-GRANT-3.3.6-REQUEST-DENIED', 'served'), ConformanceAssertionError);
});

test('a callback is refused only with an error status; a redirect on is "accepted", in the ledger\'s words', () => {
  const ctx = context(new DivergenceLedger('l.json', []));
  const callback = `${GG}/callback`;
  oidc.callbackRefused(ctx, nav([hop(`${callback}?code=C&state=X`, 502)]), callback, 'OIDC-CORE-3.1.2.7-STATE-CHECK', 'authorization response refused', 'accepted');
  oidc.callbackRefused(ctx, nav([hop(`${callback}?code=C&state=X`, 400)]), callback, 'OIDC-CORE-3.1.2.7-STATE-CHECK', 'authorization response refused', 'accepted');
  assert.throws(
    () => oidc.callbackRefused(ctx, nav([hop(`${callback}?code=C&state=X`, 302, '/settings/'), hop(`${GG}/settings/`, 200)]), callback, 'RFC6749-10.12-CSRF', 'authorization response of another browser refused', 'logged in'),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.includes('actual:   accepted: redirected on, logged in'),
  );
  // W1 (another browser's response) is a security probe now: SEC-W1, test/support/checks-security.test.ts.
  assert.throws(() => oidc.callbackRefused(ctx, nav([hop(`${GG}/settings/`, 200)]), callback, 'OIDC-CORE-3.1.2.7-STATE-CHECK', 'authorization response refused', 'x'), /the callback was not reached/);
});

test("Don't Allow: GG's 400 \"missed code or state argument(s)\" is DIV-OIDC-03; an answer naming access_denied passes", () => {
  const callback = `${GG}/callback`;
  const gg = nav([hop(`${callback}?error=access_denied&state=S`, 400, undefined, '{"message":"missed code or state argument(s)"}')]);
  assert.throws(() => oidc.authorizationErrorReported(context(), gg, callback, 'access_denied'), (err: unknown) => err instanceof KnownDivergenceAssertionError && err.divergence === 'DIV-OIDC-03');
  const good = nav([hop(`${callback}?error=access_denied&state=S`, 403, undefined, 'The login was refused: access_denied')]);
  oidc.authorizationErrorReported(context(new DivergenceLedger('l.json', [])), good, callback, 'access_denied');
});

test('the claims redirect with another state: accepted is DIV-CL-01, refused passes', () => {
  const cc = `${GG}/claims_callback`;
  assert.throws(
    () => oidc.claimsRedirectRefused(context(), nav([hop(`${cc}?state=made-up&ticket=T`, 302, '/ucc-x/settings/'), hop(`${GG}/settings/`, 200)]), cc),
    (err: unknown) => err instanceof KnownDivergenceAssertionError && err.divergence === 'DIV-CL-01',
  );
  oidc.claimsRedirectRefused(context(new DivergenceLedger('l.json', [])), nav([hop(`${cc}?state=made-up&ticket=T`, 400)]), cc);
});

test('the id_token passed upstream: per-claim headers and the alg-none JWT in the standard base64 alphabet GG uses', () => {
  const claims = { iss: 'https://as.example.org', aud: 'client-1', sub: 'user/sub+?', nonce: 'N1' };
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64').replace(/=+$/, '');
  const seen: EchoedRequest = {
    method: 'GET',
    path: '/settings/',
    query: '',
    body: '',
    headers: {
      'http-kong-id-token-iss': claims.iss,
      'http-kong-id-token-aud': claims.aud,
      'http-kong-id-token-sub': claims.sub,
      'http-kong-id-token-nonce': claims.nonce,
      'http-kong-id-token': `${b64({ typ: 'JWT', alg: 'none' })}.${b64(claims)}.`,
    },
  };
  const token = oidc.upstreamIdToken(seen);
  assert.deepEqual(token.jwt, claims);
  const echo = hop('http://echo/__echo/requests/1', 200);
  const ctx = context();
  oidc.idTokenPassedUpstream(ctx, token, { issuer: claims.iss, clientId: 'client-1', nonce: 'N1' }, echo);
  assert.equal(ctx.records.filter((r) => r.outcome === 'passed').length, 5);
  assert.throws(
    () => oidc.idTokenPassedUpstream(context(), token, { issuer: claims.iss, clientId: 'client-1', nonce: 'N-of-this-browser' }, echo),
    (err: unknown) => err instanceof ConformanceAssertionError && err.requirement === 'OIDC-CORE-3.1.3.7-NONCE' && err.message.startsWith("The gateway accepted an id_token whose nonce is not the nonce of this browser's authorization request"),
  );
  assert.throws(() => oidc.idTokenPassedUpstream(context(), token, { issuer: 'https://other', clientId: 'client-1', nonce: 'N1' }, echo), (err: unknown) => err instanceof ConformanceAssertionError && err.requirement === 'OIDC-CORE-3.1.3.7-ISS');
});

test('session cookies: all HttpOnly passes; a script-readable one fails and names it; none set is no pass', () => {
  const ctx = context();
  oidc.sessionCookiesHttpOnly(ctx, [{ name: 'gluu_openid_connect_session', httpOnly: true }], 'other=1', []);
  assert.throws(() => oidc.sessionCookiesHttpOnly(ctx, [{ name: 'gluu_uma_pep_session', httpOnly: false }], 'gluu_uma_pep_session=abc', []), /readable by scripts: gluu_uma_pep_session/);
  assert.throws(() => oidc.sessionCookiesHttpOnly(ctx, [], '', []), /the gateway set no cookie/);
});

test('logout: through end_session with the post-logout URI, then that page; straight to the page fails', () => {
  const ctx = context();
  const endSession = 'https://as.example.org/oxauth/restv1/end_session';
  const post = `${GG}/logout_redirect_uri`;
  const through = `${endSession}?post_logout_redirect_uri=${encodeURIComponent(post)}&id_token_hint=x`;
  oidc.loggedOutThroughEndSession(ctx, nav([hop(`${GG}/logout`, 302, through), hop(through, 302, post), hop(post, 200)], { url: post }), endSession, post);
  assert.throws(() => oidc.loggedOutThroughEndSession(ctx, nav([hop(`${GG}/logout`, 302, post), hop(post, 200)], { url: post }), endSession, post), /no request to the end_session_endpoint/);
});

const CLAIMS = 'https://as.example.org/oxauth/restv1/uma/gather_claims';

test('second visit: served at once passes; the claims pages again without a login (another GG worker, W9) passes as "gathering again"; a new login fails', () => {
  const ctx = context();
  const served = nav([hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] });
  assert.equal(oidc.servedFromSession(ctx, served, AUTHORIZE, CLAIMS, 'Profile settings'), 'served');
  // A multi-worker GG 4.2: the grant cache is per worker (kong-common.lua lines 23–25), the login is in the cookie.
  const claimsUrl = `${CLAIMS}?client_id=c&ticket=T2&claims_redirect_uri=x&state=S`;
  const otherWorker = nav([hop(`${GG}/settings/`, 302, claimsUrl), hop(claimsUrl, 302, 'https://as.example.org/oxauth/uma2/sample/country.htm'), hop('https://as.example.org/oxauth/uma2/sample/country.htm', 200)], { kind: 'claims' });
  assert.equal(oidc.servedFromSession(ctx, otherWorker, AUTHORIZE, CLAIMS, 'Profile settings'), 'gathering again');
  const loginAgain = nav([hop(`${GG}/settings/`, 302, AUTH_REQUEST), hop(AUTH_REQUEST, 200)], { kind: 'login' });
  assert.throws(
    () => oidc.servedFromSession(ctx, loginAgain, AUTHORIZE, CLAIMS, 'Profile settings'),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('The gateway did not serve "Profile settings" from the browser\'s session') && err.message.includes('sent to log in again'),
  );
  // A silent re-authentication (prompt=none) is a new login too, even when it ends on the page.
  const silent = nav([hop(`${GG}/settings/`, 302, `${AUTH_REQUEST}&prompt=none`), hop(`${AUTH_REQUEST}&prompt=none`, 302, `${GG}/callback?code=C&state=S`), hop(`${GG}/callback?code=C&state=S`, 302, '/settings/'), hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] });
  assert.throws(() => oidc.servedFromSession(ctx, silent, AUTHORIZE, CLAIMS, 'Profile settings'), /sent to log in again/);
  assert.throws(() => oidc.servedFromSession(ctx, nav([hop(`${GG}/settings/`, 502)], { status: 502 }), AUTHORIZE, CLAIMS, 'Profile settings'), /actual: {3}status 502/);
});

test('cookie copied before logout: served, or the claims pages without a login (another GG worker), are both the SEC-W5 finding; sent to log in passes', () => {
  const ctx = () => ({ ...context(), weaknesses: WeaknessLedger.load() });
  const served = nav([hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] });
  assert.throws(() => security.copiedSessionEnded(ctx(), served, AUTHORIZE, 'Profile settings'), (err: unknown) => err instanceof KnownWeaknessAssertionError && err.weakness === 'SEC-W5');
  const claimsUrl = `${CLAIMS}?client_id=c&ticket=T2&state=S`;
  const otherWorker = nav([hop(`${GG}/settings/`, 302, claimsUrl), hop(claimsUrl, 200)], { kind: 'claims' });
  assert.throws(() => security.copiedSessionEnded(ctx(), otherWorker, AUTHORIZE, 'Profile settings'), (err: unknown) => err instanceof KnownWeaknessAssertionError && err.weakness === 'SEC-W5');
  security.copiedSessionEnded(context(), nav([hop(`${GG}/settings/`, 302, AUTH_REQUEST), hop(AUTH_REQUEST, 200)], { kind: 'login' }), AUTHORIZE, 'Profile settings');
  assert.throws(() => security.copiedSessionEnded(context(), otherWorker, AUTHORIZE, 'Profile settings'), /still logged in: sent to the claims pages without a login/);
});

test('post-logout URI compared as a URL: host case, default port, query order and one trailing slash do not matter; another path, host or query does', () => {
  const post = 'https://gg.example.org/logout_redirect_uri';
  for (const same of ['https://GG.example.org:443/logout_redirect_uri', 'https://gg.example.org/logout_redirect_uri/', 'HTTPS://gg.example.org/logout%5Fredirect%5Furi', 'https://gg.example.org/logout_redirect_uri#x']) {
    assert.ok(oidc.sameWebsiteUrl(same, post), same);
  }
  assert.ok(oidc.sameWebsiteUrl('https://gg/x?b=2&a=1', 'https://gg/x?a=1&b=2'));
  for (const other of ['http://gg.example.org/logout_redirect_uri', 'https://gg.example.org:8443/logout_redirect_uri', 'https://evil.example/logout_redirect_uri', 'https://gg.example.org/logout', 'https://gg.example.org/logout_redirect_uri?next=x', 'not a url']) {
    assert.ok(!oidc.sameWebsiteUrl(other, post), other);
  }
  assert.ok(oidc.sameWebsiteUrl('https://gg.example.org/logout_redirect_uri?after=1', post, { query: false }));

  // The whole check: GG's value built from $host without the default port passes against a setting that names it.
  const ctx = context();
  const endSession = 'https://as.example.org/oxauth/restv1/end_session';
  const through = `${endSession}?post_logout_redirect_uri=${encodeURIComponent(post)}&id_token_hint=x`;
  const ok = nav([hop('https://gg.example.org/logout', 302, through), hop(through, 302, post), hop(post, 200)], { url: post });
  oidc.loggedOutThroughEndSession(ctx, ok, endSession, 'https://GG.example.org:443/logout_redirect_uri');
  const elsewhere = `${endSession}?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`;
  assert.throws(() => oidc.loggedOutThroughEndSession(ctx, nav([hop('https://gg.example.org/logout', 302, elsewhere), hop(elsewhere, 302, 'https://evil.example/'), hop('https://evil.example/', 200)], { url: 'https://evil.example/' }), endSession, post), /post_logout_redirect_uri "https:\/\/evil.example\/"/);
  // The OP refused the URI (400 post_logout_uri_not_associated_with_client): the browser never lands.
  assert.throws(() => oidc.loggedOutThroughEndSession(ctx, nav([hop('https://gg.example.org/logout', 302, through), hop(through, 400)], { url: through }), endSession, post), /ended at https:\/\/as.example.org/);
});
