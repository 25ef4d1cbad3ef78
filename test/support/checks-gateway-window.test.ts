// Issue 14 item 11: a gateway check that meets GG's 502 "An unexpected error
// ocurred" names the protection-token window; other failures do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, DIVERGENCE_GONE_MARK, KnownDivergenceAssertionError, type CheckContext, type CheckRecord } from '../../support/checks/core';
import { isGatewayUnexpectedError, pathOutcome, PROTECTION_TOKEN_WINDOW_NOTE, refused, refusedInTokenWindow, refusedWithTicket, renewedAfterWindow, tutorialApiData } from '../../support/checks/gateway';
import { DivergenceLedger } from '../../support/divergences';
import { WeaknessLedger } from '../../support/weaknesses';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';

function context(): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  return { secrets: new Secrets(), ledger: new DivergenceLedger('l.json', []), weaknesses: new WeaknessLedger('w.json', []), records, record: (r) => records.push(r) };
}

function answer(status: number, text: string, headers: Record<string, string> = {}): Exchange {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { target: 'Kong proxy', request: { method: 'GET', url: 'http://kong/posts/1', headers: {}, body: '' }, response: { status, headers: { 'content-type': 'application/json', ...headers }, text, json }, durationMs: 1 };
}

const GG_502 = answer(502, '{"message":"An unexpected error ocurred"}');

test("GG's own 502 is told apart from other 5xx", () => {
  assert.equal(isGatewayUnexpectedError(GG_502), true);
  assert.equal(isGatewayUnexpectedError(answer(502, '{"message":"An invalid response was received from the upstream server"}')), false);
  assert.equal(isGatewayUnexpectedError(answer(500, '{"message":"An unexpected error ocurred"}')), false);
});

test('a 502 where 401, a refusal, 200 or a path outcome was expected: the failure names the window, after the plain words', () => {
  const cases: Array<[string, () => void]> = [
    ['The gateway did not refuse a request without a token with 401.', () => refusedWithTicket(context(), GG_502, 'a request without a token')],
    ['The gateway did not refuse a request with an RPT.', () => refused(context(), GG_502, 'a request with an RPT')],
    ['The protected resource did not answer 200 to a request with a valid RPT.', () => tutorialApiData(context(), GG_502)],
    ['The gateway did not treat GET /posts/1 as protected.', () => pathOutcome(context(), GG_502, 'protected', 'GET /posts/1')],
  ];
  for (const [words, run] of cases) {
    assert.throws(run, (e: unknown) => e instanceof ConformanceAssertionError && e.message.startsWith(`${words} ${PROTECTION_TOKEN_WINDOW_NOTE}\n`), words);
  }
  assert.match(PROTECTION_TOKEN_WINDOW_NOTE, /until 5 s after it expired/);
});

test('other failures keep their plain words only', () => {
  assert.throws(
    () => refusedWithTicket(context(), answer(200, '{"id":1}'), 'a request without a token'),
    (e: unknown) => e instanceof ConformanceAssertionError && e.message.startsWith('The gateway did not refuse a request without a token with 401.\n'),
  );
  assert.throws(
    () => tutorialApiData(context(), answer(500, '{"message":"An unexpected error ocurred"}')),
    (e: unknown) => e instanceof ConformanceAssertionError && !e.message.includes('protection token'),
  );
});

test('inside the window: 401 with a ticket or a Warning 199 passes; GG\'s 502 is DIV-RS-02 from the shipped ledger; anything else fails', () => {
  const ledger = DivergenceLedger.load();
  const ctx = () => ({ ...context(), ledger });
  const challenge = answer(401, '{"message":"Unauthorized"}', { 'www-authenticate': 'UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope",ticket="T1"' });
  assert.doesNotThrow(() => refusedInTokenWindow(context(), challenge));
  assert.doesNotThrow(() => refusedInTokenWindow(context(), answer(503, '', { warning: '199 - "UMA Authorization Server Unreachable"' })));
  assert.throws(
    () => refusedInTokenWindow(ctx(), GG_502),
    (e: unknown) => e instanceof KnownDivergenceAssertionError && e.divergence === 'DIV-RS-02' && e.message.includes(PROTECTION_TOKEN_WINDOW_NOTE),
  );
  assert.throws(
    () => refusedInTokenWindow(ctx(), answer(500, '{"message":"An unexpected error occurred"}')),
    (e: unknown) => e instanceof ConformanceAssertionError && /actual: {3}status 500 \{"message":"An unexpected error occurred"\}, no Warning header/.test(e.message),
  );
  // A gateway that renews in time: the recorded divergence is gone, and the run says so.
  assert.throws(() => refusedInTokenWindow(ctx(), challenge), (e: unknown) => e instanceof ConformanceAssertionError && e.message.startsWith(DIVERGENCE_GONE_MARK));
});

test('after the window: GG\'s 502 says the token was not renewed, with the seconds waited', () => {
  assert.doesNotThrow(() => renewedAfterWindow(context(), answer(401, '{"message":"Unauthorized"}'), 6));
  assert.throws(
    () => renewedAfterWindow(context(), GG_502, 14),
    (e: unknown) => e instanceof ConformanceAssertionError && e.message.startsWith('The gateway still answered 502 "An unexpected error ocurred" 14 s after its protection token expired'),
  );
});
