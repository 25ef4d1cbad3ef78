// `npm run doctor` with a configuration that cannot work: every problem is
// printed, nothing is probed, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLIENT, runDoctorCli, STACK_TRACE } from './fake-environment';
import { summary } from './table';

test('external target without URLs: exit 2, each missing setting named, nothing probed', async () => {
  const r = await runDoctorCli({ UMA_TARGET: 'external' });
  assert.equal(r.code, 2, r.output);
  for (const key of ['GG_ADMIN_URL', 'GG_PROXY_URL', 'OXD_HOST', 'CE_URL']) assert.match(r.stderr, new RegExp(`- ${key} is required`));
  assert.equal(summary(r.stderr), 'Preflight FAILED: the configuration has 4 problems (listed above); nothing was checked.');
  assert.doesNotMatch(r.output, /CHECK\s+SETTING/);
  assert.doesNotMatch(r.output, STACK_TRACE);
});

test('malformed values, a partial client and a bad doctor timeout: all reported at once', async () => {
  const r = await runDoctorCli({
    UMA_TARGET: 'external',
    GG_ADMIN_URL: 'not a url',
    GG_PROXY_URL: 'http://127.0.0.1:1',
    OXD_HOST: 'ftp://oxd',
    CE_URL: 'https://idp.example.org',
    CLIENT_ID: CLIENT.clientId,
    UMA_DOCTOR_TIMEOUT_MS: 'soon',
  });
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, /- GG_ADMIN_URL is not a URL: "not a url"/);
  assert.match(r.stderr, /- OXD_HOST must be an http or https URL, got "ftp:\/\/oxd"/);
  assert.match(r.stderr, /- the consumer OP client needs CLIENT_OXD_ID, CLIENT_ID and CLIENT_SECRET together/);
  assert.match(r.stderr, /- UMA_DOCTOR_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 \(a scenario step may take at most 60 s\), got "soon"/);
  assert.match(summary(r.stderr), /^Preflight FAILED: the configuration has 4 problems/);
});

test('an unreadable UMA_ENV_FILE is a configuration problem', async () => {
  const missing = path.join(os.tmpdir(), `no-such-env-${process.pid}.env`);
  const r = await runDoctorCli({ UMA_ENV_FILE: missing });
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, new RegExp(`UMA_ENV_FILE "${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" cannot be read \\(ENOENT\\)`));
});

test('settings from an env file are used (and a misspelt key there is a problem)', async () => {
  const file = path.join(os.tmpdir(), `doctor-${process.pid}.env`);
  fs.writeFileSync(file, 'UMA_TARGET=external\nGG_ADMIN_URL=http://127.0.0.1:1\nGG_PROXY_URL=http://127.0.0.1:1\nOXD_HOST=https://127.0.0.1:1\nCE_URL=https://127.0.0.1:1\nGG_ADMN_URL=x\n');
  try {
    const r = await runDoctorCli({ UMA_ENV_FILE: file });
    assert.equal(r.code, 2, r.output);
    assert.match(r.stderr, /sets GG_ADMN_URL, which is not a setting of this suite/);
  } finally {
    fs.rmSync(file, { force: true });
  }
});

test('--help lists every setting, the doctor timeout included, and exits 0', async () => {
  const r = await runDoctorCli({}, ['--help']);
  assert.equal(r.code, 0, r.output);
  for (const key of ['GG_ADMIN_URL', 'CLIENT_SECRET', 'UMA_TLS_INSECURE', 'UMA_DOCTOR_TIMEOUT_MS']) assert.match(r.stdout, new RegExp(`^  ${key} `, 'm'));
});

test('an unknown argument: exit 2 with the usage', async () => {
  const r = await runDoctorCli({}, ['--fast']);
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, /doctor: unknown argument --fast/);
  assert.match(r.stderr, /Usage: npm run doctor/);
});

test('an env file line `CLIENT_SECRET: <value>`: exit 2, the line named by number and key, the value shown nowhere', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-env-'));
  const file = path.join(dir, 'secret.env');
  fs.writeFileSync(file, 'UMA_TARGET=external\nCLIENT_SECRET: s3cr3t-value-xyz\nCLIENT-SECRET=s3cr3t-value-two\n\u001b[2J\u0007\n');
  try {
    const r = await runDoctorCli({ UMA_ENV_FILE: file });
    assert.equal(r.code, 2, r.output);
    assert.match(r.stderr, /secret\.env line 2 \(CLIENT_SECRET\) is not KEY=VALUE: write CLIENT_SECRET=<value> \(the value is not shown\)/);
    assert.match(r.stderr, /secret\.env line 3: CLIENT-SECRET is not a setting name/);
    assert.doesNotMatch(r.output, /s3cr3t/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.output, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'a control byte reached the terminal');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
