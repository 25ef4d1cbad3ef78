// Bad input at the level of `npm test` itself (scripts/run.ts as a child):
// malformed or contradictory settings, an unreachable target, an unknown
// Cucumber option, a proxy that starts answering HTML error pages in the
// middle of a run. Each must end the run promptly with a clear message and
// the right exit code: never a hang, never a stack trace.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { sandboxEnv, startSandbox } from '../../scripts/lib/sandbox-launcher';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';
import {
  cleanEnv,
  close,
  closedPort,
  describe,
  FIRST_PROGRESS,
  killAll,
  kongSnapshot,
  listen,
  PROGRESS,
  STACK_TRACE,
  startLauncher,
  tempDir,
  type LauncherExit,
  type RunningLauncher,
} from './harness';

/** Runs the launcher to its end (bounded) with these settings and a reports folder of its own. */
async function runLauncher(settings: Record<string, string>, args: string[] = [], boundMs = 60_000): Promise<LauncherExit & { reports: string; launcher: RunningLauncher }> {
  const reports = tempDir('self-bad-input-');
  const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: reports, ...settings }), args);
  const r = await launcher.exited(boundMs);
  return { ...r, reports, launcher };
}

function assertNothingRan(r: LauncherExit & { reports: string }): void {
  assert.doesNotMatch(r.output, PROGRESS, 'a scenario ran');
  assert.equal(fs.existsSync(path.join(r.reports, 'cucumber-messages.ndjson')), false, 'Cucumber was started');
  assert.doesNotMatch(r.output, STACK_TRACE, 'a stack trace was printed');
  fs.rmSync(r.reports, { recursive: true, force: true });
}

async function assertNoProcessLeft(launcher: RunningLauncher): Promise<void> {
  const left = await launcher.tracker.settle(15_000);
  killAll(left);
  assert.deepEqual(left, [], `processes the launcher started still run:\n${describe(left)}`);
}

// ---- (a) malformed and contradictory settings ----

const bad = tempDir('self-bad-settings-');
const garbageEnvFile = path.join(bad, 'garbage.env');
fs.writeFileSync(garbageEnvFile, 'UMA_TARGET=external\nthis line is not a setting\nGG_ADMIN_URL http://x:8001\nGG_ADMIN_PORT=8001\n');

const SETTINGS: Array<{ what: string; settings: Record<string, string>; named: RegExp[] }> = [
  { what: 'an unknown target', settings: { UMA_TARGET: 'staging' }, named: [/UMA_TARGET must be one of sandbox, external, got "staging"/] },
  {
    what: 'an external target with malformed and missing URLs',
    settings: { UMA_TARGET: 'external', GG_ADMIN_URL: 'gg.example.org:8001', GG_PROXY_URL: 'not a url', CE_URL: 'ftp://idp.example.org' },
    named: [/GG_ADMIN_URL must be an http or https URL, got "gg\.example\.org:8001"/, /GG_PROXY_URL is not a URL: "not a url"/, /OXD_HOST is required/, /CE_URL must be an http or https URL/],
  },
  {
    what: 'existing objects asked of a fresh sandbox (contradictory)',
    settings: { UMA_PROVISION: 'existing' },
    named: [/UMA_PROVISION=existing uses objects already configured in Kong, which a fresh sandbox does not have/],
  },
  { what: 'half a consumer client', settings: { CLIENT_ID: 'abc' }, named: [/CLIENT_ID is set but CLIENT_OXD_ID, CLIENT_SECRET are not/] },
  {
    what: 'negative and non-numeric timeouts',
    settings: { UMA_HTTP_TIMEOUT_MS: '-5', UMA_BROWSER_TIMEOUT_MS: '15s' },
    named: [/UMA_HTTP_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 \(a scenario step may take at most 60 s\), got "-5"/, /UMA_BROWSER_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 \(a scenario step may take at most 60 s\), got "15s"/],
  },
  { what: "a doctor timeout that is not a number", settings: { UMA_DOCTOR_TIMEOUT_MS: 'soon' }, named: [/UMA_DOCTOR_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 \(a scenario step may take at most 60 s\), got "soon"/] },
  { what: 'a TLS flag that is not a boolean', settings: { UMA_TLS_INSECURE: 'maybe' }, named: [/UMA_TLS_INSECURE must be true or false, got "maybe"/] },
  { what: 'an env file that does not exist', settings: { UMA_ENV_FILE: path.join(bad, 'missing.env') }, named: [/UMA_ENV_FILE ".*missing\.env" cannot be read \(ENOENT\)/] },
  {
    what: 'an env file with lines that are not settings',
    settings: { UMA_ENV_FILE: garbageEnvFile },
    named: [/garbage\.env line 2 is not KEY=VALUE \(the line is not shown: it may hold a secret\)/, /garbage\.env line 3 \(GG_ADMIN_URL\) is not KEY=VALUE: write GG_ADMIN_URL=<value>/, /sets GG_ADMIN_PORT, which is not a setting of this suite/],
  },
  { what: 'a browser that does not exist', settings: { UMA_BROWSER_PATH: '/nonexistent/chromium' }, named: [/UMA_BROWSER_PATH "\/nonexistent\/chromium" does not exist/] },
  { what: 'a sandbox fault that does not exist', settings: { UMA_SANDBOX_ARGS: '--fault no-such-fault' }, named: [/the embedded sandbox could not start/, /unknown fault "no-such-fault"/] },
];

