// The second tutorial's rows: skipped without a test user; with one, the
// scope (both modes), and in existing mode the route for OIDC_UMA_URL's host
// with both plugins and the login redirect. Missing pieces are FAILs that
// name what to add; the test user's password never appears.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { json, oidcUmaSettings, OIDC_PLUGINS, runDoctorCli, STACK_TRACE, startFakeEnvironment, type Answer, type Route } from './fake-environment';
import { row, summary } from './table';

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
  test('existing, all in place: scope, route with both plugins, login redirect OK; the login itself left to the scenarios', async () => {
    const r = await doctorWith({}, oidcUmaSettings);
    assert.equal(r.code, 0, r.output);
    assert.equal(row(r.stdout, 'Tutorial 2 scope').status, 'OK');
    assert.match(row(r.stdout, 'Tutorial 2 route and plugins').detail, /^route for 127\.0\.0\.1 carries gluu-openid-connect and gluu-uma-pep \(scope with-claims\)$/);
    const login = row(r.stdout, 'Tutorial 2 login redirect');
    assert.equal(login.status, 'OK');
    assert.match(login.detail, /tested by the @oidc-uma scenarios/);
    assert.match(summary(r.stdout), /^Preflight passed/);
  });

  test('no test user: the three rows are skipped and say the scenarios are', async () => {
    const r = await doctorWith({}, () => ({}));
    for (const name of ['Tutorial 2 scope', 'Tutorial 2 route and plugins', 'Tutorial 2 login redirect']) {
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
});
