// support/checks/update-site.ts against the shipped ledger: the tutorial's
// string form is the recorded DIV-TUT-01 exactly, anything else fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, KnownDivergenceAssertionError, type CheckContext, type CheckRecord } from '../../support/checks/core';
import { newClaimsRedirectUriKnown, STRING_REFUSED, updateSiteAccepted, updateSiteAnswer } from '../../support/checks/update-site';
import { DivergenceLedger } from '../../support/divergences';
import { WeaknessLedger } from '../../support/weaknesses';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';

function context(): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  return { secrets: new Secrets(), ledger: DivergenceLedger.load(), weaknesses: new WeaknessLedger('w.json', []), records, record: (r) => records.push(r) };
}

function answer(status: number, text: string): Exchange {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    target: 'oxd',
    request: { method: 'POST', url: 'https://oxd/update-site', headers: { Authorization: 'Bearer T' }, body: '{"oxd_id":"o","claims_redirect_uri":"https://x/cb"}' },
    response: { status, headers: {}, text, json },
    durationMs: 1,
  };
}

// What oxd 4.2 answers (test/sandbox/oxd/transport.test.ts pins the sandbox to the same text).
const PARSE_ERROR =
  'Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token\n' +
  ' at [Source: (String)"{…}"; line: 1, column: 37] (through reference chain: org.gluu.oxd.common.params.UpdateSiteParams["claims_redirect_uri"])';

test("the tutorial's string form refused by oxd 4.2 is DIV-TUT-01, whatever the parser's column", () => {
  assert.equal(updateSiteAnswer(answer(400, PARSE_ERROR)), STRING_REFUSED);
  const ctx = context();
  assert.throws(
    () => updateSiteAccepted(ctx, answer(400, PARSE_ERROR), 'a JSON string, as the tutorial writes it'),
    (e: unknown) => e instanceof KnownDivergenceAssertionError && e.divergence === 'DIV-TUT-01' && /oxd refused the tutorial's update-site request/.test(e.message),
  );
  assert.equal(ctx.records[0].outcome, 'known divergence');
});

test('a 200 with the oxd_id passes for the list; for the string form the ledger entry is then stale (the run goes red)', () => {
  const ok = answer(200, '{"oxd_id":"o"}');
  const ctx = context();
  updateSiteAccepted(ctx, ok, 'a JSON list');
  assert.equal(ctx.records[0].outcome, 'passed');
  assert.throws(() => updateSiteAccepted(ctx, ok, 'a JSON string, as the tutorial writes it'), (e: unknown) => e instanceof ConformanceAssertionError && /DIV-TUT-01/.test(e.message));
  assert.equal(ctx.records[1].outcome, 'divergence gone');
});

test('another refusal is a failure with plain words, expected vs actual and the evidence', () => {
  const ctx = context();
  assert.throws(
    () => updateSiteAccepted(ctx, answer(400, '{"error":"invalid_oxd_id","error_description":"Invalid oxd_id."}'), 'a JSON list'),
    (e: unknown) =>
      e instanceof ConformanceAssertionError &&
      e.message.startsWith("oxd refused the tutorial's update-site request with the claims redirect URI as a JSON list") &&
      e.message.includes('expected: HTTP 200 with the oxd_id') &&
      e.message.includes('actual:   HTTP 400 invalid_oxd_id: Invalid oxd_id.') &&
      e.message.includes('POST https://oxd/update-site'),
  );
});

test('the new claims redirect URI: an invalid_claims_redirect_uri redirect fails, a gathering that starts passes', () => {
  const ctx = context();
  newClaimsRedirectUriKnown(ctx, undefined, 'https://c.example/cb-updated');
  assert.equal(ctx.records[0].outcome, 'passed');
  assert.throws(
    () => newClaimsRedirectUriKnown(ctx, new URL('https://c.example/cb-updated?error=invalid_claims_redirect_uri&state=s'), 'https://c.example/cb-updated'),
    (e: unknown) => e instanceof ConformanceAssertionError && /never reached the client registration/.test(e.message) && e.message.includes('error=invalid_claims_redirect_uri'),
  );
});
