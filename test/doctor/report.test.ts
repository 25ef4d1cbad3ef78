// The doctor's pieces in-process: runDoctor's verdicts and timing, the table,
// the summary line, the Allure result file, masking and the advice texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../support/config';
import { Secrets } from '../../support/mask';
import { configProblemReport, doctorTimeoutFromEnv, renderDoctorTable, runDoctor, writeAllureDoctorResult, type DoctorReport } from '../../scripts/lib/doctor';
import { maskDetail } from '../../scripts/lib/doctor/masking';
import { networkAdvice } from '../../scripts/lib/doctor/network-advice';
import { summaryLine, type CheckResult } from '../../scripts/lib/doctor/report';
import { CLIENT, NEVER, startFakeEnvironment } from './fake-environment';

function check(partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'name' | 'setting' | 'status' | 'detail'>): CheckResult {
  return { durationMs: 1, ...partial };
}

const FAILED: DoctorReport = {
  checks: [
    check({ id: 'kong-admin', name: 'Kong Admin API', setting: 'GG_ADMIN_URL', status: 'OK', detail: 'Kong 2.2.1 at http://gg:8001/' }),
    check({ id: 'oxd', name: 'oxd-server', setting: 'OXD_HOST', status: 'FAIL', detail: 'oxd-server at https://gg:8443 refused the connection (nothing listens there)', fix: 'Start the service, or correct the host and port in OXD_HOST.' }),
    check({ id: 'as-discovery', name: 'AS discovery', setting: 'CE_URL', status: 'WARN', detail: 'the discovery issuer is "a" but CE_URL is "b"', fix: 'Set CE_URL to the issuer exactly.' }),
  ],
  timeoutMs: 4000,
  exitCode: 2,
  summary: 'Preflight FAILED: OXD_HOST: oxd-server at https://gg:8443 refused the connection (nothing listens there).',
  startedAt: 1_700_000_000_000,
  finishedAt: 1_700_000_000_321,
};

test('runDoctor: probes run in parallel, each bounded by the timeout, and the report says which failed', async () => {
  const env = await startFakeEnvironment({ answers: { 'kong-root': NEVER, 'oxd-health': NEVER, 'as-discovery': NEVER } });
  try {
    const started = performance.now();
    const report = await runDoctor(loadConfig(env.settings()), { timeoutMs: 600 });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1500, `three silent endpoints took ${elapsed} ms: not in parallel`);
    assert.equal(report.exitCode, 2);
    assert.deepEqual(
      report.checks.map((c) => [c.id, c.status]),
      [
        ['kong-admin', 'FAIL'],
        ['kong-proxy', 'OK'],
        ['oxd', 'FAIL'],
        ['as-discovery', 'FAIL'],
        ['claims-scope', 'SKIP'],
        ['client-token', 'SKIP'],
        ['kong-consumer', 'SKIP'],
        ['claims-redirect-uri', 'SKIP'],
        ['protected-route', 'SKIP'],
        ['echo-upstream', 'SKIP'],
        ['oidc-uma-scope', 'SKIP'],
        ['oidc-uma-plugins', 'SKIP'],
        ['oidc-uma-login', 'SKIP'],
      ],
    );
    assert.match(report.summary, /^Preflight FAILED: GG_ADMIN_URL: Kong Admin API at http:\/\/127\.0\.0\.1:\d+ did not answer in time: no answer within 600 ms; also oxd-server \(OXD_HOST\), AS discovery \(CE_URL\)\.$/);
  } finally {
    await env.close();
  }
});

test('runDoctor: all good → exit 0, and the client secret is known to the secrets it was given', async () => {
  const env = await startFakeEnvironment();
  try {
    const secrets = new Secrets();
    const config = loadConfig(env.settings({ CLIENT_OXD_ID: CLIENT.oxdId, CLIENT_ID: CLIENT.clientId, CLIENT_SECRET: CLIENT.clientSecret, CLAIMS_REDIRECT_URL: 'https://rqp.example.com/cgi-bin/index.py' }));
    const report = await runDoctor(config, { secrets });
    assert.equal(report.exitCode, 0, renderDoctorTable(report));
    assert.equal(report.timeoutMs, 4000);
    assert.equal(secrets.maskText(`x ${CLIENT.clientSecret} y`).includes(CLIENT.clientSecret), false);
    assert.ok(report.finishedAt >= report.startedAt);
  } finally {
    await env.close();
  }
});

