// The self-verification's own logic, without running the suite: options,
// the fault list format, what counts as caught or missed, stability over
// repeated runs, and the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaultList } from '../../scripts/lib/self-verify/fault-list';
import { parseOptions, selectFaults, UsageError } from '../../scripts/lib/self-verify/options';
import { FAILED_LINE, problemOf, runEnv, seedOf, type SuiteRunResult } from '../../scripts/lib/self-verify/suite-run';
import { catchersCell, renderFaultTable, renderStability, scoreLine } from '../../scripts/lib/self-verify/table';
import { firstLine, judgeClean, judgeFault, stability } from '../../scripts/lib/self-verify/verdict';
import type { ScenarioResult } from '../../scripts/lib/run-summary';
import { configProblemReport, renderDoctorTable } from '../../scripts/lib/doctor';

function run(exitCode: number | null, scenarios: ScenarioResult[], extra: Partial<SuiteRunResult> = {}): SuiteRunResult {
  const counts = { passed: 0, failed: 0, 'known divergence': 0, 'known weakness': 0, skipped: 0 };
  for (const s of scenarios) counts[s.outcome]++;
  return { label: 'x', exitCode, signal: null, ms: 1000, timedOut: false, interrupted: false, stoppedAtFirstFailure: false, consoleFailures: [], summary: { scenarios, counts }, logFile: '/tmp/x/console.log', ...extra };
}

const PASSED = (name: string): ScenarioResult => ({ name, uri: 'features/a.feature', outcome: 'passed' });
const FAILED = (name: string, message = 'ConformanceAssertionError: The gateway let it through.\n    at x (y.ts:1:2)'): ScenarioResult => ({ name, uri: 'features/a.feature', outcome: 'failed', message });
const KNOWN = (name: string): ScenarioResult => ({ name, uri: 'features/a.feature', outcome: 'known divergence', message: 'KNOWN DIVERGENCE DIV-AS-01: …' });

test('options: defaults, every option, and "--" for Cucumber', () => {
  assert.deepEqual(parseOptions([]), { only: [], parallel: 2, order: 'defined', firstCatch: false, writeHints: false, runTimeoutS: 600, cucumberArgs: [], help: false });
  const o = parseOptions(['--only', 'a,b', '--only=c', '--parallel', '1', '--order', 'random', '--first-catch', '--write-hints', '--run-timeout=90', '--', '--tags', '@smoke']);
  assert.deepEqual(o, { only: ['a', 'b', 'c'], parallel: 1, order: 'random', firstCatch: true, writeHints: true, runTimeoutS: 90, cucumberArgs: ['--tags', '@smoke'], help: false });
  assert.equal(parseOptions(['--repeat', '3']).repeat, 3);
});

test('options: each bad option is a UsageError with a clear message', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--bogus'], /unknown option "--bogus"/],
    [['--write-hints=yes'], /--write-hints takes no value/],
    [['--repeat', '2', '--write-hints'], /cannot be combined with --write-hints/],
    [['--parallel'], /--parallel needs a number/],
    [['--parallel', '0'], /--parallel must be a whole number from 1 to 16, got "0"/],
    [['--parallel', '2.5'], /got "2\.5"/],
    [['--repeat', '-1'], /--repeat needs a number|--repeat must be/],
    [['--repeat', 'many'], /--repeat must be a whole number/],
    [['--only'], /--only needs one or more fault names/],
    [['--only', '--parallel'], /--only needs one or more fault names/],
    [['--order', 'sideways'], /--order must be "random" or "defined", got "sideways"/],
    [['--repeat', '2', '--only', 'x'], /cannot be combined with --only/],
    [['--repeat', '2', '--first-catch'], /cannot be combined with --first-catch/],
    [['--first-catch=yes'], /--first-catch takes no value/],
  ];
  for (const [argv, re] of cases) assert.throws(() => parseOptions(argv), (e: unknown) => e instanceof UsageError && re.test(e.message), argv.join(' '));
});

test('the fault list: parsed from the sandbox format; --only checked against it', () => {
  const faults = parseFaultList('policy-disabled    [oxauth] The RPT policy is not evaluated.\nmethod-ignored     [kong] The PEP matches paths whatever the method.\n\n');
  assert.deepEqual(faults, [
    { name: 'policy-disabled', component: 'oxauth', description: 'The RPT policy is not evaluated.' },
    { name: 'method-ignored', component: 'kong', description: 'The PEP matches paths whatever the method.' },
  ]);
  assert.throws(() => parseFaultList('Usage: something else'), /not "name {2}\[component\] description"/);
  assert.throws(() => parseFaultList('\n'), /lists no fault profiles/);
  assert.deepEqual(selectFaults(faults, ['method-ignored']).map((f) => f.name), ['method-ignored']);
  assert.equal(selectFaults(faults, []).length, 2);
  assert.throws(() => selectFaults(faults, ['nope', 'method-ignored']), /unknown fault "nope"; the sandbox knows: policy-disabled, method-ignored/);
});

