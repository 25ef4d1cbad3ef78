// The tutorial's prerequisites and the verdicts that must NOT stop a run:
// all good → 0; a missing scope, client, consumer, route or claims redirect
// URI → FAIL, exit 2; anything that may be a conformance question (issuer
// mismatch, a route that does not answer 401, an unexpected Kong version) →
// WARN, exit 0. Secrets never appear in the output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { CLAIMS_REDIRECT_URL, CLIENT, EXISTING, HOST_WITH_CLAIMS, ISSUED_TOKEN, json, raw, runDoctorCli, STACK_TRACE, startFakeEnvironment, type Answer, type Route } from './fake-environment';
import { row, summary } from './table';

const ALL_CHECKS = ['Kong Admin API', 'Kong proxy', 'oxd-server', 'AS discovery', 'Claims-gathering scope', 'Consumer OP client', 'Kong consumer', 'Claims redirect URI', 'Protected route'];

async function doctorWith(answers: Partial<Record<Route, Answer>>, settings: Record<string, string> = EXISTING) {
  const env = await startFakeEnvironment({ answers });
  try {
    const r = await runDoctorCli(env.settings(settings));
    assert.doesNotMatch(r.output, STACK_TRACE);
    return { ...r, env };
  } finally {
    await env.close();
  }
}

