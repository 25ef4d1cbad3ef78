// An interrupt ends with reports CI can use: Ctrl-C (SIGINT to the terminal's
// process group) and a CI runner's SIGTERM to the npm process alone, while a
// browser scenario runs. The launcher exits 130, says how many scenarios were
// cut short, junit.xml is well-formed and names those scenarios
// "interrupted" (no failure), and Allure has no failed, broken or
// "Suite defects" result for them, but the "Interrupted run" category and the
// run marked interrupted. A second signal stops at once and still leaves Kong
// swept and junit.xml valid.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORIES } from '../../scripts/lib/allure-files';
import { sandboxEnv, startSandbox } from '../../scripts/lib/sandbox-launcher';
import {
  CHROMIUM,
  cleanEnv,
  describe,
  FEW_SCENARIOS,
  FIRST_PROGRESS,
  junitCases,
  killAll,
  kongSnapshot,
  snapshotCounts,
  startLauncher,
  tempDir,
  xmlProblem,
  type LauncherExit,
  type RunningLauncher,
} from './harness';

const RUN_BOUND_MS = 180_000;
/** The launcher's own bound after a first signal is 6 s (scripts/run.ts GRACE_MS); then the reports and the sweep. */
const AFTER_SIGNAL_MS = 45_000;

interface AllureResult {
  name: string;
  status: string;
  statusDetails?: { message?: string; trace?: string };
}

function allureResults(reports: string): AllureResult[] {
  const dir = path.join(reports, 'allure-results');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as AllureResult);
}

/** The category Allure gives a result: the first whose statuses and (whole-string) patterns match (categories.json). */
function categoryOf(r: AllureResult): string | undefined {
  const whole = (pattern: string | undefined, text: string) => pattern === undefined || new RegExp(`^(?:${pattern.replace('(?s)', '')})$`, 's').test(text);
  return CATEGORIES.find(
    (c) => c.matchedStatuses.includes(r.status) && whole('messageRegex' in c ? c.messageRegex : undefined, r.statusDetails?.message ?? '') && whole('traceRegex' in c ? c.traceRegex : undefined, r.statusDetails?.trace ?? ''),
  )?.name;
}

/** Starts a run, waits until a scenario finished and Chromium is up (the browser scenario is in flight), and signals it. */
async function interruptMidRun(env: NodeJS.ProcessEnv, signal: (l: RunningLauncher) => void): Promise<{ launcher: RunningLauncher; r: LauncherExit }> {
  const launcher = startLauncher(env, ['--tags', FEW_SCENARIOS]);
  await launcher.waitForLine(FIRST_PROGRESS, RUN_BOUND_MS);
  const browserUp = await launcher.tracker.waitFor(CHROMIUM, 30_000);
  assert.ok(browserUp, `Chromium never started: no browser scenario was in flight\n${launcher.output()}`);
  assert.equal(launcher.child.exitCode, null, `the run ended before it could be interrupted:\n${launcher.output()}`);
  signal(launcher);
  return { launcher, r: await launcher.exited(AFTER_SIGNAL_MS) };
}

async function assertNothingLeft(launcher: RunningLauncher): Promise<void> {
  const left = await launcher.tracker.settle(15_000);
  killAll(left);
  assert.deepEqual(left, [], `processes the launcher started still run 15 s after it ended:\n${describe(left)}`);
}