test('a fault is caught only by an exit 1 with a failed scenario that is not a known divergence', () => {
  const caught = judgeFault(run(1, [PASSED('a'), FAILED('b'), KNOWN('c')]));
  assert.deepEqual(caught, { caught: true, caughtBy: [{ name: 'b', uri: 'features/a.feature', message: 'The gateway let it through.' }] });

  assert.match(judgeFault(run(0, [PASSED('a'), KNOWN('c')])).reason ?? '', /^the suite passed with the fault on \(1 passed, 0 failed, 1 known divergence, 0 skipped\)$/);
  assert.match(judgeFault(run(1, [PASSED('a'), KNOWN('c')])).reason ?? '', /^exit 1 without a failed scenario/);
  const env = judgeFault(run(2, [], { problem: 'Preflight FAILED: oxd-server (OXD_HOST): refused' }));
  assert.equal(env.caught, false);
  assert.equal(env.reason, 'exit 2 (configuration or environment problem, nothing meaningful was tested): Preflight FAILED: oxd-server (OXD_HOST): refused');
  // Even with failed scenarios: exit 2 is not a catch by the scenarios.
  assert.equal(judgeFault(run(2, [FAILED('b')], { problem: 'x' })).caught, false);
  assert.match(judgeFault(run(null, [FAILED('b')], { timedOut: true, ms: 600_000 })).reason ?? '', /did not finish within its bound \(600 s\)/);
  assert.match(judgeFault(run(130, [])).reason ?? '', /^exit 130/);
  // Stopped on purpose at the first failed scenario: caught by it.
  assert.deepEqual(judgeFault(run(130, [PASSED('a'), FAILED('b')], { stoppedAtFirstFailure: true })).caughtBy.map((c) => c.name), ['b']);
  // The stop may cut the messages short: the console's ✘ line names the scenario then.
  assert.deepEqual(judgeFault(run(130, [PASSED('a')], { stoppedAtFirstFailure: true, consoleFailures: ['Tickets › A ticket is refused'] })).caughtBy, [
    { name: 'A ticket is refused', uri: 'feature: Tickets', message: '(the run was stopped here; see its console log)' },
  ]);
  // …but a run stopped without any failed scenario is not a catch.
  assert.equal(judgeFault(run(130, [PASSED('a')], { stoppedAtFirstFailure: true })).caught, false);
  // Console failures count only for a run stopped on purpose.
  assert.equal(judgeFault(run(1, [PASSED('a')], { consoleFailures: ['F › x'] })).caught, false);
});

test('the clean run must exit 0; otherwise it says why', () => {
  assert.equal(judgeClean(run(0, [PASSED('a'), KNOWN('b')])), undefined);
  assert.equal(judgeClean(run(1, [PASSED('a'), FAILED('b', 'Error: boom')])), '1 scenario failed: b (boom)');
  assert.match(judgeClean(run(2, [], { problem: 'Preflight FAILED: x' })) ?? '', /^exit 2 .*Preflight FAILED: x$/);
});

test('firstLine drops the error class and the stack', () => {
  assert.equal(firstLine('ConformanceAssertionError: The AS issued an RPT.\n  expected: no RPT'), 'The AS issued an RPT.');
  assert.equal(firstLine('\n\nSetupError: Kong refused\n    at a (b.ts:1:1)'), 'Kong refused');
  assert.equal(firstLine(undefined), '');
});

test('stability: stable outcomes pass; failures, flips and missing scenarios are listed with their runs', () => {
  const stable = stability([run(0, [PASSED('a'), KNOWN('k')]), run(0, [PASSED('a'), KNOWN('k')])]);
  assert.deepEqual(stable, { unstable: [], brokenRuns: [] });

  const report = stability([run(0, [PASSED('a'), KNOWN('k'), PASSED('m')]), run(1, [FAILED('a', 'Error: timed out'), PASSED('k'), PASSED('m')]), run(0, [PASSED('a'), KNOWN('k')])]);
  assert.deepEqual(
    report.unstable.map((u) => [u.name, u.runs, u.message]),
    [
      ['a', [2], 'timed out'],
      ['k', [2], 'outcome passed instead of known divergence'],
      ['m', [3], 'not reported by the run'],
    ],
  );
  assert.deepEqual(report.brokenRuns, []);
  const text = renderStability(report, 3);
  assert.match(text, /^3 scenarios were not stable over 3 runs:/);
  assert.match(text, /- a {2}\(features\/a\.feature\)\n\s+run 2: failed\n\s+timed out/);
});

