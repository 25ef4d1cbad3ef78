// The AS security weaknesses of issue 12 (items 5, 6, 7, 11) exactly as stock
// oxAuth 4.2.3 has them, and the fix-* profiles that remove them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAs, type Res, type TestAs } from './harness';
import {
  pctOfAnotherClient,
  regatherWithRedirectTicket,
  rptOfAnotherClient,
  ticketOfAnotherClientAtGathering,
  ticketOfAnotherClientAtToken,
} from './security-fix-cases';

const CODE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_[0-9A-F]{4}(\.[0-9A-F]{4}){7}$/;
const errText = (error: string, description: string) => `{\n    "error_description": "${description}",\n    "error": "${error}"\n}`;

function assertRpt(r: Res, pct: string | RegExp, upgraded: boolean, rpt: string | RegExp = CODE): void {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  const b = r.json();
  assert.deepEqual(Object.keys(b), ['access_token', 'token_type', 'pct', 'upgraded']);
  if (typeof rpt === 'string') assert.equal(b.access_token, rpt);
  else assert.match(b.access_token, rpt);
  if (typeof pct === 'string') assert.equal(b.pct, pct);
  else assert.match(b.pct, pct);
  assert.equal(b.token_type, 'Bearer');
  assert.equal(b.upgraded, upgraded);
}

function assertUmaError(r: Res, status: number, error: string, description: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.text, errText(error, description));
}

describe('stock oxAuth 4.2.3: the weaknesses', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it("SEC-AS-PCT-ANY-CLIENT: another client's PCT, with no claims, yields an RPT and that same PCT", async () => {
    const { r, pct } = await pctOfAnotherClient(as);
    assertRpt(r, pct, false);
  });

  it("SEC-AS-RPT-UPGRADE-ANY-CLIENT: another client's RPT is upgraded in place", async () => {
    const { r, rpt } = await rptOfAnotherClient(as);
    assertRpt(r, CODE, true, rpt);
  });

  it('SEC-AS-TICKET-ANY-CLIENT: a ticket need_info gave client A yields client B an RPT with A\'s PCT', async () => {
    const { r, ticketPct } = await ticketOfAnotherClientAtToken(as);
    assertRpt(r, ticketPct, false);
  });

  it("SEC-AS-TICKET-ANY-CLIENT: the claims-gathering endpoint takes client A's ticket with client B's client_id", async () => {
    const r = await ticketOfAnotherClientAtGathering(as);
    assert.equal(r.status, 302);
    assert.equal(r.text, '');
    assert.equal(r.headers.location, `${as.issuer}/oxauth/uma2/sample/country.htm`);
  });

  it('SEC-AS-REGATHER-REVOKES-RPT: gathering again with the redirect ticket leaves its RPT active with no permissions', async () => {
    const { before: b, after: a, second } = await regatherWithRedirectTicket(as);
    assert.equal(second.status, 302);
    assert.match(String(second.headers.location), /^https:\/\/rqp\.example\.org\/claims-cb\?ticket=[0-9a-f-]{36}$/);
    assert.equal(b.json().permissions.length, 1);
    assert.equal(a.status, 200);
    assert.equal(a.headers['cache-control'], 'no-store, no-transform');
    assert.equal(a.json().active, true);
    assert.deepEqual(a.json().permissions, []);
    // pct_claims come from the first permission entry still stored: none.
    assert.equal(a.json().pct_claims, null);
  });
});

describe('fix profiles: the weaknesses removed', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs({ faults: ['fix-pct-client-bound', 'fix-rpt-client-bound', 'fix-ticket-client-bound', 'fix-claims-ticket-client-bound', 'fix-gathering-keeps-granted'] });
  });
  after(() => as.close());

  it("fix-pct-client-bound: another client's PCT → 401 invalid_pct", async () => {
    assertUmaError((await pctOfAnotherClient(as)).r, 401, 'invalid_pct', 'PCT is invalid (revoked, expired or does not exist anymore on AS)');
  });

  it("fix-rpt-client-bound: another client's RPT → 400 invalid_rpt", async () => {
    assertUmaError((await rptOfAnotherClient(as)).r, 400, 'invalid_rpt', 'RPT is invalid (revoked, expired or does not exist anymore on AS)');
  });

  it("fix-ticket-client-bound: another client's ticket → 400 invalid_ticket", async () => {
    assertUmaError((await ticketOfAnotherClientAtToken(as)).r, 400, 'invalid_ticket', 'The provided ticket was not found at the AS.');
  });

  it("fix-claims-ticket-client-bound: another client's ticket at gather_claims → the invalid_ticket redirect", async () => {
    const g = await ticketOfAnotherClientAtGathering(as);
    assert.equal(g.status, 302);
    assert.equal(g.headers.location, 'https://rqp.example.org/claims-cb?error=invalid_ticket&error_description=The+provided+ticket+was+not+found+at+the+AS.');
  });

  it('fix-gathering-keeps-granted: the RPT keeps its permission after a second gathering', async () => {
    const { after: a } = await regatherWithRedirectTicket(as);
    assert.equal(a.json().active, true);
    assert.equal(a.json().permissions.length, 1);
  });
});
