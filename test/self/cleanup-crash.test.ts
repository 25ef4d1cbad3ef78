// Clean-up that survives a crash: a run killed outright (SIGKILL to all its
// processes, as the OOM killer or a CI runner's last resort does) leaves its
// Kong objects and its journal; the next run in the same reports folder
// removes them before anything else. A Kong that does not answer then keeps
// the journal for a later run (one line says so); a journal of an embedded
// sandbox that is gone is dropped without a word.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxEnv, startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { Journal, leftovers, runJournals, writeRunHeader } from '../../support/journal';
import { cleanEnv, closedPort, describe, killAll, kongSnapshot, snapshotCounts, startLauncher, tempDir, type KongSnapshot } from './harness';

const RUN_BOUND_MS = 180_000;
/** The suite's own objects: provisioning.ts names them ucc-<run id>-<random>. */
const SUITE_NAME = /^ucc-[0-9a-f]{6}-/;

async function withExternalSandbox(t: TestContext, fn: (sandbox: RunningSandbox, reports: string, env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(['--preset', 'tutorial'], 60_000);
  } catch (err) {
    assert.fail(`the sandbox did not start: ${(err as Error).message}`);
  }
  const reports = tempDir('self-crash-');
  const env = cleanEnv({ ...sandboxEnv(sandbox.urls), UMA_TARGET: 'external', UMA_PROVISION: 'auto', UMA_TLS_INSECURE: 'true', UMA_REPORTS_DIR: reports });
  let ok = false;
  try {
    await fn(sandbox, reports, env);
    ok = true;
  } finally {
    await sandbox.stop();
    if (ok) fs.rmSync(reports, { recursive: true, force: true });
    else t.diagnostic(`reports of the failed run kept in ${reports}`);
  }
}

/** The run's objects in Kong: those not in `before` that carry the suite's names. */
function runObjects(now: KongSnapshot, before: KongSnapshot): string[] {
  const known = new Set(Object.values(before).flatMap((list) => list.map((o) => String(o.id))));
  return Object.entries(now).flatMap(([kind, list]) => list.filter((o) => !known.has(String(o.id))).map((o) => `${kind} ${String(o.name ?? o.username ?? o.id)}`));
}