test('stability: a run that ended without its scenarios is reported once, not as every scenario missing', () => {
  const report = stability([run(0, [PASSED('a')]), run(2, [], { problem: 'Preflight FAILED: x' })]);
  assert.deepEqual(report.unstable, []);
  assert.equal(report.brokenRuns.length, 1);
  assert.match(report.brokenRuns[0].reason, /^exit 2 .*Preflight FAILED: x/);
});

test('scenario outlines: rows with one name are told apart', () => {
  const report = stability([run(0, [PASSED('row'), PASSED('row')]), run(1, [PASSED('row'), FAILED('row')])]);
  assert.deepEqual(report.unstable.map((u) => u.runs), [[2]]);
});

test('the table: caught with abbreviated scenario names, MISSED with the reason, and the score', () => {
  const many = Array.from({ length: 9 }, (_, i) => ({ name: `A rather long scenario name number ${i} that goes on and on`, uri: 'u', message: 'm' }));
  assert.match(catchersCell(many), /^9: A rather long scenario name number 0 that g…; A rather long scenario name number 1 that g…; … \(\+7 more\)$/);
  const rows = [
    { fault: 'policy-disabled', component: 'oxauth', caught: true, caughtBy: many.slice(0, 1), ms: 20_000 },
    { fault: 'introspection-has-scope', component: 'oxauth', caught: false, caughtBy: [], reason: 'the suite passed with the fault on', ms: 21_000 },
  ];
  const table = renderFaultTable(rows).split('\n');
  assert.match(table[0], /^Fault +Component +Result +Time +Caught by/);
  assert.match(table[2], /^policy-disabled +oxauth +caught +20\.0 s +1: A rather long/);
  assert.match(table[3], /^introspection-has-scope +oxauth +MISSED +21\.0 s +the suite passed with the fault on$/);
  assert.equal(scoreLine(rows), 'Mutation score: 1/2 faults caught (50%)');
});

test('a run: its seed, its one-line problem, and its environment', () => {
  assert.equal(seedOf('x\nRandom order using seed: 4711\n'), '4711');
  assert.equal(seedOf('no seed here'), undefined);
  assert.ok(FAILED_LINE.test('   12/75 ✘ Feature › Scenario'));
  assert.ok(!FAILED_LINE.test('   12/75 ≈ Feature › Scenario  known divergence DIV-AS-01'));
  assert.equal(problemOf('Preflight: environment check\n\nPreflight FAILED: GG_ADMIN_URL: refused\n\nNothing was run'), 'Preflight FAILED: GG_ADMIN_URL: refused');
  assert.equal(problemOf('something\numa-claims-conformance: boom\n'), 'uma-claims-conformance: boom');
  const sandboxDown = [
    'Preflight: configuration check (no endpoint was probed)',
    '',
    'The configuration has a problem:',
    '  - the embedded sandbox could not start: the sandbox exited before it was ready (exit code 1):',
    'sandbox: could not start: error:068000DD:asn1 encoding routines::illegal padding',
    '',
    'Preflight FAILED: the configuration has a problem (listed above); nothing was checked.',
  ].join('\n');
  assert.equal(problemOf(sandboxDown), 'the embedded sandbox could not start: the sandbox exited before it was ready (exit code 1): sandbox: could not start: error:068000DD:asn1 encoding routines::illegal padding');
  // The heading as the doctor table prints it, for one problem and for several.
  const twoProblems = renderDoctorTable(configProblemReport(['CE_URL is required', 'UMA_TARGET must be one of sandbox, external, got "x"']));
  assert.equal(problemOf(twoProblems), 'CE_URL is required UMA_TARGET must be one of sandbox, external, got "x"');
  assert.equal(problemOf(renderDoctorTable(configProblemReport(['CE_URL is required']))), 'CE_URL is required');
  const env = runEnv({ PATH: '/bin', UMA_SANDBOX_ARGS: '--fault x' }, { sandboxArgs: [], reportsDir: '/r' });
  assert.equal(env.UMA_SANDBOX_ARGS, undefined);
  assert.equal(env.UMA_REPORTS_DIR, '/r');
  assert.equal(runEnv({}, { sandboxArgs: ['--fault', 'state-dropped'], reportsDir: '/r' }).UMA_SANDBOX_ARGS, '--fault state-dropped');
});
