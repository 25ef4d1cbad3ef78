// Clean-up under faults, against an external target: a sandbox this test
// starts itself (with the tutorial preset, so Kong already holds objects that
// are not the run's), run with UMA_TARGET=external and auto provisioning.
// Whatever happens to the run (it passes, its scenarios fail, it is
// interrupted with Ctrl-C), Kong must afterwards hold exactly the entities it
// had before, and nothing the launcher started may still run.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { sandboxEnv, startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { leftovers, runJournals } from '../../support/journal';
import {
  CHROMIUM,
  CUCUMBER,
  cleanEnv,
  describe,
  FEW_SCENARIOS,
  FIRST_PROGRESS,
  killAll,
  close,
  listen,
  kongSnapshot,
  snapshotCounts,
  startLauncher,
  tempDir,
  type LauncherExit,
  type RunningLauncher,
} from './harness';

const RUN_BOUND_MS = 180_000;

interface External {
  sandbox: RunningSandbox;
  reports: string;
  env: NodeJS.ProcessEnv;
}

async function withExternalSandbox(t: TestContext, sandboxArgs: string[], fn: (x: External) => Promise<void>): Promise<void> {
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(['--preset', 'tutorial', ...sandboxArgs], 60_000);
  } catch (err) {
    // The sandbox is this project's own program: failing to start is a failure here, not a skip.
    assert.fail(`the sandbox did not start: ${(err as Error).message}`);
  }
  const reports = tempDir('self-cleanup-');
  const env = cleanEnv({ ...sandboxEnv(sandbox.urls), UMA_TARGET: 'external', UMA_PROVISION: 'auto', UMA_TLS_INSECURE: 'true', UMA_REPORTS_DIR: reports });
  let ok = false;
  try {
    await fn({ sandbox, reports, env });
    ok = true;
  } finally {
    await sandbox.stop();
    if (ok) fs.rmSync(reports, { recursive: true, force: true });
    else t.diagnostic(`reports of the failed run kept in ${reports}`);
  }
}

/** The run created Kong objects (so "Kong unchanged" means they were removed, not that none were made). */
function journalCreations(reports: string): number {
  const dir = path.join(reports, '.journal');
  if (!fs.existsSync(dir)) return 0;
  // One folder per run (support/journal.ts); the run's own stays until the next run.
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.includes('"op":"created"')).length;
}

async function assertNothingLeft(launcher: RunningLauncher, r: LauncherExit): Promise<void> {
  const left = await launcher.tracker.settle(15_000);
  killAll(left);
  assert.deepEqual(left, [], `processes the launcher started still run ${Math.round(r.elapsedMs)} ms after it began (and 15 s after it ended):\n${describe(left)}`);
}

async function assertKongAsBefore(x: External, before: Awaited<ReturnType<typeof kongSnapshot>>, r: LauncherExit): Promise<void> {
  assert.ok(journalCreations(x.reports) > 0, `the run created no Kong object, so this test proves nothing:\n${r.output}`);
  const after = await kongSnapshot(x.sandbox.urls.kongAdmin);
  assert.deepEqual(after, before, `Kong differs after the run (before: ${snapshotCounts(before)}; after: ${snapshotCounts(after)}); journal leftovers: ${JSON.stringify(runJournals(path.join(x.reports, '.journal')).flatMap((j) => leftovers(j.dir)))}\n${r.output}`);
}

test('a passing run against an external target leaves Kong with exactly the entities it had', { timeout: RUN_BOUND_MS + 30_000 }, async (t) => {
  await withExternalSandbox(t, [], async (x) => {
    const before = await kongSnapshot(x.sandbox.urls.kongAdmin);
    assert.ok(before.services.length && before.routes.length && before.plugins.length && before.consumers.length, `the preset made no objects: ${snapshotCounts(before)}`);
    const launcher = startLauncher(x.env, ['--tags', FEW_SCENARIOS]);
    const r = await launcher.exited(RUN_BOUND_MS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /^\d+ passed, 0 failed/m);
    await assertKongAsBefore(x, before, r);
    await assertNothingLeft(launcher, r);
    assert.ok(launcher.tracker.matching(CHROMIUM).length, `no Chromium was seen: the browser scenario did not run\n${r.output}`);
  });
});

