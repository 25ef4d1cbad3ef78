// The benchmark's own pieces that need no running suite: options, statistics,
// and reading timings out of a Cucumber messages stream.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BenchUsageError, parseBenchArgs } from '../../scripts/lib/bench/options';
import { median, percentiles, ratio, spread } from '../../scripts/lib/bench/stats';
import { runTimings } from '../../scripts/lib/bench/messages';
import { outcomeCount } from '../../scripts/lib/bench/table';

test('options: defaults, --quick, explicit values win over --quick', () => {
  const d = parseBenchArgs([]);
  assert.equal(d.runs, 3);
  assert.equal(d.requests, 500);
  assert.equal(d.coldRpts, 100);
  assert.deepEqual([...d.sections], ['suite', 'tutorial', 'latency', 'parallel']);
  const q = parseBenchArgs(['--quick']);
  assert.deepEqual([q.runs, q.requests, q.coldRpts], [1, 100, 20]);
  const qr = parseBenchArgs(['--quick', '--runs=2', '--requests', '50']);
  assert.deepEqual([qr.runs, qr.requests, qr.coldRpts], [2, 50, 20]);
  assert.deepEqual([...parseBenchArgs(['--only', 'latency,suite']).sections], ['latency', 'suite']);
  assert.deepEqual([...parseBenchArgs(['--skip', 'parallel']).sections], ['suite', 'tutorial', 'latency']);
  assert.equal(parseBenchArgs(['--wait-quiet', '0']).waitQuietS, 0);
});

test('options: every bad option is a usage error naming it', () => {
  const bad: Array<[string[], RegExp]> = [
    [['--runs', '0'], /--runs must be between 1 and 50/],
    [['--runs', 'x'], /--runs needs a whole number, got "x"/],
    [['--runs'], /--runs needs a whole number, got nothing/],
    [['--requests', '-5'], /--requests needs a whole number/],
    [['--workers', '1'], /--workers must be at least 2/],
    [['--only', 'nope'], /unknown section nope/],
    [['--only', 'suite', '--skip', 'latency'], /cannot be combined/],
    [['--skip', 'suite,tutorial,latency,parallel'], /leaves nothing to measure/],
    [['--out'], /--out needs a file name/],
    [['--frobnicate'], /unknown option "--frobnicate"/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseBenchArgs(argv), (e: unknown) => e instanceof BenchUsageError && message.test(e.message), argv.join(' '));
});

test('stats: median, spread, nearest-rank percentiles, ratio of medians', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual(spread([3000, 1000, 2000]), { n: 3, median: 2000, min: 1000, max: 3000 });
  assert.equal(spread([]), undefined);
  const p = percentiles(Array.from({ length: 100 }, (_, i) => i + 1))!;
  assert.deepEqual([p.p50, p.p90, p.p99, p.min, p.max, p.mean], [50, 90, 99, 1, 100, 50.5]);
  assert.equal(ratio(spread([30]), spread([20])), 1.5);
  assert.equal(ratio(undefined, spread([20])), undefined);
});

const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

test('messages: scenario durations, stable keys, known divergences told apart, step totals', () => {
  const envelopes = [
    { gherkinDocument: { uri: 'f.feature', feature: { children: [{ scenario: { id: 's1', location: { line: 3 } } }, { scenario: { id: 's2', location: { line: 7 }, examples: [{ tableBody: [{ id: 'r1', location: { line: 12 } }] }] } }] } } },
    { pickle: { id: 'p1', uri: 'f.feature', name: 'one', astNodeIds: ['s1'], steps: [{ id: 'ps1', text: 'a step' }] } },
    { pickle: { id: 'p2', uri: 'f.feature', name: 'two', astNodeIds: ['s2', 'r1'], steps: [{ id: 'ps2', text: 'a step' }] } },
    { hook: { id: 'h1', type: 'AFTER_TEST_CASE', sourceReference: { uri: '/x/support/hooks.ts', location: { line: 40 } } } },
    { testCase: { id: 'tc1', pickleId: 'p1', testSteps: [{ id: 't1', pickleStepId: 'ps1' }, { id: 't2', hookId: 'h1' }] } },
    { testCase: { id: 'tc2', pickleId: 'p2', testSteps: [{ id: 't3', pickleStepId: 'ps2' }] } },
    { testRunStarted: { timestamp: ts(1000) } },
    { testCaseStarted: { id: 'c1', testCaseId: 'tc1', timestamp: ts(1100) } },
    { testStepStarted: { testCaseStartedId: 'c1', testStepId: 't1', timestamp: ts(1100) } },
    { testStepFinished: { testCaseStartedId: 'c1', testStepId: 't1', timestamp: ts(1150), testStepResult: { status: 'FAILED', message: 'KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-X' } } },
    { testStepStarted: { testCaseStartedId: 'c1', testStepId: 't2', timestamp: ts(1150) } },
    { testStepFinished: { testCaseStartedId: 'c1', testStepId: 't2', timestamp: ts(1170), testStepResult: { status: 'PASSED' } } },
    { testCaseFinished: { testCaseStartedId: 'c1', timestamp: ts(1170), willBeRetried: false } },
    { testCaseStarted: { id: 'c2', testCaseId: 'tc2', timestamp: ts(1200) } },
    { testStepStarted: { testCaseStartedId: 'c2', testStepId: 't3', timestamp: ts(1200) } },
    { testStepFinished: { testCaseStartedId: 'c2', testStepId: 't3', timestamp: ts(1230), testStepResult: { status: 'FAILED', message: 'AssertionError: no' } } },
    { testCaseFinished: { testCaseStartedId: 'c2', timestamp: ts(1250), willBeRetried: false } },
    { testRunFinished: { timestamp: ts(1300) } },
  ];
  const t = runTimings(envelopes);
  assert.equal(t.testRunStartedAt, 1000);
  assert.equal(t.firstScenarioStartedAt, 1100);
  assert.equal(t.lastScenarioFinishedAt, 1250);
  assert.deepEqual(
    t.scenarios.map((s) => [s.key, s.name, s.status, s.durationMs]),
    [
      ['f.feature:3', 'one', 'known divergence', 70],
      ['f.feature:7:12', 'two', 'failed', 50],
    ],
  );
  assert.deepEqual(
    t.steps.map((s) => [s.what, s.totalMs, s.count]),
    [
      ['a step', 80, 2],
      ['after test case support/hooks.ts:40', 20, 1],
    ],
  );
});

test('outcome counts read as English: the noun outcomes plural, the verbs as they are', () => {
  assert.equal(outcomeCount('known divergence', 25), '25 known divergences');
  assert.equal(outcomeCount('known divergence', 1), '1 known divergence');
  assert.equal(outcomeCount('known weakness', 14), '14 known weaknesses');
  assert.equal(outcomeCount('known weakness', 1), '1 known weakness');
  assert.equal(outcomeCount('passed', 78), '78 passed');
  assert.equal(outcomeCount('skipped', 2), '2 skipped');
});
