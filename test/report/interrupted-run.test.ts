// The reports of an interrupted run (scripts/lib/interrupted-run.ts), from a
// message stream made here the way Cucumber makes one: Gherkin's own messages
// for a small feature, then the test-run messages of a run cut at a chosen point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completeInterruptedRun, junitComplete, junitXml, markAllureInterrupted, writeJunit, type Envelope } from '../../scripts/lib/interrupted-run';
import { CATEGORIES } from '../../scripts/lib/allure-files';
import { junitCases, tempDir, xmlProblem } from '../self/harness';

const { generateMessages } = require('@cucumber/gherkin') as { generateMessages(data: string, uri: string, mediaType: string, options: object): Envelope[] };
const { IdGenerator } = require('@cucumber/messages') as { IdGenerator: { uuid(): () => string } };

const FEATURE = `Feature: Interrupts & reports
  Scenario: It passed before the interrupt
    Given a
    Then b
  Scenario: It failed before the interrupt
    Given a
    Then b
  Scenario: It diverged as recorded
    Given a
  Scenario: It ran when Cucumber was stopped
    Given a
    When b
    Then c
  Scenario: It was skipped by the interrupt hook
    Given a
  Scenario: It never began
    Given a
`;

const ts = (s: number) => ({ seconds: s, nanos: 0 });
const PASSED = { status: 'PASSED', duration: ts(0) };
const SKIPPED = { status: 'SKIPPED', duration: ts(0) };

/** A run of FEATURE cut while scenario 4 ran, after scenario 5 was skipped by support/interrupt.ts (as in parallel mode). */
function interruptedStream(): Envelope[] {
  const gherkin = generateMessages(FEATURE, 'features/interrupts.feature', 'text/x.cucumber.gherkin+plain', { includeSource: false, includeGherkinDocument: true, includePickles: true, newId: IdGenerator.uuid() });
  const pickles = gherkin.filter((e) => e.pickle).map((e) => e.pickle!);
  const envelopes: Envelope[] = [...gherkin, { testRunStarted: { timestamp: ts(1) } }];
  const cases = pickles.map((p) => {
    const steps = (p as unknown as { steps: Array<{ id: string }> }).steps;
    const testCase = { id: crypto.randomUUID(), pickleId: p.id, testSteps: [{ id: crypto.randomUUID(), hookId: 'before' }, ...steps.map((s) => ({ id: crypto.randomUUID(), pickleStepId: s.id }))] };
    envelopes.push({ testCase });
    return testCase;
  });
  const run = (i: number, results: Array<typeof PASSED & { message?: string; exception?: { type: string; message: string } }>, finish: boolean, log?: string) => {
    const id = crypto.randomUUID();
    envelopes.push({ testCaseStarted: { id, testCaseId: cases[i].id, attempt: 0, timestamp: ts(2) } });
    if (log) envelopes.push({ attachment: { testCaseStartedId: id, body: log, mediaType: 'text/x.cucumber.log+plain' } });
    results.forEach((r, n) => envelopes.push({ testStepFinished: { testCaseStartedId: id, testStepId: cases[i].testSteps[n].id, testStepResult: r, timestamp: ts(3) } }));
    if (finish) envelopes.push({ testCaseFinished: { testCaseStartedId: id, timestamp: ts(4), willBeRetried: false } });
  };
  run(0, [PASSED, PASSED, PASSED], true);
  run(1, [PASSED, PASSED, { status: 'FAILED', duration: ts(0), message: 'ConformanceAssertionError: The gateway let it through.', exception: { type: 'ConformanceAssertionError', message: 'The gateway let it through.' } }], true);
  const kd = 'KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-X-01: as recorded';
  run(2, [PASSED, { status: 'FAILED', duration: ts(0), message: kd, exception: { type: 'KnownDivergenceAssertionError', message: kd.replace('KnownDivergenceAssertionError: ', '') } }], true);
  run(3, [PASSED, PASSED], false);
  run(4, [SKIPPED, SKIPPED], true, 'Skipped: interrupted, the run was stopped before this scenario started.');
  return envelopes;
}

test('what the interrupt cut short is told apart from what finished', () => {
  const { interrupted } = completeInterruptedRun(interruptedStream());
  assert.deepEqual(
    interrupted.map((s) => [s.name, s.cut, s.feature]),
    [
      ['It ran when Cucumber was stopped', 'in flight', 'Interrupts & reports'],
      ['It was skipped by the interrupt hook', 'not started', 'Interrupts & reports'],
      ['It never began', 'not started', 'Interrupts & reports'],
    ],
  );
});

test('the JUnit file of a cut stream is well-formed and names each cut-short scenario "interrupted", never a failure', () => {
  const stream = interruptedStream();
  // The stream as a kill leaves it: no testRunFinished, and the original is not changed by completing it.
  assert.equal(stream.some((e) => e.testRunFinished), false);
  const xml = junitXml(completeInterruptedRun(stream).envelopes);
  assert.equal(stream.some((e) => e.testRunFinished), false);
  assert.equal(xmlProblem(xml), undefined, xml);
  const cases = junitCases(xml);
  assert.deepEqual(
    cases.map((c) => [c.name, c.outcome, c.message]),
    [
      ['It passed before the interrupt', 'passed', undefined],
      ['It failed before the interrupt', 'failure', 'The gateway let it through.'],
      ['It diverged as recorded', 'skipped', 'KNOWN DIVERGENCE DIV-X-01: as recorded'],
      ['It ran when Cucumber was stopped', 'skipped', 'interrupted'],
      ['It was skipped by the interrupt hook', 'skipped', 'interrupted'],
      ['It never began', 'skipped', 'interrupted'],
    ],
  );
  assert.match(xml, /<testsuite [^>]*tests="6" skipped="4" failures="1" errors="0"/);
  assert.match(xml, /interrupted: the run was stopped while this scenario ran/);
  assert.match(xml, /interrupted: the run was stopped before this scenario started/);
  assert.equal(cases[0].classname, 'Interrupts & reports');
});

