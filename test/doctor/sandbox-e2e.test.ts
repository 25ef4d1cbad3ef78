// End to end against the real embedded sandbox: `npm run doctor` with the
// default (sandbox) target starts it, checks it and stops it; and the
// tutorial preset, checked as an existing environment, passes every check.
// Skipped, saying why, when the sandbox cannot start here.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAULTS } from '../../sandbox/faults';
import { startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { runDoctorCli, STACK_TRACE } from './fake-environment';
import { row, summary } from './table';

/** Starts the sandbox with `args`, or says why it cannot start. */
async function trySandbox(args: string[]): Promise<RunningSandbox | string> {
  try {
    return await startSandbox(args);
  } catch (err) {
    return (err as Error).message.split('\n').slice(0, 3).join(' ').trim();
  }
}

test('npm run doctor against the default sandbox target: exit 0', { timeout: 60_000 }, async (t) => {
  const probe = await trySandbox([]);
  if (typeof probe === 'string') {
    t.skip(`the sandbox does not start: ${probe}`);
    return;
  }
  await probe.stop();
  const r = await runDoctorCli({});
  assert.equal(r.code, 0, r.output);
  for (const check of ['Kong Admin API', 'Kong proxy', 'oxd-server', 'AS discovery', 'Claims-gathering scope', 'Tutorial 2 scope']) assert.equal(row(r.stdout, check).status, 'OK', `${check}\n${r.stdout}`);
  assert.match(summary(r.stdout), /^Preflight passed: 7 OK\.$/);
  // It says that what passed is the sandbox it started, not a deployment (issue 14 item 16).
  assert.match(r.stdout.split('\n')[0], /^Target: the embedded sandbox \(an emulation of GG 4\.2 \+ Gluu Server 4\.2, started for this command\): Kong Admin API http:\/\/127\.0\.0\.1:\d+, proxy http:\/\/127\.0\.0\.1:\d+, oxd https:\/\/127\.0\.0\.1:\d+, AS https:\/\/localhost:\d+$/);
  assert.doesNotMatch(r.output, STACK_TRACE);
});

test('UMA_SANDBOX_ARGS reach the sandbox the doctor starts: all faults pass, a bad option is exit 2', { timeout: 60_000 }, async (t) => {
  const probe = await trySandbox([]);
  if (typeof probe === 'string') {
    t.skip(`the sandbox does not start: ${probe}`);
    return;
  }
  await probe.stop();
  const faulty = await runDoctorCli({ UMA_SANDBOX_ARGS: Object.keys(FAULTS).map((f) => `--fault ${f}`).join(' ') });
  assert.equal(faulty.code, 0, faulty.output);
  const bad = await runDoctorCli({ UMA_SANDBOX_ARGS: '--fault no-such-fault' });
  assert.equal(bad.code, 2, bad.output);
  assert.match(bad.stderr, /^Preflight FAILED: the embedded sandbox could not start: .*\n.*unknown fault "no-such-fault"/);
  assert.doesNotMatch(bad.output, STACK_TRACE);
});

/** Runs `fn` with the tutorial preset's env file, the sandbox started with `extraArgs`; false when it cannot start. */
async function withTutorialSandbox(t: TestContext, extraArgs: string[], fn: (envFile: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-e2e-'));
  const envFile = path.join(dir, 'sandbox.env');
  const sandbox = await trySandbox(['--preset', 'tutorial', '--write-env', envFile, ...extraArgs]);
  if (typeof sandbox === 'string') {
    fs.rmSync(dir, { recursive: true, force: true });
    t.skip(`the sandbox does not start: ${sandbox}`);
    return;
  }
  try {
    await fn(envFile);
  } finally {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ALL_CHECKS = ['Kong Admin API', 'Kong proxy', 'oxd-server', 'AS discovery', 'Claims-gathering scope', 'Consumer OP client', 'Kong consumer', 'Claims redirect URI', 'Protected route'];

test('the sandbox tutorial preset as an existing environment: every check OK', { timeout: 60_000 }, async (t) => {
  await withTutorialSandbox(t, [], async (envFile) => {
    const r = await runDoctorCli({ UMA_ENV_FILE: envFile });
    assert.equal(r.code, 0, r.output);
    for (const check of ALL_CHECKS) assert.equal(row(r.stdout, check).status, 'OK', `${check}\n${r.stdout}`);
    assert.match(r.stdout.split('\n')[0], /^Target: external deployment \(UMA_PROVISION=existing\): Kong Admin API http:\/\/127\.0\.0\.1:\d+, /);
    const secret = /^CLIENT_SECRET=(.*)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1];
    assert.ok(secret);
    assert.doesNotMatch(r.output, new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});

// The self-verification runs the suite against deliberately broken sandboxes: those must end in
// conformance failures (exit 1), so the doctor must never stop them (exit 2).
test('every fault profile at once: the doctor does not stop the run', { timeout: 60_000 }, async (t) => {
  await withTutorialSandbox(t, Object.keys(FAULTS).flatMap((f) => ['--fault', f]), async (envFile) => {
    const r = await runDoctorCli({ UMA_ENV_FILE: envFile });
    assert.equal(r.code, 0, r.output);
    for (const check of ALL_CHECKS) assert.notEqual(row(r.stdout, check).status, 'FAIL', check);
  });
});

test('a PEP that lets token-less requests through is a warning, not a stop', { timeout: 60_000 }, async (t) => {
  await withTutorialSandbox(t, ['--fault', 'pep-lets-tokenless-through'], async (envFile) => {
    const r = await runDoctorCli({ UMA_ENV_FILE: envFile });
    assert.equal(r.code, 0, r.output);
    const warned = row(r.stdout, 'Protected route');
    assert.equal(warned.status, 'WARN');
    assert.match(warned.detail, /answered HTTP 200 .*, not 401$/);
  });
});
