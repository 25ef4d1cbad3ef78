// The AS security probes' checks (support/checks/security-as.ts) against the
// real known-weaknesses ledger: a stock answer is the recorded finding, a
// safe answer passes, anything else fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, KnownWeaknessAssertionError, type CheckContext, type CheckRecord } from '../../support/checks/core';
import * as sec from '../../support/checks/security-as';
import { DivergenceLedger } from '../../support/divergences';
import { WeaknessLedger } from '../../support/weaknesses';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';

function context(): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  return { secrets: new Secrets(), ledger: new DivergenceLedger('l.json', []), weaknesses: WeaknessLedger.load(), records, record: (r) => records.push(r) };
}

function answer(status: number, json: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Exchange {
  return {
    target: 'authorization server',
    request: { method: 'POST', url: 'https://as/oxauth/restv1/token', headers: {}, body: 'ticket=T' },
    response: { status, headers, text: json === undefined ? '' : JSON.stringify(json), json },
    durationMs: 1,
  };
}

const RPT = 'rpt-code';
const granted = (upgraded = false) => answer(200, { access_token: RPT, token_type: 'Bearer', pct: 'pct-code', upgraded });
const CRU = 'https://b.rqp.example/claims-cb';
const redirect = (location: string) => answer(302, undefined, { location });
const introspection = (permissions: unknown[], active = true) => answer(200, { active, permissions });

function finding(run: () => void, id: string): void {
  assert.throws(run, (e: unknown) => e instanceof KnownWeaknessAssertionError && e.weakness === id);
}

function failsRun(run: () => void): void {
  assert.throws(run, (e: unknown) => e instanceof ConformanceAssertionError);
}

test("another client's PCT: an RPT is the finding, invalid_pct or need_info pass, a 500 fails", () => {
  finding(() => sec.pctOnlyForItsClient(context(), granted()), 'SEC-AS-PCT-ANY-CLIENT');
  sec.pctOnlyForItsClient(context(), answer(401, { error: 'invalid_pct' }));
  sec.pctOnlyForItsClient(context(), answer(403, { error: 'need_info', ticket: 'T2' }));
  failsRun(() => sec.pctOnlyForItsClient(context(), answer(500, { error: 'server_error' })));
});

test("another client's RPT: upgraded in place is the finding, invalid_rpt passes, a new RPT for it fails", () => {
  finding(() => sec.rptUpgradeOnlyByItsClient(context(), granted(true), RPT), 'SEC-AS-RPT-UPGRADE-ANY-CLIENT');
  sec.rptUpgradeOnlyByItsClient(context(), answer(400, { error: 'invalid_rpt' }), RPT);
  failsRun(() => sec.rptUpgradeOnlyByItsClient(context(), granted(false), 'another-rpt'));
});

test("another client's ticket at the token endpoint: an RPT is the finding, invalid_ticket passes", () => {
  finding(() => sec.ticketOnlyForItsClientAtToken(context(), granted()), 'SEC-AS-TICKET-ANY-CLIENT');
  sec.ticketOnlyForItsClientAtToken(context(), answer(400, { error: 'invalid_ticket' }));
});

test("another client's ticket at gather_claims: a page is the finding, the error redirect or a 400 passes", () => {
  finding(() => sec.ticketOnlyForItsClientAtClaims(context(), redirect('https://as/oxauth/uma2/sample/country.htm'), CRU), 'SEC-AS-TICKET-ANY-CLIENT-AT-CLAIMS');
  sec.ticketOnlyForItsClientAtClaims(context(), redirect(`${CRU}?error=invalid_ticket&error_description=x&state=S`), CRU);
  sec.ticketOnlyForItsClientAtClaims(context(), answer(400, { error: 'invalid_client_id' }), CRU);
  failsRun(() => sec.ticketOnlyForItsClientAtClaims(context(), answer(500, { error: 'server_error' }), CRU));
});

test('gathering again: no permissions left is the finding, the permission kept passes, an inactive RPT fails', () => {
  const before = introspection([{ resource_id: 'R1' }]);
  finding(() => sec.rptKeepsPermissionsAfterRegathering(context(), before, introspection([])), 'SEC-AS-REGATHER-REVOKES-RPT');
  sec.rptKeepsPermissionsAfterRegathering(context(), before, introspection([{ resource_id: 'R1' }]));
  failsRun(() => sec.rptKeepsPermissionsAfterRegathering(context(), before, introspection([], false)));
});