test('runDoctor: an ECHO_UPSTREAM_URL that is not the suite\'s echo fails, naming the setting', async () => {
  const env = await startFakeEnvironment();
  try {
    const settings = env.settings();
    const report = await runDoctor(loadConfig({ ...settings, ECHO_UPSTREAM_URL: settings.GG_ADMIN_URL }));
    const echo = report.checks.find((c) => c.id === 'echo-upstream');
    assert.equal(echo?.status, 'FAIL', renderDoctorTable(report));
    assert.equal(echo?.setting, 'ECHO_UPSTREAM_URL');
    assert.match(echo?.detail ?? '', /\/__echo\/requests\/preflight-[0-9a-f]{8} answered HTTP 404 application\/json "Not found": not the suite's echo upstream$/);
    assert.match(echo?.fix ?? '', /Point ECHO_UPSTREAM_URL at the suite's echo upstream/);
    assert.equal(report.exitCode, 2);
  } finally {
    await env.close();
  }
});

test('runDoctor with the sandbox placeholders (sandbox not started): exit 2, no probe', async () => {
  const report = await runDoctor(loadConfig({}));
  assert.equal(report.exitCode, 2);
  assert.deepEqual(report.checks, []);
  assert.match(report.configProblems?.[0] ?? '', /sandbox URLs are not known yet/);
});

test('the table: one row per check, the fix under FAIL and WARN rows, the summary last', () => {
  const text = renderDoctorTable(FAILED);
  const lines = text.split('\n');
  assert.equal(lines[0], 'Preflight: environment check (each probe limited to 4000 ms)');
  assert.match(text, /^ {2}CHECK {11}SETTING {7}STATUS {2}DETAIL$/m);
  assert.match(text, /^ {2}oxd-server {6}OXD_HOST {6}FAIL {4}oxd-server at https:\/\/gg:8443 refused the connection \(nothing listens there\)\n {40}what to do: Start the service/m);
  assert.match(text, /^ {2}AS discovery .*WARN .*\n\s+what to do: Set CE_URL to the issuer exactly\.$/m);
  assert.doesNotMatch(text, /Kong 2\.2\.1 at http:\/\/gg:8001\/\n\s+what to do/);
  assert.equal(lines[lines.length - 1], FAILED.summary);
});

test('the table for configuration problems lists them and how to set them', () => {
  const text = renderDoctorTable(configProblemReport(['CE_URL is required (Gluu Server, …)', 'UMA_TLS_INSECURE must be true or false, got "maybe"']));
  assert.match(text, /\nThe configuration has 2 problems:\n {2}- CE_URL is required \(Gluu Server, …\)\n {2}- UMA_TLS_INSECURE must be true or false, got "maybe"/);
  assert.match(text, /Preflight FAILED: the configuration has 2 problems \(listed above\); nothing was checked\.$/);
  assert.equal(text.split('\n')[0], 'Preflight: configuration check (no endpoint was probed)');
});

test('the table for one configuration problem says "a problem", not "problems" (issue 14 item 16)', () => {
  const text = renderDoctorTable(configProblemReport(['CE_URL is required (Gluu Server, …)']));
  assert.match(text, /\nThe configuration has a problem:\n {2}- CE_URL is required \(Gluu Server, …\)\n\n/);
  assert.doesNotMatch(text, /problems/);
  assert.match(text, /Preflight FAILED: the configuration has a problem \(listed above\); nothing was checked\.$/);
});

test('summary line: passed with warnings named; failed names the setting, then the others', () => {
  assert.equal(summaryLine([FAILED.checks[0]]), 'Preflight passed: 1 OK.');
  assert.equal(summaryLine([FAILED.checks[0], FAILED.checks[2]]), 'Preflight passed: 1 OK, 1 warning (AS discovery).');
  const twoFailed = [...FAILED.checks, check({ id: 'kong-proxy', name: 'Kong proxy', setting: 'GG_PROXY_URL', status: 'FAIL', detail: 'x.' })];
  assert.equal(summaryLine(twoFailed), 'Preflight FAILED: OXD_HOST: oxd-server at https://gg:8443 refused the connection (nothing listens there); also Kong proxy (GG_PROXY_URL).');
  assert.equal(summaryLine([], ['a']), 'Preflight FAILED: the configuration has a problem (listed above); nothing was checked.');
});

test('Allure result: a broken TestResult with the table attached, in allure-js-commons\' file layout', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-allure-'));
  try {
    const file = writeAllureDoctorResult(dir, FAILED);
    const files = fs.readdirSync(dir).sort();
    assert.equal(files.length, 2);
    const resultFile = files.find((f) => f.endsWith('-result.json'))!;
    const attachmentFile = files.find((f) => f.endsWith('-attachment.txt'))!;
    assert.match(resultFile, /^[0-9a-f-]{36}-result\.json$/);
    assert.match(attachmentFile, /^[0-9a-f-]{36}-attachment\.txt$/);
    assert.equal(file, path.join(dir, resultFile));
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(result.uuid, resultFile.replace('-result.json', ''));
    assert.equal(result.name, 'Preflight: environment check');
    assert.equal(result.status, 'broken');
    assert.equal(result.stage, 'finished');
    assert.deepEqual(result.statusDetails, { message: FAILED.summary });
    assert.deepEqual(result.attachments, [{ name: 'Preflight checks', type: 'text/plain', source: attachmentFile }]);
    assert.deepEqual((result.labels as Array<{ name: string; value: string }>).find((l) => l.name === 'epic'), { name: 'epic', value: 'Environment' });
    assert.deepEqual([result.start, result.stop], [FAILED.startedAt, FAILED.finishedAt]);
    for (const key of ['historyId', 'testCaseId', 'fullName']) assert.equal(typeof result[key], 'string', key);
    for (const key of ['steps', 'parameters', 'links']) assert.deepEqual(result[key], [], key);
    assert.equal(fs.readFileSync(path.join(dir, attachmentFile), 'utf8'), renderDoctorTable(FAILED));
    // Two runs share the history id, so Allure shows the preflight's history.
    const again = JSON.parse(fs.readFileSync(writeAllureDoctorResult(dir, { ...FAILED, exitCode: 0 }), 'utf8')) as Record<string, unknown>;
    assert.equal(again.historyId, result.historyId);
    assert.equal(again.status, 'passed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Allure result: allure-commandline reads it as a broken test with its attachment', (t) => {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.status !== 0) {
    t.skip('no Java runtime for allure-commandline');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-allure-gen-'));
  try {
    writeAllureDoctorResult(path.join(dir, 'results'), FAILED);
    const allure = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'allure');
    const gen = spawnSync(allure, ['generate', path.join(dir, 'results'), '-o', path.join(dir, 'report'), '--clean'], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const cases = fs.readdirSync(path.join(dir, 'report', 'data', 'test-cases'));
    assert.equal(cases.length, 1);
    const tc = JSON.parse(fs.readFileSync(path.join(dir, 'report', 'data', 'test-cases', cases[0]), 'utf8')) as {
      name: string;
      status: string;
      statusMessage: string;
      testStage: { attachments: Array<{ name: string; source: string }> };
      labels: Array<{ name: string; value: string }>;
    };
    assert.equal(tc.name, 'Preflight: environment check');
    assert.equal(tc.status, 'broken');
    assert.equal(tc.statusMessage, FAILED.summary);
    assert.equal(tc.testStage.attachments[0].name, 'Preflight checks');
    assert.equal(fs.readFileSync(path.join(dir, 'report', 'data', 'attachments', tc.testStage.attachments[0].source), 'utf8'), renderDoctorTable(FAILED));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('masking: known secrets, secret-named JSON members (even cut) and URL parameters', () => {
  const secrets = new Secrets();
  secrets.add('sup3r-secret');
  const masked = maskDetail('secret sup3r-secret at https://x/cb?client_secret=verysecret&state=s1 {"access_token":"abc123", "pct":"zz-cut', secrets);
  assert.doesNotMatch(masked, /sup3r-secret|abc123|zz-cut|verysecret/);
  assert.match(masked, /\?client_secret=«masked:[0-9a-f]{6}»&state=s1 /);
  assert.match(masked, /"access_token":"«masked:[0-9a-f]{6}»", "pct":"«masked:[0-9a-f]{6}»$/);
});

test('network advice: TLS, protocol, refused, DNS, timeout', () => {
  assert.match(networkAdvice('oxd-server at https://h presents a self-signed TLS certificate (…)', 'OXD_HOST', 'https://h:8443'), /^TLS: .* or set UMA_TLS_INSECURE=true/);
  assert.match(networkAdvice('x presents an expired TLS certificate', 'CE_URL', 'https://h'), /Fix the TLS certificate of https:\/\/h/);
  assert.match(networkAdvice('x does not speak the expected protocol (http vs https?)', 'OXD_HOST', 'https://h:8443'), /write http:\/\/h:8443/);
  assert.match(networkAdvice('x refused the connection (nothing listens there)', 'GG_ADMIN_URL', 'http://h:8001'), /correct the host and port in GG_ADMIN_URL/);
  assert.match(networkAdvice('x has a host name that does not resolve', 'CE_URL', 'https://h'), /Correct the host name in CE_URL/);
  assert.match(networkAdvice('x did not answer in time: no answer within 4000 ms', 'CE_URL', 'https://h'), /UMA_DOCTOR_TIMEOUT_MS/);
});

test('UMA_DOCTOR_TIMEOUT_MS: default 4000, a whole number from 1 to 60000, else a problem', () => {
  assert.deepEqual(doctorTimeoutFromEnv({}), { timeoutMs: 4000 });
  assert.deepEqual(doctorTimeoutFromEnv({ UMA_DOCTOR_TIMEOUT_MS: ' 1500 ' }), { timeoutMs: 1500 });
  assert.deepEqual(doctorTimeoutFromEnv({ UMA_DOCTOR_TIMEOUT_MS: '0' }), { timeoutMs: 4000, problem: 'UMA_DOCTOR_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 (a scenario step may take at most 60 s), got "0"' });
  assert.equal(doctorTimeoutFromEnv({ UMA_DOCTOR_TIMEOUT_MS: '60000' }).timeoutMs, 60_000);
  for (const tooLong of ['60001', '99999999999999', '2147483648']) {
    assert.equal(doctorTimeoutFromEnv({ UMA_DOCTOR_TIMEOUT_MS: tooLong }).problem, `UMA_DOCTOR_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 (a scenario step may take at most 60 s), got "${tooLong}"`);
  }
});