test('a run whose scenarios fail (fault policy-disabled) exits 1 and leaves Kong clean', { timeout: RUN_BOUND_MS + 30_000 }, async (t) => {
  await withExternalSandbox(t, ['--fault', 'policy-disabled'], async (x) => {
    const before = await kongSnapshot(x.sandbox.urls.kongAdmin);
    const launcher = startLauncher(x.env, ['--tags', FEW_SCENARIOS]);
    const r = await launcher.exited(RUN_BOUND_MS);
    assert.equal(r.code, 1, r.output);
    assert.match(r.stdout, /^\d+ passed, [1-9]\d* failed/m);
    await assertKongAsBefore(x, before, r);
    await assertNothingLeft(launcher, r);
  });
});

for (const parallel of [1, 2]) {
  test(`Ctrl-C after the first scenario${parallel > 1 ? ` with --parallel ${parallel}` : ''}: Kong clean, nothing left running`, { timeout: RUN_BOUND_MS + 30_000 }, async (t) => {
    await withExternalSandbox(t, [], async (x) => {
      const before = await kongSnapshot(x.sandbox.urls.kongAdmin);
      const launcher = startLauncher(x.env, ['--tags', FEW_SCENARIOS, ...(parallel > 1 ? ['--parallel', String(parallel)] : [])]);
      await launcher.waitForLine(FIRST_PROGRESS, RUN_BOUND_MS);
      // The browser scenario runs while others finish: interrupt once Chromium is up, so its clean-up is tested too.
      const browserUp = await launcher.tracker.waitFor(CHROMIUM, 30_000);
      assert.equal(launcher.child.exitCode, null, `the run ended before it could be interrupted:\n${launcher.output()}`);
      launcher.interrupt();
      const r = await launcher.exited(60_000);
      assert.equal(r.code, 130, r.output);
      assert.match(r.stdout, /^Interrupted \(SIGINT\): \d+ scenarios? cut short/m);
      assert.ok(browserUp, `Chromium never started: the interrupt did not test the browser's clean-up\n${r.output}`);
      assert.ok(launcher.tracker.matching(CUCUMBER).length > (parallel > 1 ? parallel : 0), `the Cucumber process(es) were not seen:\n${describe([...launcher.tracker.seen.values()])}`);
      await assertKongAsBefore(x, before, r);
      await assertNothingLeft(launcher, r);
    });
  });
}

/**
 * A Kong Admin API whose answers to consumer creations never come back: Kong
 * has made the consumer, the suite has not heard of it yet (a slow link to a
 * real gateway, stretched to make the moment certain).
 */
async function adminWithheldCreations(adminUrl: string): Promise<{ url: string; created: Promise<string>; close(): Promise<void> }> {
  let announce: (id: string) => void = () => undefined;
  const created = new Promise<string>((resolve) => (announce = resolve));
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', adminUrl), { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'POST' && req.url?.startsWith('/consumers') && answer.statusCode === 201) {
          announce(String((JSON.parse(body.toString()) as { id: string }).id));
          return; // withheld
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const url = await listen(server);
  return { url, created, close: () => close(server) };
}

// The journal records an object once Kong's answer is back, so an object whose answer is
// on its way when Ctrl-C arrives is in Kong but in no journal. For the integrator (see the report).
test(
  'Ctrl-C while Kong is creating an object: that object is removed too',
  { timeout: RUN_BOUND_MS + 30_000 },
  async (t) => {
    await withExternalSandbox(t, [], async (x) => {
      const before = await kongSnapshot(x.sandbox.urls.kongAdmin);
      const admin = await adminWithheldCreations(x.sandbox.urls.kongAdmin);
      try {
        const launcher = startLauncher({ ...x.env, GG_ADMIN_URL: admin.url }, ['--tags', '@pushed-claims']);
        const id = await Promise.race([admin.created, launcher.exited(RUN_BOUND_MS).then((r) => assert.fail(`the run ended before it created a consumer:\n${r.output}`))]);
        launcher.interrupt();
        const r = await launcher.exited(60_000);
        await assertNothingLeft(launcher, r);
        const after = await kongSnapshot(x.sandbox.urls.kongAdmin);
        assert.equal(
          after.consumers.find((c) => c.id === id),
          undefined,
          `consumer ${id}, created by Kong while the answer was on its way, is left behind (Kong now: ${snapshotCounts(after)}, before: ${snapshotCounts(before)}; journal files: ${fs.existsSync(path.join(x.reports, '.journal')) ? fs.readdirSync(path.join(x.reports, '.journal')).join(',') : 'none'}; launcher: ${r.stdout.trim().split('\n').slice(-1)[0]})`,
        );
        assert.deepEqual(after, before, `Kong after: ${snapshotCounts(after)}, before: ${snapshotCounts(before)}`);
      } finally {
        await admin.close();
      }
    });
  },
);
