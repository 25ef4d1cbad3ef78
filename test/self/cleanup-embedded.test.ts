// With the default target the launcher starts the embedded sandbox itself:
// after a normal run and after Ctrl-C in the middle of one, nothing it
// started (sandbox, Cucumber and its workers, Chromium) may still run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CHROMIUM, CUCUMBER, cleanEnv, describe, FEW_SCENARIOS, FIRST_PROGRESS, killAll, SANDBOX, startLauncher, tempDir, type RunningLauncher } from './harness';

const RUN_BOUND_MS = 180_000;

async function assertNothingLeft(launcher: RunningLauncher): Promise<void> {
  const left = await launcher.tracker.settle(15_000);
  killAll(left);
  assert.deepEqual(left, [], `processes the launcher started still run 15 s after it ended:\n${describe(left)}`);
  for (const [what, re] of [
    ['the sandbox', SANDBOX],
    ['Cucumber', CUCUMBER],
    ['Chromium', CHROMIUM],
  ] as const) {
    assert.ok(launcher.tracker.matching(re).length, `${what} was never seen among the launcher's processes, so its absence proves nothing`);
  }
}

test('the embedded sandbox run leaves no process behind', { timeout: RUN_BOUND_MS + 30_000 }, async () => {
  const reports = tempDir('self-embedded-');
  try {
    const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: reports }), ['--tags', FEW_SCENARIOS, '--parallel', '2']);
    const r = await launcher.exited(RUN_BOUND_MS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /^Sandbox started in \d+ ms/m);
    await assertNothingLeft(launcher);
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
});

for (const parallel of [1, 2]) {
  test(`Ctrl-C in the middle of an embedded sandbox run${parallel > 1 ? ` with --parallel ${parallel}` : ''} leaves no process behind`, { timeout: RUN_BOUND_MS + 30_000 }, async () => {
    const reports = tempDir('self-embedded-');
    try {
      const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: reports }), ['--tags', FEW_SCENARIOS, ...(parallel > 1 ? ['--parallel', String(parallel)] : [])]);
      await launcher.waitForLine(FIRST_PROGRESS, RUN_BOUND_MS);
      await launcher.tracker.waitFor(CHROMIUM, 30_000);
      assert.equal(launcher.child.exitCode, null, `the run ended before it could be interrupted:\n${launcher.output()}`);
      launcher.interrupt();
      const r = await launcher.exited(60_000);
      assert.equal(r.code, 130, r.output);
      assert.match(r.stdout, /^Interrupted \(SIGINT\): \d+ scenarios? cut short/m);
      await assertNothingLeft(launcher);
    } finally {
      fs.rmSync(reports, { recursive: true, force: true });
    }
  });
}
