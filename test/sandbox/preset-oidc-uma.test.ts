// `--preset oidc-uma` against a recording fake of Kong's Admin API and oxd:
// the GG UI's call sequence (oidc-uma.md §1.1, §1.4), each body as the UI
// sends it, the settings it hands back, and a failing step named in the error.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StackUrls } from '../../sandbox/component';
import { applyPresets } from '../../sandbox/preset';
import { applyOidcUmaPreset, oidcUmaBase, UI_OIDC_CUSTOM_HEADERS, UMA_EXPRESSION } from '../../sandbox/preset-oidc-uma';
import type { PresetStep } from '../../sandbox/preset-calls';

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: unknown;
}

const seen: Seen[] = [];
let failPath: string | undefined;
let kongVersion = '2.2.1';
let server: http.Server;
let fakeUrl: string;

const ANSWERS: Record<string, unknown> = {
  'POST /services': { id: 'svc-1' },
  'POST /routes': { id: 'route-1' },
  'POST /schemas/plugins/validate': { message: 'schema validation successful' },
  'POST /register-site': { oxd_id: 'oxd-1', client_id: 'client-1', client_secret: 'secret-1' },
  'POST /get-client-token': { access_token: 'pat-1', expires_in: 299, scope: 'openid oxd' },
  'POST /uma-rs-protect': { oxd_id: 'oxd-1' },
  'POST /plugins': { id: 'plugin-1' },
  'POST /consumers': { id: 'consumer-1' },
};

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
      const key = `${req.method} ${path}`;
      const answer = key === 'GET /' ? { version: kongVersion, tagline: 'Welcome to kong' } : ANSWERS[key];
      if (path === failPath || answer === undefined) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'refused by the fake' }));
        return;
      }
      res.writeHead(path === '/schemas/plugins/validate' || path === '/' ? 200 : 201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen.length = 0;
  failPath = undefined;
  kongVersion = '2.2.1';
});

function urls(): StackUrls {
  return {
    kongAdmin: fakeUrl,
    kongProxy: 'http://127.0.0.1:18000',
    oxd: fakeUrl,
    oxauth: 'https://localhost:18444',
    upstream: 'http://127.0.0.1:13000',
    echo: 'http://127.0.0.1:13001',
    website: 'http://127.0.0.1:14400',
  };
}

const OIDC_CONFIG = {
  oxd_url: '',
  op_url: 'https://localhost:18444',
  authorization_redirect_path: '/callback',
  logout_path: '/logout',
  post_logout_redirect_path_or_url: '/logout_redirect_uri',
  requested_scopes: ['openid', 'oxd', 'email', 'profile', 'uma_protection'],
  required_acrs_expression: null,
  max_id_token_age: 3600,
  max_id_token_auth_age: 3600,
  custom_headers: UI_OIDC_CUSTOM_HEADERS,
  restore_original_auth_params: false,
};

const PEP_CONFIG = {
  op_url: 'https://localhost:18444',
  oxd_url: '',
  uma_scope_expression: '[{"path":"/settings/??","conditions":[{"httpMethods":["GET"],"scope_expression":{"rule":{"and":[{"var":0}]},"data":["with-claims"]}}]}]',
  deny_by_default: false,
  read_claims_from_pct: false,
  claims_gathering_pct_value: null,
  require_id_token: true,
  obtain_rpt: true,
  redirect_claim_gathering_url: true,
  claims_redirect_path: '/claims_callback',
  pushed_claims_lua_exp: '{id_token=id_token,userinfo=userinfo}',
};

test('the GG UI\'s call sequence, in order, each with its status', async () => {
  const steps: PresetStep[] = [];
  await applyOidcUmaPreset(urls(), steps);
  assert.deepEqual(steps, [
    { what: 'Kong node info', status: 200 },
    { what: 'service', status: 201 },
    { what: 'route', status: 201 },
    { what: 'validate gluu-openid-connect', status: 200 },
    { what: 'validate gluu-uma-pep', status: 200 },
    { what: 'register-site', status: 201 },
    { what: 'get-client-token', status: 201 },
    { what: 'uma-rs-protect', status: 201 },
    { what: 'gluu-openid-connect plugin', status: 201 },
    { what: 'gluu-uma-pep plugin', status: 201 },
  ]);
  assert.deepEqual(
    seen.map((s) => `${s.method} ${s.path}`),
    ['GET /', 'POST /services', 'POST /routes', 'POST /schemas/plugins/validate', 'POST /schemas/plugins/validate', 'POST /register-site', 'POST /get-client-token', 'POST /uma-rs-protect', 'POST /plugins', 'POST /plugins'],
  );
});

test('service → the website listener, route with the host the browser reaches without DNS', async () => {
  await applyOidcUmaPreset(urls());
  assert.deepEqual(seen[1].body, { name: 'oidc-uma-demo', url: 'http://127.0.0.1:14400' });
  assert.deepEqual(seen[2].body, { name: 'oidc-uma-demo', hosts: ['localhost'], service: { id: 'svc-1' } });
});

test('schema validation first, with the UI\'s placeholder credentials (schema-test / schema_test)', async () => {
  await applyOidcUmaPreset(urls());
  assert.deepEqual(seen[3].body, {
    name: 'gluu-openid-connect',
    route: { id: 'route-1' },
    tags: null,
    config: { oxd_id: 'schema-test', client_id: 'schema-test', client_secret: 'schema-test', ...OIDC_CONFIG, oxd_url: fakeUrl },
  });
  assert.deepEqual(seen[4].body, {
    name: 'gluu-uma-pep',
    route: { id: 'route-1' },
    config: { oxd_id: 'schema_test', client_id: 'schema_test', client_secret: 'schema_test', ...PEP_CONFIG, oxd_url: fakeUrl },
  });
});

