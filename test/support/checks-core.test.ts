import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, KnownDivergenceAssertionError, KnownWeaknessAssertionError, probe, verify, type CheckContext, type CheckRecord } from '../../support/checks/core';
import { DivergenceLedger } from '../../support/divergences';
import { WeaknessLedger } from '../../support/weaknesses';
import { ConfigError } from '../../support/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';

function context(): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  const ledger = new DivergenceLedger('ledger.json', [
    { id: 'DIV-X', requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', aspect: 'ticket error code', observed: ['invalid_ticket'], reason: 'vendor code', source: 's', status: 'verified' },
  ]);
  const secrets = new Secrets();
  secrets.add('SECRET-TOKEN-1');
  const weaknesses = new WeaknessLedger('weaknesses.json', [
    { id: 'SEC-X', requirement: 'SEC-X', aspect: 'cross-route grant', observed: ['status 200'], severity: 'high', reason: 'an RPT opens another route', source: 's', status: 'verified' },
  ]);
  return { secrets, ledger, weaknesses, records, record: (r) => records.push(r) };
}

const exchange: Exchange = {
  target: 'oxd',
  request: { method: 'POST', url: 'https://oxd/uma-rp-get-rpt', headers: { Authorization: 'Bearer SECRET-TOKEN-1' }, body: '{"ticket":"T1"}' },
  response: { status: 400, headers: { 'content-type': 'application/json' }, text: '{"error":"invalid_ticket"}', json: { error: 'invalid_ticket' } },
  durationMs: 3,
};

test('a passing check records and returns', () => {
  const ctx = context();
  verify(ctx, { aspect: 'status', failure: 'x', expected: 'status 400', actual: 'status 400', pass: true });
  assert.deepEqual(ctx.records, [{ requirement: undefined, aspect: 'status', outcome: 'passed', expected: 'status 400', actual: 'status 400' }]);
});

