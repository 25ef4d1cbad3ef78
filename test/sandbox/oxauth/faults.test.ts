// Every oxauth fault of sandbox/faults.ts changes what the AS answers, and
// the clean AS answers as the reference says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAULTS, type FaultName } from '../../../sandbox/faults';
import { CRU, ID_TOKEN_FORMAT, PAGE_FORM, cookieJar, gatherBrowser, gatheredTicket, queryOf, startAs, toNeedInfo, unsignedJwt, type TestAs } from './harness';
import { Browser, POST_LOGOUT, authorizeUrl, exchangeCode, location, registerRp, testUser } from './oidc-helpers';
import { SECURITY_FIX_CASES } from './security-fix-cases';

type Scenario = (as: TestAs) => Promise<unknown>;

const pushed = (country: string, city: string): Scenario => async (as) => {
  const s = await as.setup();
  const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country, city }), claim_token_format: ID_TOKEN_FORMAT });
  return r.status;
};

/** Per fault: what to observe, the clean answer and the faulty one. */
const CASES: Record<string, { scenario: Scenario; clean: unknown; faulty: unknown }> = {
  'policy-disabled': {
    scenario: async (as) => {
      const s = await as.setup();
      const g = await gatheredTicket(as, s, 'FR', 'Paris');
      return (await as.token(s.rqp, { ticket: g.t3 })).status;
    },
    clean: 403,
    faulty: 200,
  },
  'policy-case-insensitive': { scenario: pushed('us', 'ny'), clean: 403, faulty: 200 },
  'policy-country-only': { scenario: pushed('US', 'Paris'), clean: 403, faulty: 200 },
  'need-info-without-redirect-user': {
    scenario: async (as) => Object.keys((await toNeedInfo(as, await as.setup())).body).sort(),
    clean: ['error', 'redirect_user', 'required_claims', 'ticket'],
    faulty: ['error', 'required_claims', 'ticket'],
  },
  'need-info-same-ticket': {
    scenario: async (as) => {
      const ni = await toNeedInfo(as, await as.setup());
      return ni.t1 === ni.t2;
    },
    clean: false,
    faulty: true,
  },
  'ticket-reusable': {
    scenario: async (as) => {
      const s = await as.setup();
      const g = await gatheredTicket(as, s);
      const t1 = await as.token(s.rqp, { ticket: g.t1 });
      const t2 = await as.token(s.rqp, { ticket: g.t2 });
      // A kept T2 still names the gathered PCT, so it even yields an RPT.
      return [t1.json().error ?? 'rpt', t2.json().error ?? 'rpt'];
    },
    clean: ['invalid_ticket', 'invalid_ticket'],
    faulty: ['need_info', 'rpt'],
  },
  'gathering-same-ticket': {
    scenario: async (as) => {
      const g = await gatheredTicket(as, await as.setup());
      return g.t3 === g.t2;
    },
    clean: false,
    faulty: true,
  },
  'state-dropped': {
    scenario: async (as) => queryOf((await gatheredTicket(as, await as.setup(), 'US', 'NY', 'S1')).location).get('state'),
    clean: 'S1',
    faulty: null,
  },
  'state-altered': {
    scenario: async (as) => {
      const state = queryOf((await gatheredTicket(as, await as.setup(), 'US', 'NY', 'S1')).location).get('state');
      return state === 'S1' ? 'S1' : 'other';
    },
    clean: 'S1',
    faulty: 'other',
  },
  'cru-query-dropped': {
    scenario: async (as) => {
      const cruWithQuery = `${CRU}?rp=1&v=2`;
      const s = await as.setup(['claim_gathering'], { claims_redirect_uri: [cruWithQuery] });
      const ni = await toNeedInfo(as, s);
      const url = `${ni.body.redirect_user}&claims_redirect_uri=${encodeURIComponent(cruWithQuery)}&state=S1`;
      const { last } = await gatherBrowser(as, url, 'US', 'NY');
      return String(last.headers.location).replace(/ticket=[^&]+/, 'ticket=T3');
    },
    clean: `${CRU}?rp=1&v=2&state=S1&ticket=T3`,
    faulty: `${CRU}?state=S1&ticket=T3`,
  },
  'unregistered-cru-followed': {
    scenario: async (as) => {
      const s = await as.setup();
      const ni = await toNeedInfo(as, s);
      const start = await as.call('GET', `${ni.body.redirect_user}&claims_redirect_uri=https://evil.example/cb&state=S1`);
      if (!String(start.headers.location).startsWith(as.issuer)) return String(start.headers.location).split('&')[0];
      const { last } = await gatherBrowser(as, `${ni.body.redirect_user}&claims_redirect_uri=https://evil.example/cb&state=S1`, 'US', 'NY');
      return String(last.headers.location).split('&')[0];
    },
    clean: 'https://evil.example/cb?error=invalid_claims_redirect_uri',
    faulty: 'https://evil.example/cb?state=S1',
  },
  'city-page-skipped': {
    scenario: async (as) => {
      const s = await as.setup();
      const ni = await toNeedInfo(as, s);
      const start = await as.call('GET', `${ni.body.redirect_user}&claims_redirect_uri=${CRU}`);
      const country = await as.call('POST', '/oxauth/uma2/sample/country.htm', { headers: { Cookie: cookieJar(start.cookies()) }, form: { ...PAGE_FORM, 'loginForm:country': 'US' } });
      return String(country.headers.location).split('?')[0];
    },
    clean: 'https://localhost/oxauth/uma2/sample/city.htm',
    faulty: CRU,
  },
  'introspection-has-scope': {
    scenario: async (as) => {
      const s = await as.setup();
      const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: 'US', city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT });
      const intro = await as.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}` }, form: { token: r.json().access_token } });
      return intro.json().scope ?? null;
    },
    clean: null,
    faulty: 'claim_gathering',
  },
  'upgrade-without-upgraded': {
    scenario: async (as) => {
      const s = await as.setup();
      const push = { claim_token: unsignedJwt({ country: 'US', city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT };
      const rpt = (await as.token(s.rqp, { ticket: await s.newTicket(), ...push })).json().access_token;
      const up = await as.token(s.rqp, { ticket: await s.newTicket(), rpt, ...push });
      return [up.json().access_token === rpt, up.json().upgraded];
    },
    clean: [true, true],
    faulty: [true, false],
  },
  'pct-ignored': {
    scenario: async (as) => {
      const s = await as.setup();
      const g = await gatheredTicket(as, s);
      const r = await as.token(s.rqp, { ticket: await s.newTicket(), pct: g.pct });
      return r.json().error ?? 'rpt';
    },
    clean: 'rpt',
    faulty: 'need_info',
  },
  // OpenID Connect side
  'id-token-nonce-from-another-request': {
    scenario: async (as) => {
      const rp = await registerRp(as);
      await as.call('GET', authorizeUrl(await registerRp(as), { nonce: 'EARLIER' }));
      const cb = await new Browser(as).fullLogin(rp, testUser(as).username, testUser(as).password, { nonce: 'OWN' });
      const t = await exchangeCode(as, rp, cb.searchParams.get('code') as string);
      return JSON.parse(Buffer.from(t.json().id_token.split('.')[1], 'base64url').toString('utf8')).nonce;
    },
    clean: 'OWN',
    faulty: 'EARLIER',
  },
  'end-session-keeps-session': {
    scenario: async (as) => {
      const rp = await registerRp(as);
      const b = new Browser(as);
      await b.fullLogin(rp, testUser(as).username, testUser(as).password);
      await b.get(`/oxauth/restv1/end_session?post_logout_redirect_uri=${encodeURIComponent(POST_LOGOUT)}`);
      return new URL(location(await b.get(authorizeUrl(rp)))).pathname;
    },
    clean: '/oxauth/authorize.htm',
    faulty: '/callback',
  },
  ...SECURITY_FIX_CASES,
};

/** Host-independent comparison for Locations on the AS. */
function normalise(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(/^https:\/\/localhost:\d+/, 'https://localhost') : v;
}

describe('oxauth faults', () => {
  const oxauthFaults = (Object.keys(FAULTS) as FaultName[]).filter((f) => FAULTS[f].component === 'oxauth');

  it('has a case for every oxauth fault of the table', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...oxauthFaults].sort());
  });

  for (const fault of oxauthFaults) {
    it(`${fault}: ${FAULTS[fault].description}`, async () => {
      const c = CASES[fault];
      const clean = await startAs();
      const faulty = await startAs({ faults: [fault] });
      try {
        assert.deepEqual(normalise(await c.scenario(clean)), c.clean, 'clean');
        assert.deepEqual(normalise(await c.scenario(faulty)), c.faulty, 'with the fault');
      } finally {
        await clean.close();
        await faulty.close();
      }
    });
  }
});
