// What a stakeholder sees (issue 13 "Done when"): `npm run report` is run as
// users run it, on results of one passed scenario, one known divergence and
// one security finding (their messages made by the checks themselves); the
// generated Allure report is opened in a real Chromium and read: the overview
// says "conformant, 1 known divergence, 1 security finding" with no red arc,
// and so does the statement. Then a real failure is added: both go red, and
// the statement's row for its requirement says "failed" with a link to the
// scenario in the report. Screenshots: reports/report-check/*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConformanceAssertionError, KnownDivergenceAssertionError, KnownWeaknessAssertionError, probe, verify, type Check } from '../../support/checks/core';
import { DivergenceLedger, type Divergence } from '../../support/divergences';
import { Secrets } from '../../support/mask';
import { WeaknessLedger, type Weakness } from '../../support/weaknesses';
import { browserExecutable } from '../../scripts/lib/bench/machine';
import { disagreements, launchReader, readOverview, readStatement } from '../../scripts/lib/report/report-reader';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'reports', 'report-check');
const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
const exe = browserExecutable();
const skip = !hasJava ? 'Allure needs Java' : exe && !fs.existsSync(exe) ? `no browser at ${exe}` : false;

// The ledgers' own entries: the messages are what a real run writes.
const DIVERGENCE = (JSON.parse(fs.readFileSync(path.join(ROOT, 'support', 'known-divergences.json'), 'utf8')) as Divergence[]).find((d) => d.id === 'DIV-AS-01')!;
const WEAKNESS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'support', 'known-weaknesses.json'), 'utf8')) as Weakness[]).find((w) => w.id === 'SEC-GW-01')!;

interface Failure {
  message: string;
  trace: string;
}

/** The message and trace allure-cucumberjs writes for a failed step: the error's class and message, and its stack. */
function failureOf(run: () => void): Failure {
  try {
    run();
  } catch (err) {
    if (err instanceof ConformanceAssertionError || err instanceof KnownDivergenceAssertionError || err instanceof KnownWeaknessAssertionError) return { message: `${err.name}: ${err.message}`, trace: err.stack ?? '' };
    throw err;
  }
  throw new Error('the check did not fail');
}

const ctx = () => ({ secrets: new Secrets(), ledger: new DivergenceLedger('d.json', [DIVERGENCE]), weaknesses: new WeaknessLedger('w.json', [WEAKNESS]), record: () => undefined });
const check = (requirement: string, aspect: string, actual: string): Check => ({ requirement, aspect, failure: 'The deployment did something else.', expected: 'the spec', actual, pass: false });

let n = 0;
function result(name: string, tag: string, status: 'passed' | 'failed', failure?: Failure) {
  const start = 1_796_000_000_000 + n++ * 1000;
  return {
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    historyId: `h${n}`,
    name,
    fullName: `features/x.feature#${name}`,
    status,
    stage: 'finished',
    statusDetails: failure ?? {},
    labels: [
      { name: 'feature', value: 'Report check' },
      { name: 'tag', value: `@${tag}` },
      { name: 'epic', value: 'Authorization server' },
      { name: 'severity', value: 'critical' },
    ],
    steps: [],
    start,
    stop: start + 500,
  };
}

function writeResults(dir: string, withFailure: boolean): void {
  const results = path.join(dir, 'allure-results');
  fs.rmSync(results, { recursive: true, force: true });
  fs.mkdirSync(results, { recursive: true });
  const list = [
    result('An RPT is issued for the gathered claims', 'UMA-GRANT-3.3.5-SUCCESS-FORM', 'passed'),
    result('An unknown ticket is refused', DIVERGENCE.requirement, 'failed', failureOf(() => verify(ctx(), check(DIVERGENCE.requirement, DIVERGENCE.aspect, DIVERGENCE.observed[0])))),
    result('An RPT of one route does not open another', WEAKNESS.requirement, 'failed', failureOf(() => probe(ctx(), check(WEAKNESS.requirement, WEAKNESS.aspect, WEAKNESS.observed[0])))),
    ...(withFailure ? [result('Without a token there is no access', 'UMA-GRANT-3.2.1-STATUS-401', 'failed', failureOf(() => verify(ctx(), check('UMA-GRANT-3.2.1-STATUS-401', 'status without a token', '200'))))] : []),
  ];
  for (const r of list) fs.writeFileSync(path.join(results, `${r.uuid}-result.json`), JSON.stringify(r));
}

