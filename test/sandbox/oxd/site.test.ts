// register-site, update-site, remove-site, get-rp (oxd.md §4.2, §4.3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness, bearer } from './harness';
import { assertSwagger } from './swagger';
import { shippedOxdConfig } from '../../../sandbox/oxd/config';

const err = (error: string, error_description: string) => ({ error, error_description });

describe('register-site (oxd.md §4.2)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('registers a client at the AS and answers the site: op_host is the discovered issuer, no initiate_login_uri', async () => {
    const before = h.fake.calls.length;
    const r = await h.post('/register-site', {
      op_host: `${h.fake.url}/`,
      redirect_uris: ['https://client.example.com/cb'],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials'],
      client_name: 'gg-uma-client',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assertSwagger('/register-site', r.json);
    const body = r.json as Record<string, unknown>;
    const client = h.fake.clients.get(body.client_id as string);
    assert.ok(client, 'the client exists at the AS');
    assert.deepEqual(body, {
      oxd_id: body.oxd_id,
      op_host: h.fake.issuer,
      client_id: client.clientId,
      client_name: 'gg-uma-client',
      client_secret: client.clientSecret,
      client_registration_access_token: client.registrationAccessToken,
      client_registration_client_uri: `${h.fake.url}/oxauth/restv1/register?client_id=${client.clientId}`,
      client_id_issued_at: body.client_id_issued_at,
      client_secret_expires_at: 0,
    });
    assert.match(body.oxd_id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(typeof body.client_id_issued_at, 'number');
    assert.ok(!('initiate_login_uri ' in body), 'null → left out');
    const calls = h.fake.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.path}`),
      ['GET /.well-known/openid-configuration', 'POST /oxauth/restv1/register'],
      'trailing slash of op_host dropped before the well-known path',
    );
    assert.deepEqual(calls[1].json, {
      application_type: 'web',
      client_name: 'gg-uma-client',
      redirect_uris: ['https://client.example.com/cb'],
      claims_redirect_uri: [],
      response_types: ['code'],
      grant_types: ['client_credentials'],
      scope: 'openid oxd uma_protection',
      access_token_as_jwt: false,
      rpt_as_jwt: false,
      oxd_id: body.oxd_id,
    });
  });

  test('the consumer client of README step 7: claims_redirect_uri array and the uma-ticket grant reach the AS', async () => {
    const before = h.fake.calls.length;
    const site = await h.registerSite({
      redirect_uris: ['https://rqp.example.org/claims-cb'],
      claims_redirect_uri: ['https://rqp.example.org/claims-cb'],
      grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      client_name: undefined,
    });
    const reg = h.fake.calls.slice(before).find((c) => c.path === '/oxauth/restv1/register');
    const sent = reg?.json as Record<string, unknown>;
    assert.deepEqual(sent.claims_redirect_uri, ['https://rqp.example.org/claims-cb']);
    assert.deepEqual(sent.grant_types, ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket']);
    assert.equal(sent.client_name, `oxd client for rp: ${site.oxd_id}`, 'oxd names unnamed clients');
    assert.equal(site.client_name, `oxd client for rp: ${site.oxd_id}`);
  });

  test('defaults: grant authorization_code + client_credentials, response type code, scope openid profile email', async () => {
    const before = h.fake.calls.length;
    const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://client.example.com/cb'] });
    assert.equal(r.status, 200);
    const sent = h.fake.calls.slice(before).find((c) => c.path === '/oxauth/restv1/register')?.json as Record<string, unknown>;
    assert.deepEqual(sent.grant_types, ['authorization_code', 'client_credentials']);
    assert.deepEqual(sent.response_types, ['code']);
    assert.equal(sent.scope, 'openid profile email');
  });

  test('initiate_login_uri comes back under the key with the trailing space', async () => {
    const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://client.example.com/cb'], initiate_login_uri: 'https://client.example.com/login' });
    assert.equal(r.status, 200);
    assert.equal((r.json as Record<string, unknown>)['initiate_login_uri '], 'https://client.example.com/login');
    assert.ok(!('initiate_login_uri' in (r.json as object)));
    assertSwagger('/register-site', r.json);
  });

  test('op_configuration_endpoint instead of op_host; one without the well-known path → 400', async () => {
    const ok = await h.post('/register-site', { op_configuration_endpoint: `${h.fake.url}/.well-known/openid-configuration`, redirect_uris: ['https://c.example.com/cb'] });
    assert.equal(ok.status, 200);
    assert.equal((ok.json as { op_host: string }).op_host, h.fake.issuer);
    const bad = await h.post('/register-site', { op_configuration_endpoint: `${h.fake.url}/discovery`, redirect_uris: ['https://c.example.com/cb'] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, err('invalid_op_configuration_endpoint', 'Invalid op_configuration_endpoint (invalid or blank).'));
  });

  test('an existing client_id + client_secret: no registration at the AS', async () => {
    const client = h.fake.addClient(['openid', 'oxd']);
    const before = h.fake.calls.length;
    const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'], client_id: client.clientId, client_secret: client.clientSecret });
    assert.equal(r.status, 200);
    const body = r.json as Record<string, unknown>;
    assert.equal(body.client_id, client.clientId);
    assert.equal(body.client_secret, client.clientSecret);
    assert.equal(body.client_id_issued_at, 0);
    assert.ok(!('client_registration_access_token' in body));
    assert.deepEqual(h.fake.calls.slice(before), [], 'no registration (and the discovery document is cached)');
  });

  test('validation errors, in oxd order', async () => {
    const cases: [Record<string, unknown>, number, { error: string; error_description: string }][] = [
      [{ client_id: 'x', op_host: h.fake.url }, 400, err('invalid_client_secret', 'client_secret is required parameter in request (skip client_id if you wish to dynamically register client.).')],
      [{ client_secret: 'x' }, 400, err('invalid_client_id', 'client_id is required parameter in request (skip client_secret if you wish to dynamically register client.).')],
      [{ redirect_uris: ['https://c.example.com/cb'] }, 400, err('invalid_op_host_and_configuration_endpoint', 'Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined.')],
      [{ op_host: h.fake.url }, 400, err('invalid_redirect_uri', 'Invalid redirect_uri (empty, blank or invalid).')],
      [{ op_host: h.fake.url, redirect_uris: [] }, 400, err('invalid_redirect_uri', 'Invalid redirect_uri (empty, blank or invalid).')],
      [{ op_host: h.fake.url, redirect_uris: ['not a url'] }, 400, err('invalid_redirect_uri', 'Invalid redirect_uri (empty, blank or invalid).')],
      [{ op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb#x'] }, 400, err('redirect_uri_has_fragment_component', 'Fragment component is not allowed in redirect uri.')],
      [{ op_host: 'http://127.0.0.1:1', redirect_uris: ['https://c.example.com/cb'] }, 500, err('no_connect_discovery_response', 'Unable to fetch Connect discovery response /.well-known/openid-configuration')],
    ];
    for (const [body, status, expected] of cases) {
      const r = await h.post('/register-site', body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(r.json, expected, JSON.stringify(body));
    }
  });

  test('scope [] falls back to the default scopes like an absent scope (RegisterSiteOperation lines 194–199)', async () => {
    for (const scope of [[], null, undefined]) {
      const before = h.fake.calls.length;
      const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'], scope });
      assert.equal(r.status, 200, JSON.stringify(scope));
      const registration = h.fake.calls.slice(before).find((c) => c.method === 'POST' && c.path === '/oxauth/restv1/register');
      assert.equal((registration?.json as { scope?: unknown }).scope, 'openid profile email', JSON.stringify(scope));
    }
  });

  test('the AS refusing the registration → 500 no_client_id_returned', async () => {
    // java.net.URL accepts ftp:, the AS does not (400 invalid_redirect_uri).
    const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['ftp://c.example.com/cb'] });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, err('no_client_id_returned', '`client_id` is not returned from OP host. Please check OP log file for error (oxauth.log).'));
  });

  test('a non-JSON registration answer → 500 internal_error', async () => {
    h.fake.failNext('POST /oxauth/restv1/register', 502, '<html>bad gateway</html>', 'text/html');
    const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'] });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, err('internal_error', 'Unknown internal server error occurs.'));
  });
});

describe('register-site with an empty default scope', () => {
  test('scope [] and no default scope → 400 invalid_scope (the only way to reach it)', async () => {
    const base = shippedOxdConfig();
    const h = await OxdHarness.start({ config: { defaultSiteConfig: { ...base.defaultSiteConfig, scope: [] } } });
    try {
      const r = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'], scope: [] });
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json');
      // the first answer of a fresh oxd, before any site is saved: the shared mapper still writes nulls
      assert.deepEqual(r.json, { ...err('invalid_scope', 'Invalid scope parameter (empty or blank).'), details: null, reason: null });
    } finally {
      await h.close();
    }
  });
});

describe('update-site (oxd.md §4.3)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('no token needed; claims_redirect_uri replaces the list at the AS (PUT with the registration token)', async () => {
    const site = await h.registerSite({ claims_redirect_uri: ['https://old.example.org/cb'] });
    const client = h.fake.clients.get(site.client_id);
    const before = h.fake.calls.length;
    const r = await h.post('/update-site', { oxd_id: site.oxd_id, claims_redirect_uri: ['https://rqp.example.org/claims-cb'] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { oxd_id: site.oxd_id });
    assertSwagger('/update-site', r.json);
    const calls = h.fake.calls.slice(before);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].method, 'PUT');
    assert.equal(calls[0].path, '/oxauth/restv1/register');
    assert.equal(calls[0].query.get('client_id'), site.client_id);
    assert.equal(calls[0].headers.authorization, `Bearer ${client?.registrationAccessToken}`);
    const sent = calls[0].json as Record<string, unknown>;
    assert.deepEqual(sent.claims_redirect_uri, ['https://rqp.example.org/claims-cb'], 'replaced, not appended');
    assert.deepEqual(sent.redirect_uris, ['https://client.example.com/cb'], 'the rest of the metadata is resent');
    assert.equal(sent.scope, 'openid oxd uma_protection');
    assert.deepEqual(client?.metadata.claims_redirect_uri, ['https://rqp.example.org/claims-cb']);
    // The sandbox log says what update-site changed (issue 14 item 13), no secret in it.
    const line = h.logs.find((l) => l.startsWith(`update-site ${site.oxd_id}:`));
    assert.equal(line, `update-site ${site.oxd_id}: client ${site.client_id}, claims_redirect_uri ["https://rqp.example.org/claims-cb"], redirect_uris ["https://client.example.com/cb"]`);
    assert.ok(!h.logs.some((l) => l.includes(site.client_secret)), 'the client secret reaches the log');
  });

  test('errors: missing oxd_id → bad_request, unknown → invalid_oxd_id, AS refusal or bad URI → internal_error', async () => {
    const missing = await h.post('/update-site', { claims_redirect_uri: ['https://x.example.org/cb'] });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, err('bad_request', 'oxd_id is empty or not specified or is otherwise invalid (not registered).'));
    const unknown = await h.post('/update-site', { oxd_id: 'nope' });
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { error: string }).error, 'invalid_oxd_id');
    const site = await h.registerSite();
    h.fake.failNext('PUT /oxauth/restv1/register', 400, '{"error":"invalid_client_metadata"}');
    const refused = await h.post('/update-site', { oxd_id: site.oxd_id, claims_redirect_uri: ['https://x.example.org/cb'] });
    assert.equal(refused.status, 500);
    assert.deepEqual(refused.json, err('internal_error', 'Unknown internal server error occurs.'));
    const badUri = await h.post('/update-site', { oxd_id: site.oxd_id, redirect_uris: ['nope'] });
    assert.equal(badUri.status, 500, 'the invalid_redirect_uri error is wrapped by persistRp');
    assert.deepEqual(badUri.json, err('internal_error', 'Unknown internal server error occurs.'));
  });

  test('a site registered with an existing client has no registration URI → internal_error', async () => {
    const client = h.fake.addClient(['openid']);
    const r0 = await h.post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'], client_id: client.clientId, client_secret: client.clientSecret });
    const r = await h.post('/update-site', { oxd_id: (r0.json as { oxd_id: string }).oxd_id, client_name: 'x' });
    assert.equal(r.status, 500);
    assert.equal((r.json as { error: string }).error, 'internal_error');
  });
});

describe('update-site with the fault update-site-keeps-claims-redirect-uris', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start({ faults: ['update-site-keeps-claims-redirect-uris'] });
  });
  after(() => h.close());

  test('answers 200 {"oxd_id"} as usual, but the PUT to the AS carries the old claims redirect URIs', async () => {
    const site = await h.registerSite({ claims_redirect_uri: ['https://old.example.org/cb'] });
    const before = h.fake.calls.length;
    const r = await h.post('/update-site', { oxd_id: site.oxd_id, claims_redirect_uri: ['https://rqp.example.org/claims-cb'] });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json, { oxd_id: site.oxd_id });
    const put = h.fake.calls.slice(before).find((c) => c.method === 'PUT');
    assert.deepEqual((put?.json as Record<string, unknown>).claims_redirect_uri, ['https://old.example.org/cb']);
    assert.deepEqual(h.fake.clients.get(site.client_id)?.metadata.claims_redirect_uri, ['https://old.example.org/cb']);
  });
});

describe('remove-site and get-rp', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('get-rp shows the site; remove-site answers the oxd_id and the site is gone', async () => {
    const site = await h.registerSite();
    const rp = await h.post('/get-rp', { oxd_id: site.oxd_id });
    assert.equal(rp.status, 200);
    const node = (rp.json as { node: Record<string, unknown> }).node;
    assert.equal(node.oxd_id, site.oxd_id);
    assert.equal(node.client_id, site.client_id);
    assert.equal(node.op_host, h.fake.issuer);
    assert.deepEqual(Object.keys(node).filter((k) => k.startsWith('rpt') && k !== 'rpt_as_jwt'), [], 'no rpt_* fields before the first uma-rp-get-rpt (null → left out)');
    const list = await h.post('/get-rp', { list: true });
    assert.ok((list.json as { node: { oxd_id: string }[] }).node.some((n) => n.oxd_id === site.oxd_id));

    const removed = await h.post('/remove-site', { oxd_id: site.oxd_id });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.json, { oxd_id: site.oxd_id });
    assertSwagger('/remove-site', removed.json);
    const again = await h.post('/get-rp', { oxd_id: site.oxd_id });
    assert.equal(again.status, 400);
    assert.equal((again.json as { error: string }).error, 'invalid_oxd_id');
    const token = await h.post('/get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: h.fake.url, scope: ['oxd'] });
    const check = await h.post('/introspect-rpt', { oxd_id: site.oxd_id, rpt: 'x' }, bearer((token.json as { access_token: string }).access_token));
    assert.equal(check.status, 400);
    assert.equal((check.json as { error: string }).error, 'invalid_oxd_id');
  });

  test('get-rp without oxd_id → bad_request', async () => {
    const r = await h.post('/get-rp', {});
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, err('bad_request', 'oxd_id is empty or not specified or is otherwise invalid (not registered).'));
  });
});

// RegisterSiteOperation lines 710–711, RegisterRequestMapper line 129, UpdateSiteOperation lines 111, 348–349 @ version_4.2.3.
describe('access_token_lifetime (issue 14 item 11)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  const registration = (from: number) => h.fake.calls.slice(from).find((c) => c.path === '/oxauth/restv1/register');

  test('register-site passes it to the AS registration; absent, it is left out (defaultSiteConfig has null)', async () => {
    let before = h.fake.calls.length;
    await h.registerSite({ access_token_lifetime: 3 });
    assert.equal((registration(before)?.json as Record<string, unknown>).access_token_lifetime, 3);
    before = h.fake.calls.length;
    await h.registerSite({});
    assert.equal('access_token_lifetime' in (registration(before)?.json as Record<string, unknown>), false);
  });

  test('update-site resends the site\'s lifetime, or the new one', async () => {
    const site = await h.registerSite({ access_token_lifetime: 3 });
    let before = h.fake.calls.length;
    assert.equal((await h.post('/update-site', { oxd_id: site.oxd_id, client_name: 'renamed' })).status, 200);
    assert.equal((registration(before)?.json as Record<string, unknown>).access_token_lifetime, 3);
    before = h.fake.calls.length;
    assert.equal((await h.post('/update-site', { oxd_id: site.oxd_id, access_token_lifetime: 8 })).status, 200);
    assert.equal((registration(before)?.json as Record<string, unknown>).access_token_lifetime, 8);
  });
});
