// The second tutorial's rows: skipped without a test user; with one, the
// scope (both modes), and in existing mode the route for OIDC_UMA_URL's host
// with both plugins and the login redirect. Missing pieces are FAILs that
// name what to add; the test user's password never appears.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { json, oidcUmaSettings, OIDC_PLUGINS, OIDC_UMA_EXPRESSION, runDoctorCli, STACK_TRACE, startFakeEnvironment, type Answer, type Route } from './fake-environment';
import { row, summary } from './table';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';

async function doctorWith(answers: Partial<Record<Route, Answer>>, settings: (env: { urls: { proxy: string } }) => Record<string, string>) {
  const env = await startFakeEnvironment({ answers });
  try {
    const r = await runDoctorCli(env.settings(settings(env)));
    assert.doesNotMatch(r.output, STACK_TRACE);
    assert.doesNotMatch(r.output, /pa55-w0rd-of-the-test-user/);
    return r;
  } finally {
    await env.close();
  }
}

describe('second tutorial', { concurrency: 3 }, () => {
  test('existing, all in place: scope, route with both plugins, the login redirect and the test user\'s login OK', async () => {
    const r = await doctorWith({}, oidcUmaSettings);
    assert.equal(r.code, 0, r.output);
    assert.equal(row(r.stdout, 'Tutorial 2 scope').status, 'OK');
    assert.match(row(r.stdout, 'Tutorial 2 route and plugins').detail, /^route for 127\.0\.0\.1 carries gluu-openid-connect and gluu-uma-pep \(scope with-claims\)$/);
    const login = row(r.stdout, 'Tutorial 2 test user login');
    assert.equal(login.status, 'OK');
    assert.match(login.detail, /the test user logs in \(next: the website, left unanswered\)$/);
    assert.match(summary(r.stdout), /^Preflight passed/);
  });

  test('no test user: the three rows are skipped and say the scenarios are', async () => {
    const r = await doctorWith({}, () => ({}));
    for (const name of ['Tutorial 2 scope', 'Tutorial 2 route and plugins', 'Tutorial 2 test user login']) {
      assert.equal(row(r.stdout, name).status, 'SKIP');
      assert.match(row(r.stdout, name).detail, /TEST_USER_NAME and TEST_USER_PASSWORD/);
    }
  });

  test('the PEP missing from the route: FAIL naming it and the GG UI step, exit 2', async () => {
    const r = await doctorWith({ 'kong-route-plugins': (_x, res) => json(res, 200, { data: OIDC_PLUGINS.slice(0, 1), next: null }) }, oidcUmaSettings);
    assert.equal(r.code, 2);
    const plugins = row(r.stdout, 'Tutorial 2 route and plugins');
    assert.equal(plugins.status, 'FAIL');
    assert.match(plugins.detail, /has no enabled gluu-uma-pep plugin/);
    assert.match(plugins.fix ?? '', /Gluu OIDC & UMA PEP/);
  });

  test('no route for the host, and the scope unknown at the AS: both FAIL with the setting to change', async () => {
    const r = await doctorWith(
      {
        'kong-routes': (_x, res) => json(res, 200, { data: [], next: null }),
        'as-scope': (_x, res) => json(res, 404, { error: 'not_found', error_description: 'Not found.' }),
      },
      oidcUmaSettings,
    );
    assert.equal(r.code, 2);
    assert.match(row(r.stdout, 'Tutorial 2 route and plugins').detail, /^Kong has no route for host 127\.0\.0\.1 \(OIDC_UMA_URL\)$/);
    assert.match(row(r.stdout, 'Tutorial 2 scope').detail, /has no UMA scope "with-claims"/);
  });
  test('the PEP without obtain_rpt and the claims redirect, the logout without its post-logout path: one FAIL naming each setting', async () => {
    const plugins = [
      { name: 'gluu-openid-connect', enabled: true, config: { authorization_redirect_path: '/callback', logout_path: '/logout', post_logout_redirect_path_or_url: null } },
      { name: 'gluu-uma-pep', enabled: true, config: { uma_scope_expression: OIDC_UMA_EXPRESSION, deny_by_default: false, obtain_rpt: false, redirect_claim_gathering_url: false, claims_redirect_path: null } },
    ];
    const r = await doctorWith({ 'kong-route-plugins': (_x, res) => json(res, 200, { data: plugins, next: null }) }, oidcUmaSettings);
    assert.equal(r.code, 2);
    const row2 = row(r.stdout, 'Tutorial 2 route and plugins');
    assert.equal(row2.status, 'FAIL');
    for (const said of [
      'gluu-openid-connect post_logout_redirect_path_or_url is not set (GG 4.2 answers the logout 500 without it), not "/logout_redirect_uri"',
      'gluu-uma-pep obtain_rpt is off',
      'gluu-uma-pep redirect_claim_gathering_url is off',
      'gluu-uma-pep claims_redirect_path is not set, not "/claims_callback"',
    ]) {
      assert.ok(row2.detail.includes(said), `${said}\n${row2.detail}`);
    }
    assert.match(row2.fix ?? '', /Gluu OIDC & UMA PEP/);
  });

  test('a post-logout URL (used verbatim by GG) with the tutorial\'s path passes; another callback path is named', async () => {
    const withUrl = [
      { ...OIDC_PLUGINS[0], config: { ...OIDC_PLUGINS[0].config, post_logout_redirect_path_or_url: 'https://dev1.gluu.org/logout_redirect_uri' } },
      OIDC_PLUGINS[1],
    ];
    const good = await doctorWith({ 'kong-route-plugins': (_x, res) => json(res, 200, { data: withUrl, next: null }) }, oidcUmaSettings);
    assert.equal(row(good.stdout, 'Tutorial 2 route and plugins').status, 'OK', good.stdout);
    const otherCallback = [{ ...OIDC_PLUGINS[0], config: { ...OIDC_PLUGINS[0].config, authorization_redirect_path: '/cb' } }, OIDC_PLUGINS[1]];
    const bad = await doctorWith({ 'kong-route-plugins': (_x, res) => json(res, 200, { data: otherCallback, next: null }) }, oidcUmaSettings);
    assert.match(row(bad.stdout, 'Tutorial 2 route and plugins').detail, /gluu-openid-connect authorization_redirect_path is "\/cb", not "\/callback"/);
  });
  test('a wrong test user password: FAIL naming the settings, the password never shown', async () => {
    const r = await doctorWith({}, (env) => ({ ...oidcUmaSettings(env), TEST_USER_PASSWORD: 'not-the-pa55-w0rd' }));
    assert.equal(r.code, 2, r.output);
    const login = row(r.stdout, 'Tutorial 2 test user login');
    assert.equal(login.status, 'FAIL');
    assert.match(login.detail, /^the AS did not accept the test user's login: after TEST_USER_NAME and TEST_USER_PASSWORD it showed its login page again$/);
    assert.match(login.fix ?? '', /TEST_USER_NAME and TEST_USER_PASSWORD/);
    assert.doesNotMatch(r.output, /not-the-pa55-w0rd/);
  });
});

test('the oidc-uma preset, checked as an existing environment: every tutorial 2 row OK', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-oidc-uma-'));
  const envFile = path.join(dir, 'sandbox.env');
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(['--preset', 'oidc-uma', '--write-env', envFile]);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    t.skip(`the sandbox does not start: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    const r = await runDoctorCli({ UMA_ENV_FILE: envFile });
    assert.doesNotMatch(r.output, STACK_TRACE);
    for (const name of ['Tutorial 2 scope', 'Tutorial 2 route and plugins', 'Tutorial 2 test user login']) assert.equal(row(r.stdout, name).status, 'OK', `${name}\n${r.stdout}`);
    assert.equal(r.code, 0, r.output);
    assert.match(row(r.stdout, 'Tutorial 2 test user login').detail, /the test user logs in/);
    // The sandbox's oxAuth shows its login page again for a wrong password, as oxAuth does.
    const wrong = fs.readFileSync(envFile, 'utf8').replace(/^TEST_USER_PASSWORD=.*$/m, 'TEST_USER_PASSWORD=not-the-password');
    fs.writeFileSync(envFile, wrong);
    const bad = await runDoctorCli({ UMA_ENV_FILE: envFile });
    assert.equal(row(bad.stdout, 'Tutorial 2 test user login').status, 'FAIL', bad.stdout);
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.output, /not-the-password/);
  } finally {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