/** Polls the Admin API (bounded) until Kong holds a service and a consumer of the run. */
async function waitForRunObjects(adminUrl: string, before: KongSnapshot, stillRunning: () => boolean, timeoutMs: number): Promise<KongSnapshot> {
  const deadline = Date.now() + timeoutMs;
  const known = new Set(Object.values(before).flatMap((list) => list.map((o) => String(o.id))));
  const isNew = (o: Record<string, unknown>, nameKey: string) => !known.has(String(o.id)) && SUITE_NAME.test(String(o[nameKey] ?? ''));
  while (Date.now() < deadline && stillRunning()) {
    const now = await kongSnapshot(adminUrl);
    if (now.services.some((s) => isNew(s, 'name')) && now.consumers.some((c) => isNew(c, 'username'))) return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no service and consumer of the run appeared in Kong within ${timeoutMs} ms`);
}

test('a run SIGKILLed after it created Kong objects: the next run removes every one of them first', { timeout: 2 * RUN_BOUND_MS + 30_000 }, async (t) => {
  await withExternalSandbox(t, async (sandbox, reports, env) => {
    const before = await kongSnapshot(sandbox.urls.kongAdmin);
    // The browser scenario: a gateway, a consumer, then seconds in Chromium.
    const first = startLauncher(env, ['--tags', '@claims-gathering and @blocker']);
    try {
      await waitForRunObjects(sandbox.urls.kongAdmin, before, () => first.child.exitCode === null, RUN_BOUND_MS);
    } catch (err) {
      first.interrupt();
      const r = await first.exited(60_000);
      throw new Error(`${(err as Error).message}:\n${r.output}`, { cause: err });
    }
    // Every process of the run at once: no After hook, no sweep, no reports.
    first.tracker.sample();
    killAll(first.tracker.alive());
    const r1 = await first.exited(30_000);
    const left = await first.tracker.settle(15_000);
    killAll(left);
    assert.deepEqual(left, [], `processes of the killed run still run:\n${describe(left)}`);
    assert.equal(r1.signal, 'SIGKILL', `the first run was not killed but ended (code ${r1.code}):\n${r1.output}`);
    const crashed = await kongSnapshot(sandbox.urls.kongAdmin);
    const leftBehind = runObjects(crashed, before);
    assert.ok(leftBehind.length > 0, `the killed run left nothing in Kong, so this test proves nothing:\n${r1.output}`);
    const journals = runJournals(path.join(reports, '.journal'));
    assert.equal(journals.length, 1, 'the killed run left one journal');
    assert.ok(leftovers(journals[0].dir).length >= leftBehind.length, `the journal lists fewer objects than Kong holds: ${JSON.stringify(leftovers(journals[0].dir))} vs ${leftBehind.join(', ')}`);

    const second = startLauncher(env, ['--tags', '@smoke']);
    const r2 = await second.exited(RUN_BOUND_MS);
    killAll(await second.tracker.settle(15_000));
    assert.equal(r2.code, 0, r2.output);
    assert.match(r2.stdout, /^Removed \d+ Kong object\(s\) earlier interrupted or killed runs left behind\.$/m, r2.output);
    // Before the second run's own work: its first line.
    assert.match(r2.stdout.split('\n')[0], /^Removed \d+ Kong object\(s\) earlier/, 'the sweep is not the first thing the run does');
    const after = await kongSnapshot(sandbox.urls.kongAdmin);
    assert.deepEqual(runObjects(after, before), [], `objects of the killed run are still in Kong (left behind at the kill: ${leftBehind.join(', ')})`);
    assert.deepEqual(after, before, `Kong differs (before: ${snapshotCounts(before)}; after: ${snapshotCounts(after)})`);
    assert.ok(!runJournals(path.join(reports, '.journal')).some((j) => j.dir === journals[0].dir), "the killed run's journal is still there after its objects went");
  });
});

test('at start, an external Kong that does not answer keeps its journal (one line says so); a gone sandbox journal is dropped quietly', { timeout: 60_000 }, async () => {
  const reports = tempDir('self-crash-start-');
  try {
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const root = path.join(reports, '.journal');
    const external = path.join(root, 'e0e0e0');
    writeRunHeader(external, { runId: 'e0e0e0', pid: 999_999, target: 'external', startedAt: new Date().toISOString() });
    new Journal(external, gone).created('services', '11111111-1111-4111-8111-111111111111');
    const sandbox = path.join(root, '5a5a5a');
    writeRunHeader(sandbox, { runId: '5a5a5a', pid: 999_999, target: 'sandbox', startedAt: new Date().toISOString() });
    new Journal(sandbox, gone).created('consumers', '22222222-2222-4222-8222-222222222222');
    // A setting that stops the run at its preflight: the sweep still comes first.
    const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: reports, UMA_TARGET: 'external' }));
    const r = await launcher.exited(50_000);
    assert.equal(r.code, 2, r.output);
    const lines = r.stderr.split('\n').filter((l) => l.includes('did not answer'));
    assert.equal(lines.length, 1, r.output);
    assert.match(lines[0], /^The Kong Admin API at http:\/\/127\.0\.0\.1:\d+ did not answer: the 1 object\(s\) earlier interrupted or killed runs left there stay listed in .*\.journal for the next run to remove\.$/);
    assert.deepEqual(leftovers(external).map((o) => o.id), ['11111111-1111-4111-8111-111111111111'], 'the unanswered journal was not kept whole');
    assert.equal(fs.existsSync(sandbox), false, "the gone sandbox's journal is still there");
    assert.doesNotMatch(r.output, /5a5a5a|22222222|sandbox.*did not answer/);
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
});