test('a failing check says plain words first, then requirement, expected vs actual, then masked evidence', () => {
  const ctx = context();
  assert.throws(
    () => verify(ctx, { requirement: 'UMA-GRANT-3.2-TICKET-OBTAINED', aspect: 'status', failure: 'The gateway let it through.', expected: 'status 401', actual: 'status 200', pass: false, evidence: exchange }),
    (err: unknown) => {
      assert.ok(err instanceof ConformanceAssertionError);
      const lines = err.message.split('\n');
      assert.equal(lines[0], 'The gateway let it through.');
      assert.match(lines[1], /^ {2}requirement: UMA-GRANT-3\.2-TICKET-OBTAINED {2}https:\/\/docs\.kantarainitiative\.org\/uma\/wg\/rec-oauth-uma-grant-2\.0\.html#rfc\.section\.3\.2$/);
      assert.equal(lines[2], '  expected: status 401');
      assert.equal(lines[3], '  actual:   status 200');
      assert.match(err.message, /POST https:\/\/oxd\/uma-rp-get-rpt/);
      assert.ok(!err.message.includes('SECRET-TOKEN-1'), 'secret leaked into the message');
      return true;
    },
  );
  assert.equal(ctx.records[0].outcome, 'failed');
});

test('a failure exactly as the ledger records is a known divergence', () => {
  const ctx = context();
  assert.throws(
    () => verify(ctx, { requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', aspect: 'ticket error code', failure: 'wrong code', expected: 'error invalid_grant', actual: 'invalid_ticket', pass: false }),
    (err: unknown) => err instanceof KnownDivergenceAssertionError && err.divergence === 'DIV-X' && err.message.startsWith('KNOWN DIVERGENCE DIV-X: wrong code'),
  );
});

test('a failure other than the recorded one is a conformance failure that names the entry', () => {
  const ctx = context();
  assert.throws(
    () => verify(ctx, { requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', aspect: 'ticket error code', failure: 'wrong code', expected: 'error invalid_grant', actual: 'server_error', pass: false }),
    (err: unknown) => err instanceof ConformanceAssertionError && /DIV-X records "invalid_ticket"/.test(err.message),
  );
});

test('a recorded divergence that no longer happens fails, so the ledger cannot go stale', () => {
  const ctx = context();
  assert.throws(
    () => verify(ctx, { requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', aspect: 'ticket error code', failure: 'wrong code', expected: 'error invalid_grant', actual: 'invalid_grant', pass: true }),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('RECORDED DIVERGENCE NO LONGER HAPPENS: DIV-X'),
  );
  assert.equal(ctx.records[0].outcome, 'divergence gone');
});

test('the same requirement with another aspect is not affected by the ledger', () => {
  const ctx = context();
  verify(ctx, { requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', aspect: 'status', failure: 'x', expected: 'status 400', actual: 'status 400', pass: true });
  assert.equal(ctx.records[0].outcome, 'passed');
});

test('a check whose actual quotes a body cut inside a token records and shows no start of it', () => {
  const ctx = context();
  const token = 'SECRET-TOKEN-1-and-the-rest-of-a-long-one';
  ctx.secrets.add(token);
  const actual = `status 200, {"pct":"${token}"}`.slice(0, 30);
  assert.throws(() => verify(ctx, { aspect: 'RPT issued', failure: 'x', expected: 'status 200', actual, pass: false }), (err: unknown) => {
    assert.ok(err instanceof ConformanceAssertionError);
    assert.ok(!err.message.includes('SECRET-TOKEN'), err.message);
    return true;
  });
  assert.ok(!ctx.records[0].actual.includes('SECRET-TOKEN'), ctx.records[0].actual);
  assert.match(ctx.records[0].actual, /^status 200, \{"pct":"«masked:[0-9a-f]{6}»$/);
});

test('a probe failing with a recorded weakness is a finding, with its id, severity, risk and source', () => {
  const ctx = context();
  assert.throws(
    () => probe(ctx, { requirement: 'SEC-X', aspect: 'cross-route grant', failure: 'The RPT of route A opened route B.', expected: 'status 401', actual: 'status 200', pass: false }),
    (err: unknown) =>
      err instanceof KnownWeaknessAssertionError &&
      err.weakness === 'SEC-X' &&
      err.severity === 'high' &&
      err.message.startsWith('KNOWN WEAKNESS SEC-X (high): The RPT of route A opened route B.') &&
      err.message.includes('risk: an RPT opens another route') &&
      err.message.includes('\n  requirement: SEC-X\n') &&
      err.message.includes('source: s'),
  );
  assert.equal(ctx.records[0].outcome, 'known weakness');
});

test('a probe that passes where a weakness is recorded reports it not found, and does not fail', () => {
  const ctx = context();
  probe(ctx, { requirement: 'SEC-X', aspect: 'cross-route grant', failure: 'x', expected: 'status 401', actual: 'status 401', pass: true });
  assert.equal(ctx.records[0].outcome, 'weakness not found');
});

test('a probe failing otherwise, or with no entry, fails the run', () => {
  const ctx = context();
  assert.throws(
    () => probe(ctx, { requirement: 'SEC-X', aspect: 'cross-route grant', failure: 'Broken.', expected: 'status 401', actual: 'status 500', pass: false }),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('Broken.') && err.message.includes('SEC-X records "status 200"'),
  );
  assert.throws(
    () => probe(ctx, { requirement: 'SEC-Y', aspect: 'other', failure: 'Unrecorded.', expected: 'a', actual: 'b', pass: false }),
    (err: unknown) => err instanceof ConformanceAssertionError && err.message.startsWith('Unrecorded.'),
  );
  assert.deepEqual(ctx.records.map((r) => r.outcome), ['failed', 'failed']);
});

test('the weaknesses ledger refuses an entry without a severity or with a malformed id', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weak-')), 'w.json');
  fs.writeFileSync(file, JSON.stringify([{ id: 'W1', requirement: 'r', aspect: 'a', observed: ['x'], reason: 'r', source: 's', status: 'verified' }]));
  assert.throws(
    () => WeaknessLedger.load(file),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.some((p) => p.endsWith('entry 1: id "W1" must look like SEC-…')) &&
      err.problems.some((p) => p.endsWith('entry 1 (W1) needs "severity": one of critical, high, medium, low')),
  );
});

test("the project's own weaknesses ledger loads", () => {
  assert.ok(Array.isArray(WeaknessLedger.load().entries));
});