for (const c of SETTINGS) {
  test(`settings: ${c.what} → exit 2 naming the problem, nothing run, no stack trace`, { timeout: 60_000 }, async () => {
    const r = await runLauncher(c.settings);
    assert.equal(r.code, 2, r.output);
    for (const re of c.named) assert.match(r.stderr, re);
    assert.match(r.stderr, /^Preflight FAILED: /m);
    assert.match(r.stderr, /^Nothing was run: fix the above/m);
    assertNothingRan(r);
    assert.ok(r.elapsedMs < 20_000, `took ${Math.round(r.elapsedMs)} ms`);
  });
}

// A secret written the wrong way in the env file: the line is named, its value
// never shown, on the console or under the reports folder (the preflight's
// Allure result and its attachment included).
test('settings: an env file line `CLIENT_SECRET: <value>` → exit 2, the value nowhere on the console or under the reports folder', { timeout: 60_000 }, async () => {
  const file = path.join(bad, 'secret.env');
  fs.writeFileSync(file, 'CLIENT_SECRET: s3cr3t-value-xyz\nCLIENT-SECRET=s3cr3t-value-two\n');
  const r = await runLauncher({ UMA_ENV_FILE: file });
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, /secret\.env line 1 \(CLIENT_SECRET\) is not KEY=VALUE: write CLIENT_SECRET=<value>/);
  assert.match(r.stderr, /secret\.env line 2: CLIENT-SECRET is not a setting name/);
  assert.doesNotMatch(r.output, /s3cr3t/);
  const files = (fs.readdirSync(r.reports, { recursive: true }) as string[]).map((f) => path.join(r.reports, f)).filter((f) => fs.statSync(f).isFile());
  assert.ok(files.some((f) => f.endsWith('-attachment.txt')), `the preflight left no Allure attachment: ${files.join(', ')}`);
  for (const f of files) assert.doesNotMatch(fs.readFileSync(f, 'latin1'), /s3cr3t/, `${f} shows the secret`);
  assertNothingRan(r);
});

test('settings: timeouts beyond the allowed range → exit 2, one line naming the setting and the range', { timeout: 60_000 }, async () => {
  const r = await runLauncher({ UMA_HTTP_TIMEOUT_MS: '99999999999999', UMA_BROWSER_TIMEOUT_MS: '99999999999999', UMA_DOCTOR_TIMEOUT_MS: '99999999999999' });
  assert.equal(r.code, 2, r.output);
  for (const key of ['UMA_HTTP_TIMEOUT_MS', 'UMA_BROWSER_TIMEOUT_MS', 'UMA_DOCTOR_TIMEOUT_MS']) {
    assert.match(r.stderr, new RegExp(`^  - ${key} must be a whole number of milliseconds from 1 to 60000 \\(a scenario step may take at most 60 s\\), got "99999999999999"$`, 'm'));
  }
  assertNothingRan(r);
});

// The README promises every configuration problem at once. scripts/run.ts reads
// UMA_DOCTOR_TIMEOUT_MS apart from the other settings and drops its problem
// when loadConfig() already failed: for the integrator (see the report).
test('settings: every problem at once, UMA_DOCTOR_TIMEOUT_MS among others', { timeout: 60_000 }, async () => {
  const r = await runLauncher({ UMA_HTTP_TIMEOUT_MS: '-5', UMA_DOCTOR_TIMEOUT_MS: 'soon' });
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, /UMA_HTTP_TIMEOUT_MS must be/);
  assert.match(r.stderr, /UMA_DOCTOR_TIMEOUT_MS must be/);
  assertNothingRan(r);
});