test('register-site with the UI\'s body and {GG}/callback, {GG}/logout_redirect_uri, {GG}/claims_callback; no authorization', async () => {
  await applyOidcUmaPreset(urls());
  assert.equal(seen[5].authorization, undefined);
  assert.deepEqual(seen[5].body, {
    op_host: 'https://localhost:18444',
    oxd_url: fakeUrl,
    redirect_uris: ['http://localhost:18000/callback'],
    client_name: 'gg-openid-connect-client',
    post_logout_redirect_uris: ['http://localhost:18000/logout_redirect_uri'],
    scope: ['openid', 'oxd', 'email', 'profile', 'uma_protection'],
    acr_values: [],
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    claims_redirect_uri: ['http://localhost:18000/claims_callback'],
  });
});

test('get-client-token for the new client, then uma-rs-protect of /settings/?? GET with-claims with its token', async () => {
  await applyOidcUmaPreset(urls());
  assert.deepEqual(seen[6].body, { op_host: 'https://localhost:18444', client_id: 'client-1', client_secret: 'secret-1', scope: ['openid', 'oxd'] });
  assert.equal(seen[7].authorization, 'Bearer pat-1');
  assert.deepEqual(seen[7].body, { oxd_id: 'oxd-1', resources: UMA_EXPRESSION });
  assert.deepEqual(UMA_EXPRESSION, [{ path: '/settings/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['with-claims'] } }] }]);
});

test('both plugins on the route with the OP client\'s credentials and the tutorial\'s values', async () => {
  await applyOidcUmaPreset(urls());
  const creds = { oxd_id: 'oxd-1', client_id: 'client-1', client_secret: 'secret-1' };
  assert.deepEqual(seen[8].body, { name: 'gluu-openid-connect', route: { id: 'route-1' }, tags: null, config: { ...creds, ...OIDC_CONFIG, oxd_url: fakeUrl } });
  assert.deepEqual(seen[9].body, { name: 'gluu-uma-pep', route: { id: 'route-1' }, config: { ...creds, ...PEP_CONFIG, oxd_url: fakeUrl } });
});

test('Kong of GG 4.2.0/4.2.1 (2.0.4, 2.1.1): the UI of those versions sends no PCT fields', async () => {
  kongVersion = '2.0.4';
  await applyOidcUmaPreset(urls());
  const config = (seen[9].body as { config: Record<string, unknown> }).config;
  assert.equal('read_claims_from_pct' in config, false);
  assert.equal('claims_gathering_pct_value' in config, false);
});

test('the settings of an existing-environment run', async () => {
  const r = await applyOidcUmaPreset(urls());
  assert.deepEqual(r.env, {
    UMA_TARGET: 'external',
    UMA_PROVISION: 'existing',
    GG_ADMIN_URL: fakeUrl,
    GG_PROXY_URL: 'http://127.0.0.1:18000',
    OXD_HOST: fakeUrl,
    CE_URL: 'https://localhost:18444',
    UMA_TLS_INSECURE: 'true',
    UPSTREAM_URL: 'http://127.0.0.1:13000',
    ECHO_UPSTREAM_URL: 'http://127.0.0.1:13001',
    WEBSITE_UPSTREAM_URL: 'http://127.0.0.1:14400',
    OIDC_UMA_URL: 'http://localhost:18000',
    OIDC_UMA_SCOPE: 'with-claims',
  });
  assert.deepEqual(r.secretKeys, []);
});

test('a refused step stops the preset with the step named and the answer', async () => {
  failPath = '/uma-rs-protect';
  await assert.rejects(applyOidcUmaPreset(urls()), { message: 'preset step "uma-rs-protect" failed: HTTP 400 {"message":"refused by the fake"}' });
  assert.equal(seen.filter((s) => s.path === '/plugins').length, 0);
});

test('the route host: 127.0.0.1 becomes localhost, any other proxy host stays', () => {
  assert.deepEqual(oidcUmaBase('http://127.0.0.1:18000'), { host: 'localhost', base: 'http://localhost:18000' });
  assert.deepEqual(oidcUmaBase('http://localhost:8000'), { host: 'localhost', base: 'http://localhost:8000' });
  assert.deepEqual(oidcUmaBase('https://gg.example.org'), { host: 'gg.example.org', base: 'https://gg.example.org' });
});

test('--preset tutorial and --preset oidc-uma together: both sets of objects, merged settings', async () => {
  const steps: PresetStep[] = [];
  const r = await applyPresets(urls(), ['tutorial', 'oidc-uma'], steps);
  const routes = seen.filter((s) => s.path === '/routes').map((s) => (s.body as { hosts: string[] }).hosts[0]);
  assert.deepEqual(routes, ['gathering.example.com', 'non-gathering.example.com', 'localhost']);
  assert.equal(r.env.HOST_WITH_CLAIMS, 'gathering.example.com');
  assert.equal(r.env.OIDC_UMA_URL, 'http://localhost:18000');
  assert.equal(r.env.CLIENT_SECRET, 'secret-1');
  assert.deepEqual(r.secretKeys, ['CLIENT_SECRET']);
  assert.ok(steps.every((s) => s.status >= 200 && s.status < 300));
});
