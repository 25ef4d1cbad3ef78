// test:self's proof of both sides of a security probe, without running the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFaultList } from '../../scripts/lib/self-verify/fault-list';
import { findingsOf, judgeFixed, judgeLedgerRemoved, planWeaknesses, writeLedgerWithout } from '../../scripts/lib/self-verify/weakness-proof';
import type { SuiteRunResult } from '../../scripts/lib/self-verify/suite-run';
import type { ScenarioResult } from '../../scripts/lib/run-summary';

function run(exitCode: number, scenarios: ScenarioResult[]): SuiteRunResult {
  const counts = { passed: 0, failed: 0, 'known divergence': 0, 'known weakness': 0, skipped: 0 };
  for (const s of scenarios) counts[s.outcome]++;
  return { label: 'x', exitCode, signal: null, ms: 1000, timedOut: false, interrupted: false, stoppedAtFirstFailure: false, consoleFailures: [], summary: { scenarios, counts }, logFile: '/tmp/x/console.log' };
}
const uri = 'features/security/gateway.feature';
const FINDING: ScenarioResult = { name: 'probe', uri, outcome: 'known weakness', message: 'KnownWeaknessAssertionError: KNOWN WEAKNESS SEC-GW-01 (high): an RPT opened another route' };

test('a fix profile is told by its description; other profiles are faults', () => {
  const list = parseFaultList('policy-disabled  [oxauth] The RPT policy is not evaluated.\nfix-grant-cache-per-route  [kong] Removes weakness SEC-GW-01: the grant cache key holds the route.');
  assert.equal(list[0].removes, undefined);
  assert.equal(list[1].removes, 'SEC-GW-01');
});

test('the clean run\'s findings by weakness id; a quoted mark is not a finding', () => {
  const f = findingsOf(run(0, [FINDING, { name: 'other', uri, outcome: 'failed', message: 'ConformanceAssertionError: x KNOWN WEAKNESS SEC-GW-02 (high): y' }, { name: 'ok', uri, outcome: 'passed' }]));
  assert.deepEqual([...f.entries()], [['SEC-GW-01', [{ name: 'probe', uri }]]]);
});

test('ledger entry removed: the probe must fail and the run be red', () => {
  const probes = [{ name: 'probe', uri }];
  assert.equal(judgeLedgerRemoved(run(1, [{ ...FINDING, outcome: 'failed' }]), probes), undefined);
  assert.match(judgeLedgerRemoved(run(0, [{ ...FINDING, outcome: 'passed' }]), probes) ?? '', /"probe" was passed, not failed/);
  assert.match(judgeLedgerRemoved(run(1, []), probes) ?? '', /did not run/);
  assert.match(judgeLedgerRemoved(run(2, []), probes) ?? '', /exit 2/);
});

test('fix profile on: the probe must pass and the @security run be green', () => {
  const probes = [{ name: 'probe', uri }];
  assert.equal(judgeFixed(run(0, [{ ...FINDING, outcome: 'passed', message: undefined }]), 'fix-x', probes), undefined);
  assert.match(judgeFixed(run(0, [FINDING]), 'fix-x', probes) ?? '', /fix-x: "probe" was known weakness, not passed \(KNOWN WEAKNESS SEC-GW-01/);
  assert.match(judgeFixed(run(1, [{ ...FINDING, outcome: 'passed' }, { name: 'b', uri, outcome: 'failed' }]), 'fix-x', probes) ?? '', /the @security run is red \(exit 1; failed: b\)/);
});

test('what to prove: every selected fix; a full run adds every finding (one without a fix shows as not proven)', () => {
  const fix = { name: 'fix-a', component: 'kong', description: 'Removes weakness SEC-A: …', removes: 'SEC-A' };
  const findings = new Map([['SEC-B', [{ name: 'b', uri }]]]);
  assert.deepEqual(planWeaknesses([fix], findings, true).ids, ['SEC-A', 'SEC-B']);
  assert.deepEqual(planWeaknesses([fix], findings, false).ids, ['SEC-A']);
  assert.deepEqual(planWeaknesses([], findings, false).ids, []);
});

test('the ledger copy lacks exactly the proven entries', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
  fs.writeFileSync(path.join(dir, 'in.json'), JSON.stringify([{ id: 'SEC-A' }, { id: 'SEC-B' }]));
  writeLedgerWithout(path.join(dir, 'in.json'), ['SEC-A'], path.join(dir, 'sub', 'out.json'));
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'sub', 'out.json'), 'utf8')), [{ id: 'SEC-B' }]);
});