// A ledger that is not JSON is found by Cucumber's BeforeAll hook, not by the launcher's preflight.
let ledgerRun: ReturnType<typeof runLauncher> | undefined;
function runWithBrokenLedger(): ReturnType<typeof runLauncher> {
  const ledger = path.join(bad, 'ledger.json');
  fs.writeFileSync(ledger, '[{"id": "DIV-X", ');
  ledgerRun ??= runLauncher({ UMA_DIVERGENCES_FILE: ledger }, ['--tags', '@smoke'], 90_000);
  return ledgerRun;
}

test('settings: a ledger of known divergences that is not JSON → exit 2 naming the file, nothing run', { timeout: 120_000 }, async () => {
  const r = await runWithBrokenLedger();
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /the known-divergences ledger .*ledger\.json cannot be read as JSON/);
  assert.doesNotMatch(r.output, PROGRESS, 'a scenario ran');
  await assertNoProcessLeft(r.launcher);
});

test('settings: a ledger of known divergences that is not JSON → no stack trace', { timeout: 120_000 }, async () => {
  const r = await runWithBrokenLedger();
  assert.doesNotMatch(r.output, STACK_TRACE, 'a stack trace was printed');
  assert.match(r.stderr, /^Preflight FAILED: /m);
});

// ---- (a') a reports folder that cannot be used ----

function assertReportsDirRefused(r: { code: number | null; stdout: string; stderr: string; elapsedMs?: number }, says: RegExp): void {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `more than one line:\n${r.stderr}`);
  assert.match(lines[0], /^uma-claims-conformance: UMA_REPORTS_DIR ".+" cannot be used as the reports folder: /);
  assert.match(lines[0], says);
  assert.doesNotMatch(r.stdout + r.stderr, STACK_TRACE);
  assert.doesNotMatch(r.stdout, PROGRESS);
}

const REPORTS_DIRS: Array<{ what: string; dir: () => string; says: RegExp }> = [
  { what: 'a file', dir: () => garbageEnvFile, says: /: it is a file, not a folder; give a folder this run can write/ },
  { what: 'a folder under a file', dir: () => path.join(garbageEnvFile, 'reports'), says: /: .*garbage\.env is a file, not a folder/ },
  // mkdirSync's recursive mode spun the CPU for ever here (Node 20 retries ENOENT in an existing folder).
  { what: 'a folder under /proc', dir: () => '/proc/uma-conformance-reports', says: /does not take new files or folders \(ENOENT\), as \/proc does/ },
  { what: '/proc itself', dir: () => '/proc', says: /\(ENOENT\), as \/proc does/ },
];

for (const c of REPORTS_DIRS) {
  test(`reports folder: UMA_REPORTS_DIR is ${c.what} → exit 2 at once, one line naming UMA_REPORTS_DIR, no hang`, { timeout: 30_000 }, async () => {
    const launcher = startLauncher(cleanEnv({ UMA_REPORTS_DIR: c.dir() }));
    const r = await launcher.exited(20_000);
    assertReportsDirRefused(r, c.says);
    assert.ok(r.elapsedMs < 10_000, `took ${Math.round(r.elapsedMs)} ms`);
  });
}

// A read-only filesystem: a tmpfs mounted read-only in a mount namespace of the run's own (unshare, no root needed).
const canUnshare = spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;

