// `npm run sandbox` options for the presets and the website listener, and what
// a started sandbox writes and prints: the env file's keys (test user
// included), the secrets masked in --print-env, the ready line the launcher
// turns into the suite's settings (contract §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseCli, USAGE, UsageError } from '../../sandbox/cli';
import { DEFAULT_PORTS } from '../../sandbox/settings';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';
import { sandboxEnv, startSandbox } from '../../scripts/lib/sandbox-launcher';

const ROOT = path.resolve(__dirname, '..', '..');

test('--preset: tutorial and oidc-uma, repeatable, each once, in the order given', () => {
  assert.deepEqual(parseCli(['--preset', 'oidc-uma']).presets, ['oidc-uma']);
  assert.deepEqual(parseCli(['--preset', 'oidc-uma', '--preset', 'tutorial', '--preset', 'oidc-uma']).presets, ['oidc-uma', 'tutorial']);
  assert.deepEqual(parseCli([]).presets, []);
  assert.throws(() => parseCli(['--preset', 'oidc']), new UsageError('--preset: unknown preset "oidc" (one of tutorial, oidc-uma)'));
  assert.throws(() => parseCli(['--preset', 'oidc-uma', '--only', 'website']), new UsageError('--preset oidc-uma needs the whole stack; drop --only'));
});

test('the website listener: default port 14400, --only website, --port website=N, named in --help', () => {
  assert.equal(DEFAULT_PORTS.website, 14400);
  assert.equal(parseCli([]).settings.ports.website, 14400);
  assert.deepEqual(parseCli(['--only', 'website']).only, ['website']);
  assert.equal(parseCli(['--port', 'website=15400']).settings.ports.website, 15400);
  assert.equal(parseCli(['--ephemeral-ports']).settings.ports.website, 0);
  assert.throws(() => parseCli(['--port', 'site=1']), /unknown listener "site" \(one of kongAdmin, kongProxy, oxd, oxauth, upstream, echo, website\)/);
  assert.match(USAGE, /--preset oidc-uma {9}also perform the OpenID Connect \+ UMA PEP tutorial's steps/);
  assert.match(USAGE, /NAME is one of kongAdmin, kongProxy, oxd, oxauth, upstream, echo, website/);
  assert.match(USAGE, /second tutorial's demo website/);
});

/** Starts `npm run sandbox` with `args`, collects stdout up to "Press Ctrl-C", stops it. */
async function runSandbox(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'sandbox', 'main.ts'), '--ephemeral-ports', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for await (const line of readline.createInterface({ input: child.stdout })) {
      lines.push(line);
      if (line === 'Press Ctrl-C to stop.') break;
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return lines.join('\n');
}

test('--write-env and --print-env: the test user among the settings, the password in clear only in the file', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-env-'));
  const file = path.join(dir, 'env');
  // An existing file readable by others: writeFileSync's mode alone would leave it so.
  fs.writeFileSync(file, 'old\n', { mode: 0o644 });
  try {
    const out = await runSandbox(['--write-env', file, '--print-env']);
    assert.match(out, new RegExp(`^ {2}settings for an external run written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 600; run the suite on them with UMA_ENV_FILE=`, 'm'));
    const written = Object.fromEntries(
      fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(Object.keys(written), [
      'UMA_TARGET',
      'UMA_PROVISION',
      'GG_ADMIN_URL',
      'GG_PROXY_URL',
      'OXD_HOST',
      'CE_URL',
      'UMA_TLS_INSECURE',
      'UPSTREAM_URL',
      'ECHO_UPSTREAM_URL',
      'WEBSITE_UPSTREAM_URL',
      'TEST_USER_NAME',
      'TEST_USER_PASSWORD',
    ]);
    assert.equal(written.TEST_USER_NAME, 'test_user');
    assert.match(written.TEST_USER_PASSWORD, /^\S{12,}$/);
    assert.match(written.WEBSITE_UPSTREAM_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(!out.includes(written.TEST_USER_PASSWORD), 'the password reaches the console');
    assert.match(out, new RegExp(`^TEST_USER_PASSWORD=${written.TEST_USER_PASSWORD.slice(0, 2)}…\\(masked, ${written.TEST_USER_PASSWORD.length} chars\\)$`, 'm'));
    assert.match(out, /^TEST_USER_NAME=test_user$/m);
    assert.match(out, /^ {2}test user: test_user \/ password \S\S…\(masked, \d+ chars\)$/m);
    assert.match(out, /^ {2}demo website {11}http:\/\/127\.0\.0\.1:\d+$/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--write-env into a folder that does not exist: one line naming the file, exit 2, no stack trace', { timeout: 60_000 }, async () => {
  const file = path.join(os.tmpdir(), `no-such-folder-${process.pid}`, 'env');
  const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'sandbox', 'main.ts'), '--ephemeral-ports', '--write-env', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 2);
  assert.equal(stderr, `sandbox: --write-env: could not write ${file}: ENOENT\n`);
});

test('--record-secrets: the test user\'s password is among the recorded secrets', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-secrets-'));
  const secrets = path.join(dir, 'secrets');
  const env = path.join(dir, 'env');
  fs.writeFileSync(secrets, '', { mode: 0o644 });
  try {
    await runSandbox(['--record-secrets', secrets, '--write-env', env]);
    assert.equal(fs.statSync(secrets).mode & 0o777, 0o600, 'an existing secrets file keeps a mode others can read');
    const password = /^TEST_USER_PASSWORD=(.*)$/m.exec(fs.readFileSync(env, 'utf8'))?.[1];
    assert.ok(password);
    assert.ok(fs.readFileSync(secrets, 'utf8').split('\n').includes(password));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the launcher: the ready line gives the website URL and the test user; sandboxEnv passes them (contract §3)', { timeout: 60_000 }, async () => {
  const sandbox = await startSandbox([], 60_000);
  try {
    assert.match(sandbox.urls.website, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sandbox.testUser?.username, 'test_user');
    const env = sandboxEnv(sandbox.urls, sandbox.testUser);
    assert.equal(env.WEBSITE_UPSTREAM_URL, sandbox.urls.website);
    assert.equal(env.TEST_USER_NAME, 'test_user');
    assert.equal(env.TEST_USER_PASSWORD, sandbox.testUser?.password);
    const page = await fetch(`${env.WEBSITE_UPSTREAM_URL}/settings/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Profile settings<\/h1>/);
  } finally {
    await sandbox.stop();
  }
  assert.equal('TEST_USER_NAME' in sandboxEnv(sandbox.urls), false);
});