describe('prerequisites', { concurrency: 4 }, () => {
  test('all good with auto provisioning: exit 0, endpoint checks OK, client checks not needed', async () => {
    const r = await doctorWith({}, {});
    assert.equal(r.code, 0, r.output);
    for (const check of ['Kong Admin API', 'Kong proxy', 'oxd-server', 'AS discovery', 'Claims-gathering scope']) assert.equal(row(r.stdout, check).status, 'OK', check);
    assert.match(row(r.stdout, 'Kong Admin API').detail, /^Kong 2\.2\.1 at http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(row(r.stdout, 'oxd-server').detail, /^oxd 4\.2\.3 running at https:/);
    assert.match(row(r.stdout, 'Kong proxy').detail, /answered 404 "no Route matched with those values" for an unknown host/);
    for (const check of ['Consumer OP client', 'Kong consumer', 'Claims redirect URI', 'Protected route']) assert.equal(row(r.stdout, check).status, 'SKIP', check);
    assert.equal(summary(r.stdout), 'Preflight passed: 5 OK.');
  });

  test('all good with existing provisioning: every check OK, exit 0, and no made-up request changed anything', async () => {
    const r = await doctorWith({});
    assert.equal(r.code, 0, r.output);
    for (const check of ALL_CHECKS) assert.equal(row(r.stdout, check).status, 'OK', `${check}: ${r.stdout}`);
    assert.match(row(r.stdout, 'Claims redirect URI').detail, new RegExp(`^${CLAIMS_REDIRECT_URL.replace(/[.?/]/g, '\\$&')} is registered on CLIENT_ID`));
    assert.match(row(r.stdout, 'Protected route').detail, /^token-less GET \/posts\/1 on host gathering\.example\.com answered 401 with a WWW-Authenticate challenge$/);
    assert.equal(summary(r.stdout), 'Preflight passed: 9 OK.');
    // Reads only, plus get-client-token (no side effect) and the token-less proxy call the brief asks for.
    const writes = r.env.calls.filter((c) => c.method !== 'GET' && c.route !== 'oxd-client-token');
    assert.deepEqual(writes, []);
  });

  test('issuer differs from CE_URL: WARN with both values, exit 0', async () => {
    const r = await doctorWith({
      'as-discovery': (_x, res, env) =>
        json(res, 200, { issuer: 'https://idp.internal.example', token_endpoint: `${env.urls.as}/oxauth/restv1/token`, claims_interaction_endpoint: `${env.urls.as}/oxauth/restv1/uma/gather_claims`, scope_endpoint: `${env.urls.as}/oxauth/restv1/uma/scopes` }),
    });
    assert.equal(r.code, 0, r.output);
    const warned = row(r.stdout, 'AS discovery');
    assert.equal(warned.status, 'WARN');
    assert.match(warned.detail, /^the discovery issuer is "https:\/\/idp\.internal\.example" but CE_URL is "https:\/\/127\.0\.0\.1:\d+"$/);
    assert.match(warned.fix ?? '', /Set CE_URL to the issuer exactly/);
    assert.equal(row(r.stdout, 'Claims-gathering scope').status, 'OK', 'dependent checks still run after a warning');
    assert.equal(summary(r.stdout), 'Preflight passed: 8 OK, 1 warning (AS discovery).');
  });

  test('discovery without claims_interaction_endpoint: FAIL, exit 2', async () => {
    const r = await doctorWith({ 'as-discovery': (_x, res, env) => json(res, 200, { issuer: env.urls.as, token_endpoint: `${env.urls.as}/oxauth/restv1/token` }) });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'AS discovery').detail, /lists no claims_interaction_endpoint$/);
    assert.equal(row(r.stdout, 'Claims redirect URI').status, 'SKIP');
  });

  test('claims-gathering scope missing: FAIL with the oxTrust step, exit 2', async () => {
    const r = await doctorWith({}, { ...EXISTING, UMA_CLAIMS_SCOPE: 'claims_gathering_typo' });
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Claims-gathering scope');
    assert.equal(failed.status, 'FAIL');
    assert.match(failed.detail, /^the AS has no UMA scope "claims_gathering_typo" \(https:\/\/127\.0\.0\.1:\d+\/oxauth\/restv1\/uma\/scopes\/claims_gathering_typo answered 404\)$/);
    assert.match(failed.fix ?? '', /^Add the scope claims_gathering_typo with the uma_rpt_policy in oxTrust > UMA > Scopes/);
    assert.equal(summary(r.stdout), 'Preflight FAILED: UMA_CLAIMS_SCOPE: the AS has no UMA scope "claims_gathering_typo" (' + failed.detail.split('(')[1] + '.');
  });

  test('scope endpoint answering 500 JSON: only a warning (cannot tell)', async () => {
    const r = await doctorWith({ 'as-scope': raw(500, 'application/json', '{"error":"server_error"}') });
    assert.equal(r.code, 0, r.output);
    assert.equal(row(r.stdout, 'Claims-gathering scope').status, 'WARN');
  });

  test('claims redirect URI not registered (302 with invalid_claims_redirect_uri): FAIL, exit 2', async () => {
    const r = await doctorWith({}, { ...EXISTING, CLAIMS_REDIRECT_URL: 'https://rqp.example.com/other-cb' });
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Claims redirect URI');
    assert.equal(failed.status, 'FAIL');
    assert.equal(failed.detail, `https://rqp.example.com/other-cb is not a registered claims redirect URI of CLIENT_ID ${CLIENT.clientId}`);
    assert.match(failed.fix ?? '', /Claim Redirect URIs, or oxd update-site with "claims_redirect_uri":\["https:\/\/rqp\.example\.com\/other-cb"\] as a JSON array\), or set CLAIMS_REDIRECT_URL/);
    assert.match(summary(r.stdout), /^Preflight FAILED: CLAIMS_REDIRECT_URL: https:\/\/rqp\.example\.com\/other-cb is not a registered claims redirect URI/);
  });

  test('client with no claims redirect URI at all (400 invalid_claims_redirect_uri): FAIL', async () => {
    const r = await doctorWith({ 'as-gather-claims': raw(400, 'application/json', '{"error":"invalid_claims_redirect_uri","error_description":"The provided claims_redirect_uri is not valid."}') });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'Claims redirect URI').detail, /is not a registered claims redirect URI of CLIENT_ID/);
  });

  test('client and default CLAIMS_REDIRECT_URL with auto provisioning: FAIL says the setting is not set', async () => {
    const { UMA_PROVISION: _p, HOST_WITH_CLAIMS: _h, CLAIMS_REDIRECT_URL: _c, ...clientOnly } = EXISTING;
    const r = await doctorWith({}, clientOnly);
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'Claims redirect URI').detail, /\(CLAIMS_REDIRECT_URL is not set, so the suite would use this default\)$/);
    assert.equal(row(r.stdout, 'Protected route').status, 'SKIP');
  });

  test('the gathering endpoint redirecting to a page for a made-up ticket: WARN, not FAIL', async () => {
    const r = await doctorWith({ 'as-gather-claims': raw(302, undefined, '', { Location: '/oxauth/uma2/sample/country.htm' }) });
    assert.equal(r.code, 0, r.output);
    assert.equal(row(r.stdout, 'Claims redirect URI').status, 'WARN');
  });

  test('CLIENT_ID unknown to the AS (invalid_client_id): FAIL', async () => {
    const r = await doctorWith({ 'as-gather-claims': raw(400, 'application/json', '{"error":"invalid_client_id","error_description":"The provided client_id is not valid."}') });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'Claims redirect URI').detail, /^the AS does not know CLIENT_ID .* \(invalid_client_id\)$/);
  });

  test('wrong CLIENT_SECRET (oxd answers 500): FAIL naming the credentials, secret never printed', async () => {
    const r = await doctorWith({}, { ...EXISTING, CLIENT_SECRET: 'a-wrong-s3cret-value' });
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Consumer OP client');
    assert.equal(failed.status, 'FAIL');
    assert.match(failed.detail, /^oxd could not get a token for CLIENT_ID .*: HTTP 500 application\/json internal_error$/);
    assert.match(failed.fix ?? '', /Check CLIENT_ID and CLIENT_SECRET/);
    assert.match(summary(r.stdout), /^Preflight FAILED: CLIENT_ID\/CLIENT_SECRET: oxd could not get a token/);
    assert.doesNotMatch(r.output, /a-wrong-s3cret-value/);
  });

  test('a token without the oxd scope: WARN', async () => {
    const r = await doctorWith({ 'oxd-client-token': (_x, res) => json(res, 200, { access_token: ISSUED_TOKEN, expires_in: 299, scope: ['openid'] }) });
    assert.equal(r.code, 0, r.output);
    assert.match(row(r.stdout, 'Consumer OP client').detail, /without the oxd scope \(granted: openid\)/);
  });

  test('oxd refusing this machine (oxd_access_denied): FAIL with bind_ip_addresses', async () => {
    const denied = raw(403, 'application/json', '{"error":"oxd_access_denied","error_description":"The caller is not allowed to make request to oxd."}');
    const r = await doctorWith({ 'oxd-health': denied });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'oxd-server').fix ?? '', /bind_ip_addresses in oxd-server\.yml/);
    assert.equal(row(r.stdout, 'Consumer OP client').status, 'SKIP');
  });

  test('Kong consumer missing: FAIL with the tutorial step, exit 2', async () => {
    const r = await doctorWith({ 'kong-consumers': (_x, res) => json(res, 200, { data: [], next: null }) });
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Kong consumer');
    assert.equal(failed.detail, `Kong has no consumer with custom_id ${CLIENT.clientId} (CLIENT_ID)`);
    assert.match(failed.fix ?? '', /"Add Consumer with OP Client"/);
  });

  test('HOST_WITH_CLAIMS names no Kong route: FAIL, exit 2', async () => {
    const r = await doctorWith({}, { ...EXISTING, HOST_WITH_CLAIMS: 'no-such-route.example.com' });
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Protected route');
    assert.equal(failed.detail, 'Kong has no route for host no-such-route.example.com (404 "no Route matched with those values")');
    assert.match(summary(r.stdout), /^Preflight FAILED: HOST_WITH_CLAIMS: /);
  });

  // Conformance questions are the scenarios' job: a broken PEP must give exit 1 later, not exit 2 here.
  for (const [what, answer] of [
    ['200 (the PEP lets a token-less request through)', raw(200, 'application/json', '{"id":1}')],
    ['401 without a challenge', raw(401, 'application/json', '{"message":"Failed to get bearer token from Authorization header"}')],
    ['502', raw(502, 'application/json', '{"message":"An unexpected error ocurred"}')],
    ['403', raw(403, 'application/json', '{"message":"Invalid request, no token and no protected path"}')],
  ] as Array<[string, Answer]>) {
    test(`protected route answering ${what}: never a FAIL`, async () => {
      const r = await doctorWith({ proxy: (x, res, env) => (x.req.headers.host === HOST_WITH_CLAIMS ? answer(x, res, env) : json(res, 404, { message: 'no Route matched with those values' })) });
      assert.equal(r.code, 0, r.output);
      assert.notEqual(row(r.stdout, 'Protected route').status, 'FAIL');
    });
  }

  test('Kong 3.x: WARN (the suite targets Kong 2.x), exit 0', async () => {
    const r = await doctorWith({ 'kong-root': (_x, res) => json(res, 200, { version: '3.4.0', plugins: { available_on_server: { 'gluu-uma-auth': {}, 'gluu-uma-pep': {} } } }) });
    assert.equal(r.code, 0, r.output);
    const warned = row(r.stdout, 'Kong Admin API');
    assert.equal(warned.status, 'WARN');
    assert.match(warned.detail, /^Kong 3\.4\.0 at /);
  });

  test('plain Kong without the Gluu plugins: FAIL', async () => {
    const r = await doctorWith({ 'kong-root': (_x, res) => json(res, 200, { version: '2.2.1', plugins: { available_on_server: ['acl', 'key-auth'] } }) });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'Kong Admin API').detail, /has no gluu-uma-auth and no gluu-uma-pep plugin: this is not Gluu Gateway$/);
  });

  test('secrets and tokens echoed back by a server are masked', async () => {
    const echo: Answer = (x, res) => {
      const body = JSON.parse(x.body) as Record<string, string>;
      // A broken front end echoing the request, the token included, as text.
      raw(500, 'text/plain', `client_secret=${body.client_secret} {"access_token":"${ISSUED_TOKEN}"} ${body.client_secret}`)(x, res, undefined as never);
    };
    const r = await doctorWith({ 'oxd-client-token': echo });
    assert.equal(r.code, 2, r.output);
    assert.doesNotMatch(r.output, new RegExp(CLIENT.clientSecret));
    assert.doesNotMatch(r.output, new RegExp(ISSUED_TOKEN));
    assert.match(row(r.stdout, 'Consumer OP client').detail, /«masked:[0-9a-f]{6}»/);
  });

  test('a truncated answer cut inside the access token shows no part of it', async () => {
    const r = await doctorWith({ 'oxd-client-token': raw(200, 'application/json', `{"expires_in":299,"access_token":"${ISSUED_TOKEN}`) });
    assert.equal(r.code, 2, r.output);
    assert.match(row(r.stdout, 'Consumer OP client').detail, /not valid JSON \(truncated or malformed\): "\{"expires_in":299,"access_token":"«masked:[0-9a-f]{6}»"$/);
    assert.doesNotMatch(r.output, new RegExp(ISSUED_TOKEN.slice(0, 10)));
  });

  test('an access token in a 200 answer never reaches the output', async () => {
    const token = `tok-${crypto.randomUUID()}`;
    const r = await doctorWith({ 'oxd-client-token': (_x, res) => json(res, 200, { access_token: token, expires_in: 299, scope: ['openid'] }) });
    assert.doesNotMatch(r.output, new RegExp(token));
  });
});
