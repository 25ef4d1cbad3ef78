// The AS fix profiles (fix-*, issue 12): each one removes a
// security weakness stock oxAuth 4.2.3 has. Shared by faults.test.ts (every
// oxauth fault has a case) and security-weaknesses.test.ts (status, headers
// and body on both sides).
import { CRU, ID_TOKEN_FORMAT, gatherBrowser, gatheredTicket, toNeedInfo, unsignedJwt, type Res, type Setup, type TestAs } from './harness';

export const usNy = (as: TestAs) => unsignedJwt({ iss: as.issuer, sub: 'rqp-1', country: 'US', city: 'NY' });

/** A second requesting-party client of the same AS. */
export const otherClient = (as: TestAs) => as.registerClient({ client_name: 'other-client' });

export async function rptFor(as: TestAs, s: Setup): Promise<{ rpt: string; pct: string }> {
  const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: usNy(as), claim_token_format: ID_TOKEN_FORMAT });
  if (r.status !== 200) throw new Error(`expected an RPT, got ${r.status} ${r.text}`);
  return { rpt: r.json().access_token, pct: r.json().pct };
}

export const introspect = (as: TestAs, s: Setup, rpt: string) =>
  as.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}` }, form: { token: rpt } });

/** Client B sends client A's PCT with a fresh ticket and no claims. */
export async function pctOfAnotherClient(as: TestAs): Promise<{ r: Res; pct: string }> {
  const s = await as.setup();
  const { pct } = await rptFor(as, s);
  const b = await otherClient(as);
  return { r: await as.token(b, { ticket: await s.newTicket(), pct }), pct };
}

/** Client B sends client A's RPT for upgrade with a fresh ticket and claims the policy grants. */
export async function rptOfAnotherClient(as: TestAs): Promise<{ r: Res; rpt: string }> {
  const s = await as.setup();
  const { rpt } = await rptFor(as, s);
  const b = await otherClient(as);
  return { r: await as.token(b, { ticket: await s.newTicket(), rpt, claim_token: usNy(as), claim_token_format: ID_TOKEN_FORMAT }), rpt };
}

/** Client B sends the ticket need_info gave client A, with claims the policy grants. */
export async function ticketOfAnotherClientAtToken(as: TestAs): Promise<{ r: Res; ticketPct: string }> {
  const s = await as.setup();
  const ni = await toNeedInfo(as, s);
  const b = await otherClient(as);
  const ticketPct = as.store.permissionsByTicket(ni.t2)[0]?.attributes.pct ?? '';
  return { r: await as.token(b, { ticket: ni.t2, claim_token: usNy(as), claim_token_format: ID_TOKEN_FORMAT }), ticketPct };
}

/** Client B opens the claims-gathering endpoint with the ticket need_info gave client A. */
export async function ticketOfAnotherClientAtGathering(as: TestAs): Promise<Res> {
  const ni = await toNeedInfo(as, await as.setup());
  const b = await otherClient(as);
  return as.call('GET', `/oxauth/restv1/uma/gather_claims?client_id=${b.id}&ticket=${ni.t2}&claims_redirect_uri=${CRU}`);
}

/** An RPT from the gathered ticket T3, then the user is sent to gather again with T3: the RPT's permissions before and after. */
export async function regatherWithRedirectTicket(as: TestAs): Promise<{ before: Res; after: Res; second: Res }> {
  const s = await as.setup();
  const g = await gatheredTicket(as, s);
  const r = await as.token(s.rqp, { ticket: g.t3 });
  if (r.status !== 200) throw new Error(`expected an RPT for T3, got ${r.status} ${r.text}`);
  const rpt = r.json().access_token;
  const before = await introspect(as, s, rpt);
  const { last } = await gatherBrowser(as, `/oxauth/restv1/uma/gather_claims?client_id=${s.rqp.id}&ticket=${g.t3}&claims_redirect_uri=${CRU}`, 'FR', 'Paris');
  return { before, after: await introspect(as, s, rpt), second: last };
}

type Scenario = (as: TestAs) => Promise<unknown>;

export const SECURITY_FIX_CASES: Record<string, { scenario: Scenario; clean: unknown; faulty: unknown }> = {
  'fix-pct-client-bound': { scenario: async (as) => (await pctOfAnotherClient(as)).r.status, clean: 200, faulty: 401 },
  'fix-rpt-client-bound': { scenario: async (as) => (await rptOfAnotherClient(as)).r.status, clean: 200, faulty: 400 },
  'fix-ticket-client-bound': { scenario: async (as) => (await ticketOfAnotherClientAtToken(as)).r.status, clean: 200, faulty: 400 },
  'fix-claims-ticket-client-bound': {
    scenario: async (as) => new URL(String((await ticketOfAnotherClientAtGathering(as)).headers.location)).pathname,
    clean: '/oxauth/uma2/sample/country.htm',
    faulty: new URL(CRU).pathname,
  },
  'fix-gathering-keeps-granted': {
    scenario: async (as) => (await regatherWithRedirectTicket(as)).after.json().permissions.length,
    clean: 0,
    faulty: 1,
  },
};
