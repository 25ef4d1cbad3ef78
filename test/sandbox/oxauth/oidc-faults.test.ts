// The OIDC side's fault profiles, the test user's secrets, and the OP
// session living beside the UMA claims-gathering session in one browser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRU, PAGE_FORM, startAs, toNeedInfo, type TestAs } from './harness';
import { Browser, authorizeUrl, exchangeCode, location, registerRp, testUser, withAsAndRp, type Rp } from './oidc-helpers';
import { buildOxAuth } from '../../../sandbox/oxauth/server';
import { makeAsKeys } from '../../../sandbox/oxauth/jwks';
import { defaultSettings } from '../../../sandbox/settings';
import type { ComponentContext } from '../../../sandbox/component';
import { bind } from '../../../sandbox/lib/http';
import { request } from '../../../sandbox/lib/http-client';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

async function idTokenFor(as: TestAs, rp: Rp, nonce: string): Promise<Record<string, unknown>> {
  const cb = await new Browser(as).fullLogin(rp, testUser(as).username, testUser(as).password, { nonce });
  const t = await exchangeCode(as, rp, cb.searchParams.get('code') as string);
  return payloadOf(t.json().id_token);
}

describe('fault id-token-nonce-from-another-request', () => {
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { faults: ['id-token-nonce-from-another-request'] });

  it('without an earlier request the id_token carries a fresh random nonce', async () => {
    const claims = await idTokenFor(as, rp, 'OWN1');
    assert.equal(typeof claims.nonce, 'string');
    assert.notEqual(claims.nonce, 'OWN1');
  });

  it("with an earlier request (any client) it carries that request's nonce", async () => {
    const other = await registerRp(as);
    await as.call('GET', authorizeUrl(other, { nonce: 'EARLIER' }));
    const claims = await idTokenFor(as, rp, 'OWN2');
    assert.equal(claims.nonce, 'EARLIER');
  });

  it('without the fault the id_token carries the request nonce', async () => {
    const clean = await startAs();
    try {
      const c = await registerRp(clean);
      await clean.call('GET', authorizeUrl(c, { nonce: 'EARLIER' }));
      assert.equal((await idTokenFor(clean, c, 'OWN3')).nonce, 'OWN3');
    } finally {
      await clean.close();
    }
  });
});

describe('fault end-session-keeps-session', () => {
  let as: TestAs;
  let rp: Rp;
  withAsAndRp((s) => ({ as, rp } = s), { faults: ['end-session-keeps-session'] });

  it('end_session redirects but deletes no cookie, and the next authorization needs no login', async () => {
    const b = new Browser(as);
    await b.fullLogin(rp, testUser(as).username, testUser(as).password);
    const r = await b.get(`/oxauth/restv1/end_session?post_logout_redirect_uri=${encodeURIComponent('https://gg.example.org/logout_redirect_uri')}`);
    assert.equal(r.status, 302);
    assert.deepEqual(r.cookies(), []);
    const again = await b.get(authorizeUrl(rp));
    assert.equal(new URL(location(again)).pathname, '/callback');
  });
});

describe('the test user and the UMA session in the same browser', () => {
  it('the password (and OP session ids) reach the recordSecret hook; the password is random per start', async () => {
    const tls = await makeSelfSignedCertificate();
    const listening = await bind('127.0.0.1', 0, tls);
    const settings = defaultSettings();
    const seen: string[] = [];
    const ctx: ComponentContext = {
      settings,
      urls: { kongAdmin: 'http://127.0.0.1:1', kongProxy: 'http://127.0.0.1:2', oxd: 'https://127.0.0.1:3', oxauth: `https://127.0.0.1:${listening.port}`, upstream: 'http://127.0.0.1:4', echo: 'http://127.0.0.1:5', website: 'http://127.0.0.1:6' },
      log: () => undefined,
      recordSecret: (v) => seen.push(v),
    };
    listening.attach(buildOxAuth(ctx, { keys: makeAsKeys(), clock: Date.now }));
    try {
      const user = settings.as.users[0];
      assert.equal(user.username, 'test_user');
      assert.match(user.password, /^[A-Za-z0-9_-]{20}$/);
      assert.notEqual(defaultSettings().as.users[0].password, user.password);
      assert.ok(seen.includes(user.password));
      const r = await request('GET', `https://127.0.0.1:${listening.port}/oxauth/restv1/authorize?response_type=code&client_id=x`, {});
      assert.equal(r.status, 401);
    } finally {
      await listening.close();
    }
  });

  it('tutorialAsSettings has scope with-claims with uma_rpt_policy', () => {
    assert.deepEqual(defaultSettings().as.scopes.find((s) => s.id === 'with-claims'), { id: 'with-claims', policies: ['uma_rpt_policy'] });
  });

  it('claims gathering after login keeps session_id; the OP session still answers with a code', async () => {
    const as = await startAs({ publicUrl: 'https://as.example.org' });
    try {
      const rp = await registerRp(as);
      const b = new Browser(as);
      await b.fullLogin(rp, testUser(as).username, testUser(as).password);
      const sessionId = b.jar.get('session_id');
      const s = await as.setup(['with-claims']);
      const ni = await toNeedInfo(as, s);
      const start = await b.get(`${ni.body.redirect_user}&claims_redirect_uri=${CRU}&state=SC`);
      assert.equal(start.status, 302);
      assert.ok(b.jar.get('uma_session_id'));
      assert.equal(b.jar.get('session_id'), sessionId);
      const country = await b.post('/oxauth/uma2/sample/country.htm', { ...PAGE_FORM, 'loginForm:country': 'US' });
      assert.equal(country.status, 302);
      const city = await b.post('/oxauth/uma2/sample/city.htm', { ...PAGE_FORM, 'loginForm:city': 'NY' });
      assert.match(location(city), new RegExp(`^${CRU}\\?state=SC&ticket=`));
      const again = await b.get(authorizeUrl(rp, { state: 'AFTER' }));
      const cb = new URL(location(again));
      assert.equal(cb.pathname, '/callback');
      assert.equal(cb.searchParams.get('session_id'), sessionId);
    } finally {
      await as.close();
    }
  });
});
