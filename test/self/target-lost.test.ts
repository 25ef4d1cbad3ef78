// A target that goes away mid-run (support/circuit-breaker.ts): a sandbox
// this test starts itself, run as UMA_TARGET=external with `--tags @tutorial`,
// is killed, or frozen with SIGSTOP, once the first scenario has passed. The
// run must say so in one line naming the component and its origin, skip the
// scenarios after it, and exit 2 promptly: not time out scenario by scenario.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxEnv, startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { summarize } from '../../scripts/lib/run-summary';
import { BREAKER_FILE } from '../../support/circuit-breaker';
import { cleanEnv, describe, killAll, STACK_TRACE, startLauncher, tempDir, type LauncherExit, type RunningLauncher } from './harness';

/** The first scenario that passed (a progress line with ✔). */
const FIRST_PASSED = /^\s*\d+\/\d+ ✔/;
const HTTP_TIMEOUT_MS = 2000;
const BROWSER_TIMEOUT_MS = 3000;
/** The breaker's line (support/circuit-breaker.ts breakerLine). */
const BREAKER_LINE = /^The target stopped answering mid-run: (Kong Admin API|Kong proxy|oxd|authorization server|echo upstream) at (https?:\/\/(?:127\.0\.0\.1|localhost):\d+) .*circuit breaker stopped the run/m;

interface Lost {
  sandbox: RunningSandbox;
  reports: string;
  launcher: RunningLauncher;
  /** From the launcher's start to its first passed scenario. */
  startUpMs: number;
}

/** Runs @tutorial against a sandbox of its own; `fault` is done to the sandbox's process group after the first scenario passed. */
async function runAndLose(t: TestContext, signal: 'SIGKILL' | 'SIGSTOP', extraArgs: string[] = []): Promise<Lost & { r: LauncherExit; afterFaultMs: number }> {
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox([], 60_000);
  } catch (err) {
    assert.fail(`the sandbox did not start: ${(err as Error).message}`);
  }
  const reports = tempDir('self-target-lost-');
  const env = cleanEnv({
    ...sandboxEnv(sandbox.urls),
    UMA_TARGET: 'external',
    UMA_PROVISION: 'auto',
    UMA_TLS_INSECURE: 'true',
    UMA_REPORTS_DIR: reports,
    UMA_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
    UMA_BROWSER_TIMEOUT_MS: String(BROWSER_TIMEOUT_MS),
  });
  const started = performance.now();
  const launcher = startLauncher(env, ['--tags', '@tutorial', ...extraArgs]);
  let ok = false;
  try {
    await launcher.waitForLine(FIRST_PASSED, 120_000);
    const startUpMs = performance.now() - started;
    assert.equal(launcher.child.exitCode, null, `the run ended before the target could be lost:\n${launcher.output()}`);
    // The sandbox leads a process group of its own (sandbox-launcher.ts).
    process.kill(-sandbox.pid, signal);
    const faultAt = performance.now();
    const r = await launcher.exited(90_000);
    const afterFaultMs = r.elapsedMs - (faultAt - started);
    ok = true;
    return { sandbox, reports, launcher, startUpMs, r, afterFaultMs };
  } finally {
    if (signal === 'SIGSTOP') process.kill(-sandbox.pid, 'SIGCONT');
    await sandbox.stop();
    const left = await launcher.tracker.settle(15_000);
    killAll(left);
    if (ok) assert.deepEqual(left, [], `processes the launcher started still run:\n${describe(left)}`);
    if (!ok) t.diagnostic(`reports of the failed run kept in ${reports}`);
  }
}