function report(dir: string, script = 'report.ts', args = ['generate']): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--require', path.join(ROOT, 'scripts', 'register.js'), path.join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, UMA_REPORTS_DIR: dir, UMA_PREVIOUS_STATEMENT: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the generated report and statement read conformant with no red, and go red with a real failure', { skip, timeout: 300_000 }, async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-report-check-'));
  const browser = await launchReader();
  try {
    writeResults(dir, false);
    const green = report(dir);
    assert.equal(green.code, 0, green.out);
    assert.match(green.out, /Conformance statement \(conformant, 1 known divergence, 1 security finding\)/);
    const ok = await readOverview(browser, path.join(dir, 'allure-report'), path.join(SHOTS, 'overview-conformant.png'));
    assert.match(ok.title, /^UMA conformance: conformant, 1 known divergence, 1 security finding\b/);
    assert.ok(!ok.arcs.some((a) => a === 'failed' || a === 'broken'), `the donut shows ${ok.arcs.join(', ')}`);
    assert.match(ok.categories, /Known divergences/);
    assert.match(ok.categories, /Security findings/);
    assert.doesNotMatch(ok.categories, /Conformance failures/);
    const okStatement = await readStatement(browser, path.join(dir, 'conformance-statement.html'), path.join(SHOTS, 'statement-conformant.png'));
    assert.match(okStatement.headline, /conformant, 1 known divergence, 1 security finding/);
    assert.doesNotMatch(okStatement.headline, /not conformant/);
    assert.match((await okStatement.row(DIVERGENCE.requirement)).text, /departs as recorded/);
    assert.deepEqual(disagreements(ok, okStatement.headline), []);
    // `npm run report:check` reads the same pages and agrees.
    const check = report(dir, 'report-check.ts', []);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /Allure overview: conformant, 1 known divergence, 1 security finding; donut: (passed, skipped|skipped, passed)\n/);
    assert.match(check.out, /Conformance statement: conformant, 1 known divergence, 1 security finding\n/);
    assert.ok(fs.existsSync(path.join(dir, 'report-check', 'overview.png')));
    await okStatement.close();

    writeResults(dir, true);
    const red = report(dir);
    assert.equal(red.code, 0, red.out);
    assert.match(red.out, /Conformance statement \(not conformant: 1 scenario failed, 1 known divergence, 1 security finding\)/);
    const bad = await readOverview(browser, path.join(dir, 'allure-report'), path.join(SHOTS, 'overview-failed.png'));
    assert.match(bad.title, /^UMA conformance: not conformant: 1 scenario failed\b/);
    assert.ok(bad.arcs.includes('failed'), `the donut shows no red: ${bad.arcs.join(', ')}`);
    assert.match(bad.categories, /Conformance failures/);
    const badStatement = await readStatement(browser, path.join(dir, 'conformance-statement.html'), path.join(SHOTS, 'statement-failed.png'));
    assert.match(badStatement.headline, /not conformant: 1 scenario failed/);
    const row = await badStatement.row('UMA-GRANT-3.2.1-STATUS-401');
    assert.match(row.text, /failed/);
    assert.ok(row.links.some((l) => /allure-report\/index\.html#testresult\//.test(l)), `the failed row links no scenario: ${row.links.join(', ') || 'no links'}`);
    assert.deepEqual(disagreements(bad, badStatement.headline), []);
    // What report:check says when the two disagree: the red overview against the green statement.
    assert.deepEqual(disagreements(bad, okStatement.headline), [
      `the Allure overview says "${badStatement.headline}" but the statement says "${okStatement.headline}"`,
      'the statement says conformant but the Allure donut shows failed',
      'the statement says conformant but Allure lists conformance failures',
    ]);
    await badStatement.close();
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('report:check without a report, or with arguments: one line and exit 2', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-report-check-empty-'));
  try {
    const none = report(empty, 'report-check.ts', []);
    assert.equal(none.code, 2);
    assert.equal(none.out, `report:check: no report in ${empty}: run \`npm test\` and \`npm run report\` first\n`);
    const args = report(empty, 'report-check.ts', ['--open']);
    assert.equal(args.code, 2);
    assert.match(args.out, /^report:check: takes no arguments \(got --open\)/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