test('writeJunit replaces an empty junit.xml whole; junitComplete tells a finished file from a cut or empty one', () => {
  const dir = tempDir('junit-');
  const file = path.join(dir, 'junit.xml');
  fs.writeFileSync(file, '');
  assert.equal(junitComplete(file), false);
  fs.writeFileSync(file, '<?xml version="1.0"?>\n<testsuite name="Cucumber">\n  <testcase');
  assert.equal(junitComplete(file), false);
  assert.equal(junitComplete(path.join(dir, 'missing.xml')), false);
  writeJunit(file, completeInterruptedRun(interruptedStream()).envelopes);
  assert.equal(junitComplete(file), true);
  assert.equal(xmlProblem(fs.readFileSync(file, 'utf8')), undefined);
  assert.deepEqual(fs.readdirSync(dir), ['junit.xml']);
  // A run stopped before its first scenario: still a valid, empty suite.
  writeJunit(file, completeInterruptedRun([]).envelopes);
  assert.equal(xmlProblem(fs.readFileSync(file, 'utf8')), undefined);
  assert.match(fs.readFileSync(file, 'utf8'), /<testsuite [^>]*tests="0"/);
});

test('Allure: a result written as skipped is marked, a missing one is added, both "skipped" with the interruption as their message', () => {
  const dir = tempDir('allure-');
  const project = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string }).name;
  const fullName = (name: string) => `${project}:features/interrupts.feature#${name}`;
  const write = (name: string, status: string) => fs.writeFileSync(path.join(dir, `${crypto.randomUUID()}-result.json`), JSON.stringify({ uuid: crypto.randomUUID(), name, fullName: fullName(name), status, statusDetails: {}, labels: [{ name: 'feature', value: 'Interrupts & reports' }] }));
  write('It passed before the interrupt', 'passed');
  write('It was skipped by the interrupt hook', 'skipped');
  markAllureInterrupted(dir, completeInterruptedRun(interruptedStream()).interrupted);
  const results = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { name: string; fullName: string; status: string; statusDetails: { message?: string }; labels: Array<{ name: string; value: string }> });
  const byName = new Map(results.map((r) => [r.name, r]));
  assert.equal(results.length, 4, 'one result per scenario: the hook-skipped one rewritten, not doubled');
  assert.equal(byName.get('It passed before the interrupt')?.status, 'passed');
  for (const [name, message] of [
    ['It ran when Cucumber was stopped', 'interrupted: the run was stopped while this scenario ran'],
    ['It was skipped by the interrupt hook', 'interrupted: the run was stopped before this scenario started'],
    ['It never began', 'interrupted: the run was stopped before this scenario started'],
  ]) {
    const r = byName.get(name);
    assert.equal(r?.status, 'skipped', name);
    assert.equal(r?.statusDetails.message, message, name);
    assert.equal(r?.fullName, fullName(name));
    assert.ok(r?.labels.some((l) => l.name === 'feature' && l.value === 'Interrupts & reports'), name);
    // Allure gives a result the first category that matches: "Interrupted run", never "Suite defects".
    const whole = (pattern: string | undefined, text: string) => pattern === undefined || new RegExp(`^(?:${pattern.replace('(?s)', '')})$`, 's').test(text);
    const category = CATEGORIES.find((c) => c.matchedStatuses.includes(r!.status) && whole('messageRegex' in c ? c.messageRegex : undefined, message) && whole('traceRegex' in c ? c.traceRegex : undefined, ''));
    assert.equal(category?.name, 'Interrupted run', name);
  }
});

test('the well-formedness check used on junit.xml finds what makes XML invalid', () => {
  for (const bad of ['', '<testsuite>', '<a></b>', '<a x=1/>', '<a>&</a>', '<a/><b/>', 'text<a/>']) assert.notEqual(xmlProblem(bad), undefined, JSON.stringify(bad));
  assert.equal(xmlProblem('<?xml version="1.0"?>\n<a b="x>y" c=\'&amp;\'><b/><![CDATA[<&]]>&lt;</a>\n'), undefined);
});

test('a stream that ended although a test case never began (a worker that died) still lists it, before the run\'s end', () => {
  const stream = interruptedStream();
  stream.push({ testRunFinished: { timestamp: ts(9), success: false } });
  const { envelopes, interrupted } = completeInterruptedRun(stream);
  assert.equal(envelopes.filter((e) => e.testRunFinished).length, 1);
  assert.ok(envelopes[envelopes.length - 1].testRunFinished, 'the run ends last');
  assert.equal(interrupted.length, 3);
  assert.equal(junitCases(junitXml(envelopes)).length, 6);
});