function assertStoppedByBreaker(x: Lost & { r: LauncherExit }): void {
  const { r, reports } = x;
  assert.equal(r.code, 2, `exit code ${r.code}, not 2:\n${r.output}`);
  const lines = r.output.split('\n').filter((l) => BREAKER_LINE.test(l));
  assert.equal(lines.length, 1, `not exactly one line naming the target:\n${r.output}`);
  const origin = BREAKER_LINE.exec(lines[0])![2];
  assert.ok(Object.values(x.sandbox.urls).some((u) => u.startsWith(origin)), `the line names ${origin}, which is none of the sandbox's origins`);
  assert.doesNotMatch(lines[0], /\/posts|\?|client_secret|Bearer/, 'the line shows a path, a query or a secret');
  assert.doesNotMatch(r.output, STACK_TRACE, 'a stack trace was printed');
  // Every failure is the environment's; the scenarios after it were not run.
  const summary = summarize(path.join(reports, 'cucumber-messages.ndjson'));
  const failed = summary.scenarios.filter((s) => s.outcome === 'failed');
  for (const f of failed) assert.match(f.message ?? '', /^EnvironmentError: /, `a failure not classed as the environment's: ${f.name}: ${f.message}`);
  assert.ok(summary.counts.passed >= 1, 'no scenario passed before the target was lost');
  assert.ok(summary.counts.skipped >= 8, `only ${summary.counts.skipped} scenarios were skipped by the breaker:\n${r.output}`);
  assert.match(r.stdout, /not run, .* stopped answering mid-run \(circuit breaker open\)/, 'the skipped scenarios do not say why');
  // Nothing of the escapes of Playwright's call logs in the files.
  for (const f of ['junit.xml', 'cucumber-messages.ndjson']) {
    const text = fs.readFileSync(path.join(reports, f), 'utf8');
    assert.ok(!text.includes('\u001b[') && !text.includes('\\u001b['), `${f} carries ANSI escapes`);
  }
  fs.rmSync(reports, { recursive: true, force: true });
}

test('a target killed mid-run: exit 2 within 15 s of the kill, one line naming the target', { timeout: 240_000 }, async (t) => {
  const x = await runAndLose(t, 'SIGKILL');
  t.diagnostic(`exit ${x.r.code} ${Math.round(x.afterFaultMs)} ms after the kill`);
  assertStoppedByBreaker(x);
  assert.ok(x.afterFaultMs < 15_000, `the run took ${Math.round(x.afterFaultMs)} ms after the kill`);
});

test('a target killed mid-run with --parallel 2: exit 2 within 15 s, one line naming the target', { timeout: 240_000 }, async (t) => {
  const x = await runAndLose(t, 'SIGKILL', ['--parallel', '2']);
  t.diagnostic(`exit ${x.r.code} ${Math.round(x.afterFaultMs)} ms after the kill`);
  assertStoppedByBreaker(x);
  assert.ok(x.afterFaultMs < 15_000, `the run took ${Math.round(x.afterFaultMs)} ms after the kill`);
});

test('a target frozen mid-run: exit 2 within twice the HTTP timeout plus start-up', { timeout: 240_000 }, async (t) => {
  const x = await runAndLose(t, 'SIGSTOP');
  const bound = 2 * HTTP_TIMEOUT_MS + x.startUpMs;
  t.diagnostic(`exit ${x.r.code} ${Math.round(x.afterFaultMs)} ms after the freeze (bound ${Math.round(bound)} ms, start-up ${Math.round(x.startUpMs)} ms)`);
  assertStoppedByBreaker(x);
  assert.ok(x.afterFaultMs < bound, `the run took ${Math.round(x.afterFaultMs)} ms after the freeze (bound ${Math.round(bound)} ms: start-up ${Math.round(x.startUpMs)} ms)`);
});

test('an open breaker of an earlier run does not stop the next one', { timeout: 120_000 }, async () => {
  const reports = tempDir('self-target-lost-stale-');
  const stale = { runId: 'earlier', component: 'Kong proxy', origin: 'http://127.0.0.1:1', reason: 'refused the connection', probeMs: 500, down: [{ component: 'Kong proxy', origin: 'http://127.0.0.1:1' }] };
  fs.writeFileSync(path.join(reports, BREAKER_FILE), JSON.stringify(stale));
  const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: reports }), ['--tags', '@smoke']);
  const r = await launcher.exited(90_000);
  assert.equal(r.code, 0, r.output);
  assert.match(r.stdout, /^[1-9]\d* passed, 0 failed$/m);
  assert.doesNotMatch(r.output, /circuit breaker/);
  killAll(await launcher.tracker.settle(15_000));
  fs.rmSync(reports, { recursive: true, force: true });
});
