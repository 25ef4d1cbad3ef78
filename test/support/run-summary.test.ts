import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { interruptedLine, reportsPointer, summarize, summaryLine, type RunSummary } from '../../scripts/lib/run-summary';

function messages(cases: Array<{ name: string; steps: Array<{ status: string; message?: string }>; retried?: boolean }>): string {
  const lines: unknown[] = [];
  cases.forEach((c, i) => {
    lines.push({ pickle: { id: `p${i}`, name: c.name, uri: 'features/x.feature' } });
    lines.push({ testCase: { id: `tc${i}`, pickleId: `p${i}` } });
    lines.push({ testCaseStarted: { id: `s${i}`, testCaseId: `tc${i}` } });
    for (const s of c.steps) lines.push({ testStepFinished: { testCaseStartedId: `s${i}`, testStepResult: s } });
    lines.push({ testCaseFinished: { testCaseStartedId: `s${i}`, willBeRetried: c.retried ?? false } });
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'msgs-')), 'm.ndjson');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{truncated');
  return file;
}

test('classifies passed, failed, known divergence and skipped scenarios', () => {
  const s = summarize(
    messages([
      { name: 'ok', steps: [{ status: 'PASSED' }, { status: 'PASSED' }] },
      { name: 'bad', steps: [{ status: 'PASSED' }, { status: 'FAILED', message: 'The gateway let it through.' }, { status: 'SKIPPED' }] },
      { name: 'div', steps: [{ status: 'PASSED' }, { status: 'FAILED', message: 'KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-AS-01: …' }] },
      // Evidence quoting the words is not a known divergence: only the checks' error class at the start is.
      { name: 'quoted', steps: [{ status: 'FAILED', message: 'ConformanceAssertionError: The gateway let it through.\n  body: "KNOWN DIVERGENCE DIV-AS-01: x"' }] },
      { name: 'skip', steps: [{ status: 'SKIPPED' }, { status: 'SKIPPED' }] },
      { name: 'skipped by a hook', steps: [{ status: 'PASSED' }, { status: 'SKIPPED' }, { status: 'SKIPPED' }, { status: 'PASSED' }] },
      { name: 'undef', steps: [{ status: 'UNDEFINED' }] },
      { name: 'retry', steps: [{ status: 'FAILED', message: 'x' }], retried: true },
    ]),
  );
  assert.deepEqual(
    s.scenarios.map((r) => [r.name, r.outcome]),
    [
      ['ok', 'passed'],
      ['bad', 'failed'],
      ['div', 'known divergence'],
      ['quoted', 'failed'],
      ['skip', 'skipped'],
      ['skipped by a hook', 'skipped'],
      ['undef', 'failed'],
    ],
  );
  assert.equal(s.scenarios[1].message, 'The gateway let it through.');
  assert.equal(summaryLine(s), '1 passed, 3 failed (1 known divergence, 2 skipped)');
});

test('a missing messages file is an empty run', () => {
  assert.equal(summaryLine(summarize('/nonexistent/m.ndjson')), '0 passed, 0 failed');
});

test('a recorded security weakness is a finding: counted apart, never failed; a mix with a divergence is a divergence', () => {
  const weakness = 'KnownWeaknessAssertionError: KNOWN WEAKNESS SEC-GW-01 (high): an RPT opened another route';
  const s = summarize(
    messages([
      { name: 'finding', steps: [{ status: 'PASSED' }, { status: 'FAILED', message: weakness }, { status: 'SKIPPED' }] },
      { name: 'mixed', steps: [{ status: 'FAILED', message: weakness }, { status: 'FAILED', message: 'KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-AS-01: x' }] },
      { name: 'quoted', steps: [{ status: 'FAILED', message: `ConformanceAssertionError: other.\n  body: "${weakness}"` }] },
      { name: 'ok', steps: [{ status: 'PASSED' }] },
    ]),
  );
  assert.deepEqual(
    s.scenarios.map((r) => [r.name, r.outcome]),
    [
      ['finding', 'known weakness'],
      ['mixed', 'known divergence'],
      ['quoted', 'failed'],
      ['ok', 'passed'],
    ],
  );
  // .ci/run greps the leading "N passed, N failed".
  assert.equal(summaryLine(s), '1 passed, 1 failed (1 known divergence, 1 known weakness present)');
});

function counts(c: Partial<RunSummary['counts']>): RunSummary {
  return { scenarios: [], counts: { passed: 0, failed: 0, 'known divergence': 0, 'known weakness': 0, skipped: 0, ...c } };
}

test('the summary line counts in plain English: one known divergence, two known weaknesses present (issue 14 item 16)', () => {
  assert.equal(summaryLine(counts({ passed: 15, 'known divergence': 1 })), '15 passed, 0 failed (1 known divergence)');
  assert.equal(summaryLine(counts({ passed: 2, 'known divergence': 24, 'known weakness': 2, skipped: 1 })), '2 passed, 0 failed (24 known divergences, 2 known weaknesses present, 1 skipped)');
  assert.equal(summaryLine(counts({ passed: 1 })), '1 passed, 0 failed');
});

test('a failing run points at its reports and at npm run report, with the reports folder the user chose', () => {
  assert.equal(
    reportsPointer('reports', undefined),
    "Every step's HTTP exchanges, screenshots and traces are in reports/allure-results/ (JUnit: reports/junit.xml); `npm run report` makes the HTML report and the conformance statement from them.",
  );
  assert.match(reportsPointer('/tmp/r1', '/tmp/r1'), / in \/tmp\/r1\/allure-results\/ \(JUnit: \/tmp\/r1\/junit\.xml\); `UMA_REPORTS_DIR=\/tmp\/r1 npm run report` makes/);
  // A folder with a space is quoted, so that the command can be pasted.
  assert.match(reportsPointer('/tmp/my runs', '/tmp/my runs'), /`UMA_REPORTS_DIR='\/tmp\/my runs' npm run report`/);
});

test('the interrupted line: one scenario, one known divergence, two known weaknesses', () => {
  assert.equal(
    interruptedLine('SIGINT', [{ cut: 'in flight' }], counts({ passed: 3, 'known divergence': 1, 'known weakness': 2 })),
    'Interrupted (SIGINT): 1 scenario cut short (1 stopped while running, 0 not started), marked "interrupted" in junit.xml and Allure; before that 3 passed, 0 failed, 1 known divergence, 2 known weaknesses. Judge only a complete run.',
  );
  assert.match(interruptedLine('SIGTERM', [{ cut: 'in flight' }, { cut: 'not started' }], counts({})), /^Interrupted \(SIGTERM\): 2 scenarios cut short \(1 stopped while running, 1 not started\).* 0 known divergences, 0 known weaknesses\./);
});

test("the README's failing-run example is what the launcher prints", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  assert.ok(readme.includes(`\n${summaryLine(counts({ failed: 1 }))}\n${reportsPointer('reports', undefined)}\n`));
  assert.ok(readme.includes(`\n${summaryLine(counts({ passed: 15, 'known divergence': 1, skipped: 23 }))}\n`));
});