test('reports folder: UMA_REPORTS_DIR on a read-only filesystem → exit 2, one line naming UMA_REPORTS_DIR and EROFS', { timeout: 30_000, skip: !canUnshare && 'unshare -rm is not available' }, () => {
  const mount = tempDir('self-ro-');
  try {
    for (const dir of [mount, path.join(mount, 'reports')]) {
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o ro none "${mount}" && exec "$@"`, 'sh', process.execPath, ...NODE_TS_ARGS, 'scripts/run.ts'], {
        cwd: path.resolve(__dirname, '..', '..'),
        env: cleanEnv({ UMA_REPORTS_DIR: dir }),
        encoding: 'utf8',
        timeout: 20_000,
      });
      assertReportsDirRefused({ code: r.status, stdout: r.stdout, stderr: r.stderr }, /the filesystem is read-only \(EROFS\)/);
    }
  } finally {
    fs.rmSync(mount, { recursive: true, force: true });
  }
});

// ---- (b) an unreachable external target ----

function external(urls: { admin: string; proxy: string; oxd: string; as: string }): Record<string, string> {
  return { UMA_TARGET: 'external', GG_ADMIN_URL: urls.admin, GG_PROXY_URL: urls.proxy, OXD_HOST: urls.oxd, CE_URL: urls.as, UMA_TLS_INSECURE: 'true' };
}

test('unreachable: every endpoint refuses the connection → exit 2 within a few seconds, each endpoint named', { timeout: 60_000 }, async () => {
  const port = await closedPort();
  const urls = { admin: `http://127.0.0.1:${port}`, proxy: `http://127.0.0.1:${port}`, oxd: `https://127.0.0.1:${port}`, as: `https://127.0.0.1:${port}` };
  const r = await runLauncher(external(urls));
  assert.equal(r.code, 2, r.output);
  assert.ok(r.elapsedMs < 10_000, `took ${Math.round(r.elapsedMs)} ms`);
  for (const [setting, url] of [
    ['GG_ADMIN_URL', urls.admin],
    ['GG_PROXY_URL', urls.proxy],
    ['OXD_HOST', urls.oxd],
    ['CE_URL', urls.as],
  ]) {
    assert.match(r.stderr, new RegExp(`${setting} +FAIL +.* at ${url.replace(/[.:/]/g, '\\$&')} refused the connection`));
  }
  assert.match(r.stderr, /^Preflight FAILED: GG_ADMIN_URL: .*refused the connection/m);
  assertNothingRan(r);
});

test('unreachable: an endpoint that accepts connections and never answers → exit 2 within the doctor timeout, named', { timeout: 60_000 }, async () => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const silentUrl = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  const sockets = new Set<net.Socket>();
  silent.on('connection', (s) => sockets.add(s));
  const port = await closedPort();
  try {
    const r = await runLauncher(external({ admin: `http://127.0.0.1:${port}`, proxy: `http://127.0.0.1:${port}`, oxd: silentUrl, as: `https://127.0.0.1:${port}` }));
    assert.equal(r.code, 2, r.output);
    // The doctor's default 4 s per check, plus the launcher's own start.
    assert.ok(r.elapsedMs < 12_000, `took ${Math.round(r.elapsedMs)} ms`);
    assert.match(r.stderr, new RegExp(`oxd-server +OXD_HOST +FAIL +oxd-server at ${silentUrl.replace(/[.:/]/g, '\\$&')} did not answer in time`));
    assertNothingRan(r);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('unreachable: a host name that does not resolve → exit 2 within a few seconds, named', { timeout: 60_000 }, async () => {
  const port = await closedPort();
  const r = await runLauncher(external({ admin: 'http://kong-admin.conformance.invalid:8001', proxy: `http://127.0.0.1:${port}`, oxd: `https://127.0.0.1:${port}`, as: `https://127.0.0.1:${port}` }));
  assert.equal(r.code, 2, r.output);
  assert.ok(r.elapsedMs < 12_000, `took ${Math.round(r.elapsedMs)} ms`);
  assert.match(r.stderr, /Kong Admin API +GG_ADMIN_URL +FAIL +.*kong-admin\.conformance\.invalid/);
  assertNothingRan(r);
});

// ---- (c) Cucumber options the launcher passes on ----

/** `early`: found by the launcher before the sandbox starts and the preflight runs (scripts/lib/cucumber-args.ts). */
const CUCUMBER_ERRORS: Array<{ what: string; args: string[]; says: RegExp; early: boolean }> = [
  { what: 'an unknown Cucumber option', args: ['--no-such-option'], says: /^ {2}- --no-such-option is not a Cucumber option \(`npm test -- --help` lists them\)$/m, early: true },
  { what: 'an option without its value', args: ['--tags'], says: /^ {2}- --tags needs a value \(e\.g\. --tags @smoke\)$/m, early: true },
  { what: 'a profile that does not exist', args: ['--profile', 'x'], says: /^ {2}- --profile "x": cucumber\.js has no such profile \(profiles: default\)$/m, early: true },
  { what: 'a formatter that does not exist', args: ['--format', 'x'], says: /^ {2}- --format "x": not a Cucumber formatter \(built in: html, junit, /m, early: true },
  { what: 'a tag expression that does not parse', args: ['--tags', '@smoke and'], says: /@smoke and/, early: true },
  { what: 'a shard beyond the shard count', args: ['--shard', '3/2'], says: /--shard "3\/2": give the shard as i\/n/, early: true },
  { what: 'a feature path that does not exist', args: ['features/no-such.feature'], says: /"features\/no-such\.feature": no such feature file or folder/, early: true },
  { what: 'a tag expression that selects no scenario', args: ['--tags', '@no-such-tag'], says: /No scenario ran: the arguments .* selected none/, early: false },
];

for (const c of CUCUMBER_ERRORS) {
  test(`cucumber: ${c.what} → a clear message, exit 2, no hang, nothing left running`, { timeout: 120_000 }, async () => {
    const r = await runLauncher({}, c.args, 90_000);
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, c.says);
    assert.doesNotMatch(r.output, PROGRESS, 'a scenario ran');
    assert.doesNotMatch(r.output, STACK_TRACE, 'a stack trace was printed');
    if (c.early) {
      assert.doesNotMatch(r.output, /Sandbox started/, 'the sandbox was started before the arguments were checked');
      assert.match(r.stderr, /^Preflight FAILED: /m);
      assert.ok(r.elapsedMs < 15_000, `took ${Math.round(r.elapsedMs)} ms`);
    }
    await assertNoProcessLeft(r.launcher);
    fs.rmSync(r.reports, { recursive: true, force: true });
  });
}

// ---- (d) a proxy that starts answering HTML error pages mid-run ----

const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Passes requests through to the real Kong proxy until broken, then answers every one with nginx's HTML 502 page. */
async function flakyProxy(target: string): Promise<{ url: string; breakNow(): void; broken: () => number; close(): Promise<void> }> {
  let isBroken = false;
  let htmlAnswers = 0;
  const server = http.createServer((req, res) => {
    if (isBroken) {
      htmlAnswers++;
      req.resume();
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(NGINX_502), Server: 'nginx' });
      res.end(NGINX_502);
      return;
    }
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const url = await listen(server);
  return { url, breakNow: () => (isBroken = true), broken: () => htmlAnswers, close: () => close(server) };
}

test('a proxy that answers HTML error pages from the second scenario on: the run ends (exit 1), no hang, the problem named', { timeout: 240_000 }, async () => {
  const sandbox = await startSandbox([], 60_000);
  const proxy = await flakyProxy(sandbox.urls.kongProxy);
  try {
    const before = await kongSnapshot(sandbox.urls.kongAdmin);
    const reports = tempDir('self-bad-input-');
    const launcher = startLauncher(
      cleanEnv({ ...sandboxEnv(sandbox.urls), UMA_TARGET: 'external', UMA_PROVISION: 'auto', GG_PROXY_URL: proxy.url, UMA_REPORTS_DIR: reports }),
      ['--tags', '@smoke or @pushed-claims'],
    );
    await launcher.waitForLine(FIRST_PROGRESS, 120_000);
    proxy.breakNow();
    const r = await launcher.exited(180_000);
    assert.ok(proxy.broken() > 0, `no request met the broken proxy:\n${r.output}`);
    assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}\n${r.output}`);
    assert.match(r.stdout, /^\s*1\/8 ✔ /m, 'the first scenario, before the proxy broke, passed');
    assert.match(r.stdout, /^\d+ passed, [1-9]\d* failed/m);
    // Each failure says what the gateway did, with the HTML page as evidence.
    assert.match(r.stdout, /expected: status 401\n\s+actual: +status 502\n/);
    assert.match(r.stdout, /content-type: text\/html[\s\S]*<title>502 Bad Gateway<\/title>/);
    assert.deepEqual(await kongSnapshot(sandbox.urls.kongAdmin), before, 'Kong was left with objects of the run');
    await assertNoProcessLeft(launcher);
    fs.rmSync(reports, { recursive: true, force: true });
  } finally {
    await proxy.close();
    await sandbox.stop();
  }
});

after(() => fs.rmSync(bad, { recursive: true, force: true }));

// ---- (e) a browser that cannot be reached ----

test('a remote browser nobody serves: the browser scenarios fail with one plain line, exit 2, its endpoint path never shown, nothing left', { timeout: 120_000 }, async () => {
  const r = await runLauncher({ UMA_BROWSER_WS: 'ws://127.0.0.1:1/grid-token-4711' }, ['--tags', '@claims-gathering and @grant'], 90_000);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /the remote browser at ws:\/\/127\.0\.0\.1:1 \(UMA_BROWSER_WS\) could not be started or reached/);
  assert.match(r.output, /Every failure above is an environment or set-up problem/);
  assert.doesNotMatch(r.output, /grid-token-4711/);
  for (const f of fs.readdirSync(r.reports, { recursive: true }) as string[]) {
    const file = path.join(r.reports, f);
    if (fs.statSync(file).isFile()) assert.doesNotMatch(fs.readFileSync(file, 'latin1'), /grid-token-4711/, `${f} shows the grid endpoint's path`);
  }
  await assertNoProcessLeft(r.launcher);
  fs.rmSync(r.reports, { recursive: true, force: true });
});