/** The reports of an interrupted run, as CI reads them. */
function assertUsableReports(reports: string, r: LauncherExit, signal: string): void {
  assert.equal(r.code, 130, r.output);
  const line = new RegExp(`^Interrupted \\(${signal}\\): (\\d+) scenarios? cut short \\((\\d+) stopped while running, (\\d+) not started\\)`, 'm').exec(r.stdout);
  assert.ok(line, `no line saying the run was interrupted and how many scenarios were cut short:\n${r.output}`);
  const cutShort = Number(line[1]);
  assert.ok(cutShort > 0, `nothing was cut short, so the interrupt tested nothing:\n${r.output}`);

  const xml = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.equal(xmlProblem(xml), undefined, `junit.xml is not well-formed XML:\n${xml.slice(0, 2000)}`);
  const cases = junitCases(xml);
  const interrupted = cases.filter((c) => c.outcome === 'skipped' && c.message === 'interrupted');
  assert.equal(interrupted.length, cutShort, `junit.xml names ${interrupted.length} scenarios interrupted, the console ${cutShort}:\n${xml.slice(0, 3000)}`);
  assert.deepEqual(
    cases.filter((c) => c.outcome === 'failure' || c.outcome === 'error'),
    [],
    'a scenario failed: the interrupt must not turn into failures',
  );
  assert.doesNotMatch(r.output + xml, /Target page, context or browser has been closed|Target closed/);

  const results = allureResults(reports);
  assert.ok(results.length >= cases.length, `Allure has ${results.length} results for ${cases.length} scenarios`);
  const bad = results.filter((x) => x.status === 'failed' || x.status === 'broken' || x.status === 'unknown');
  assert.deepEqual(bad.map((x) => `${x.name}: ${x.status}`), [], 'failed, broken or unknown Allure results');
  const marked = results.filter((x) => x.status === 'skipped' && /^interrupted: /.test(x.statusDetails?.message ?? ''));
  assert.equal(marked.length, cutShort, `Allure marks ${marked.length} results interrupted, the console says ${cutShort} were cut short`);
  for (const x of marked) assert.equal(categoryOf(x), 'Interrupted run', x.name);
  assert.ok(!results.some((x) => categoryOf(x)?.startsWith('Suite defects')), 'a result falls under "Suite defects"');
  const environment = fs.readFileSync(path.join(reports, 'allure-results', 'environment.properties'), 'utf8');
  assert.match(environment, new RegExp(`^Run=interrupted \\(${signal}\\)$`, 'm'));
}

async function withReports(t: TestContext, fn: (reports: string) => Promise<void>): Promise<void> {
  const reports = tempDir('self-interrupt-');
  let ok = false;
  try {
    await fn(reports);
    ok = true;
  } finally {
    if (ok) fs.rmSync(reports, { recursive: true, force: true });
    else t.diagnostic(`reports of the failed run kept in ${reports}`);
  }
}

test('Ctrl-C (SIGINT to the process group) while a browser scenario runs: exit 130, reports usable, scenarios cut short marked interrupted', { timeout: RUN_BOUND_MS + 60_000 }, async (t) => {
  await withReports(t, async (reports) => {
    const { launcher, r } = await interruptMidRun(cleanEnv({ UMA_REPORTS_DIR: reports }), (l) => l.interrupt());
    assertUsableReports(reports, r, 'SIGINT');
    await assertNothingLeft(launcher);
  });
});

test('SIGTERM to the npm process alone (a CI runner stopping the job): exit 130, reports usable, the browser closed after the scenarios were marked', { timeout: RUN_BOUND_MS + 60_000 }, async (t) => {
  await withReports(t, async (reports) => {
    const { launcher, r } = await interruptMidRun(cleanEnv({ UMA_REPORTS_DIR: reports }), (l) => process.kill(l.pid, 'SIGTERM'));
    assertUsableReports(reports, r, 'SIGTERM');
    await assertNothingLeft(launcher);
  });
});

test('a second Ctrl-C stops at once and still leaves junit.xml valid and Kong as it was', { timeout: RUN_BOUND_MS + 60_000 }, async (t) => {
  const sandbox = await startSandbox(['--preset', 'tutorial'], 60_000);
  try {
    await withReports(t, async (reports) => {
      const before = await kongSnapshot(sandbox.urls.kongAdmin);
      const env = cleanEnv({ ...sandboxEnv(sandbox.urls), UMA_TARGET: 'external', UMA_PROVISION: 'auto', UMA_TLS_INSECURE: 'true', UMA_REPORTS_DIR: reports });
      const { launcher, r } = await interruptMidRun(env, (l) => {
        l.interrupt();
        // The second once the launcher has taken the first (its line), so the two are not one.
        void l.waitForLine(/^Interrupted \(SIGINT\): the scenarios in flight may finish/, 10_000).then(() => l.interrupt(), () => undefined);
      });
      assert.match(r.stdout, /^SIGINT again: stopping Cucumber now/m, r.output);
      assertUsableReports(reports, r, 'SIGINT');
      assert.match(r.stdout, /^Interrupted \(SIGINT\): \d+ scenarios? cut short \([1-9]\d* stopped while running/m, 'the second Ctrl-C stopped no scenario under way');
      const after = await kongSnapshot(sandbox.urls.kongAdmin);
      assert.deepEqual(after, before, `Kong differs after the run (before: ${snapshotCounts(before)}; after: ${snapshotCounts(after)})\n${r.output}`);
      await assertNothingLeft(launcher);
    });
  } finally {
    await sandbox.stop();
  }
});
