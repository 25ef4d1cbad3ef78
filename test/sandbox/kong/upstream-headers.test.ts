// gateway.md §9: what the upstream receives — custom headers (UI defaults
// and every format), pass/hide/phantom_token, X-Anonymous-Consumer, the
// session cookie stripped, Kong's X-Forwarded-* headers — and Q7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, echoed, HOST, startHarness, type Harness, type TutorialIds, type TutorialOptions } from './harness';

async function withTutorial(options: TutorialOptions, fn: (h: Harness, ids: TutorialIds) => Promise<void>): Promise<void> {
  const h = await startHarness();
  try {
    await fn(h, await h.tutorial(options));
  } finally {
    await h.close();
  }
}

const b64json = (s: string) => JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Record<string, unknown>;

test('§9 UI default custom headers with a valid RPT; x-authenticated-scope absent (RPT introspection has no scope)', async () => {
  await withTutorial({}, async (h, ids) => {
    const exp = Math.floor(Date.now() / 1000) + 1800;
    h.oxd.activeRpt('RPT', { client_id: C_ID, exp });
    const r = await h.get('/posts/1', { Authorization: 'Bearer RPT' });
    assert.equal(r.status, 200);
    const up = echoed(r).headers;
    assert.equal(up['x-consumer-id'], ids.consumerId);
    assert.equal(up['x-oauth-client-id'], C_ID);
    assert.equal(up['x-consumer-custom-id'], C_ID);
    assert.equal(up['x-oauth-expiration'], String(exp));
    assert.equal(up['x-authenticated-scope'], undefined);
    assert.equal(up['x-anonymous-consumer'], undefined);
    assert.equal(up.authorization, 'Bearer RPT', 'pass_credentials=pass forwards the RPT');
  });
});

test('§9 pass_credentials=hide removes Authorization upstream', async () => {
  await withTutorial({ auth: { pass_credentials: 'hide' } }, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const up = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT' })).headers;
    assert.equal(up.authorization, undefined);
    assert.equal(up['x-oauth-client-id'], C_ID);
  });
});

test('§9 pass_credentials=phantom_token replaces it with an alg-none JWT of the introspection data (consumer included)', async () => {
  await withTutorial({ auth: { pass_credentials: 'phantom_token' } }, async (h, ids) => {
    const exp = Math.floor(Date.now() / 1000) + 1800;
    h.oxd.activeRpt('RPT', { client_id: C_ID, exp });
    const up = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT' })).headers;
    const m = /^Bearer ([^.]+)\.([^.]+)\.$/.exec(String(up.authorization));
    assert.ok(m, String(up.authorization));
    assert.deepEqual(b64json(m[1]), { typ: 'JWT', alg: 'none' });
    const payload = b64json(m[2]);
    assert.equal(payload.active, true);
    assert.equal(payload.client_id, C_ID);
    assert.equal(payload.exp, exp);
    assert.deepEqual((payload.consumer as Record<string, unknown>).id, ids.consumerId);
    assert.equal('tags' in (payload.consumer as Record<string, unknown>), false, 'the DAO view has no nulls');
  });
});

test('§9 phantom_token is not applied on the anonymous path (no active token)', async () => {
  await withTutorial({ auth: { pass_credentials: 'phantom_token' }, pep: { deny_by_default: false } }, async (h) => {
    const up = echoed(await h.get('/open', { Authorization: 'Bearer dead' })).headers;
    assert.equal(up.authorization, 'Bearer dead');
    assert.equal(up['x-anonymous-consumer'], 'true');
  });
});

test('§9 anonymous path: X-Anonymous-Consumer: true and the anonymous consumer\'s id; no client headers', async () => {
  await withTutorial({ pep: { deny_by_default: false } }, async (h, ids) => {
    const up = echoed(await h.get('/open')).headers;
    assert.equal(up['x-anonymous-consumer'], 'true');
    assert.equal(up['x-consumer-id'], ids.anonymousId);
    assert.equal(up['x-oauth-client-id'], undefined);
    assert.equal(up['x-oauth-expiration'], undefined);
  });
});

test('§9 consumer_mapping=false: no consumer lookup, no x-consumer-id, the RPT of an unmapped client passes', async () => {
  await withTutorial({ auth: { consumer_mapping: false } }, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: '@!unmapped' });
    const r = await h.get('/posts/1', { Authorization: 'Bearer RPT' });
    assert.equal(r.status, 200);
    assert.equal(echoed(r).headers['x-consumer-id'], undefined);
    assert.equal(echoed(r).headers['x-oauth-client-id'], '@!unmapped');
  });
});

test('§9 the gluu_uma_pep_session cookie is stripped before proxying; other cookies stay', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const mixed = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT', Cookie: 'a=1; gluu_uma_pep_session=abc; gluu_uma_pep_session_2=def; b=2' }));
    assert.equal(mixed.headers.cookie, 'a=1; b=2');
    const only = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT', Cookie: 'gluu_uma_pep_session=abc' }));
    assert.equal(only.headers.cookie, undefined);
    const none = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT', Cookie: 'x=y' }));
    assert.equal(none.headers.cookie, 'x=y');
  });
});

test('Kong\'s upstream request: Host of the service, X-Forwarded-*, X-Real-IP, keep-alive', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const r = await h.get('/posts/1?q=2', { Authorization: 'Bearer RPT', 'X-Forwarded-For': '10.0.0.9' });
    const e = echoed(r);
    const upstreamPort = new URL(h.echoUrl).port;
    const proxyPort = new URL(h.proxyUrl).port;
    assert.equal(e.headers.host, `127.0.0.1:${upstreamPort}`);
    assert.equal(e.headers.connection, 'keep-alive');
    assert.equal(e.headers['x-forwarded-for'], '10.0.0.9, 127.0.0.1');
    assert.equal(e.headers['x-forwarded-proto'], 'http');
    assert.equal(e.headers['x-forwarded-host'], HOST);
    assert.equal(e.headers['x-forwarded-port'], proxyPort);
    assert.equal(e.headers['x-forwarded-path'], '/posts/1');
    assert.equal(e.headers['x-forwarded-prefix'], undefined);
    assert.equal(e.headers['x-real-ip'], '127.0.0.1');
    assert.equal(e.query, 'q=2');
  });
});

test('§9 custom header formats: string, base64, urlencoded, jwt, list + sep, iterate with {*}, literals, "_" → "-", nil skipped', async () => {
  const custom_headers = [
    { header_name: 'x_literal', value_lua_exp: '"fixed value"' },
    { header_name: 'x-perms-b64', value_lua_exp: 'introspect_data.permissions', format: 'base64' },
    { header_name: 'x-perms-default', value_lua_exp: 'introspect_data.permissions' },
    { header_name: 'x-client-url', value_lua_exp: 'introspect_data.client_id', format: 'urlencoded' },
    { header_name: 'x-perm-jwt', value_lua_exp: 'introspect_data.permissions[1]', format: 'jwt' },
    { header_name: 'x-scopes', value_lua_exp: 'introspect_data.permissions[1].resource_scopes', format: 'list', sep: ';' },
    { header_name: 'x-perm-{*}', value_lua_exp: 'introspect_data.permissions[1]', format: 'string', iterate: true },
    { header_name: 'x-missing', value_lua_exp: 'introspect_data.nothing.deeper' },
    { header_name: 'x-consumer-username', value_lua_exp: 'consumer.username' },
    { header_name: 'x-json', value_lua_exp: 'introspect_data.permissions[1]', format: 'string' },
  ];
  await withTutorial({ auth: { custom_headers } }, async (h) => {
    const permission = { resource_id: 'r-1', resource_scopes: ['s1', 's2'], exp: 123 };
    h.oxd.activeRpt('RPT', { client_id: C_ID, permissions: [permission] });
    const up = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT', 'x-missing': 'client-sent' })).headers;
    assert.equal(up['x-literal'], 'fixed value');
    assert.deepEqual(JSON.parse(Buffer.from(String(up['x-perms-b64']), 'base64').toString()), [permission]);
    assert.equal(up['x-perms-default'], up['x-perms-b64'], 'a table defaults to base64');
    assert.equal(up['x-client-url'], encodeURIComponent(C_ID).replace(/!/g, '%21'));
    const [jh, jp, js] = String(up['x-perm-jwt']).split('.');
    assert.deepEqual([b64json(jh), b64json(jp), js], [{ typ: 'JWT', alg: 'none' }, permission, '']);
    assert.equal(up['x-scopes'], 's1;s2');
    assert.equal(up['x-perm-resource-id'], 'r-1');
    assert.equal(up['x-perm-resource-scopes'], '["s1","s2"]');
    assert.equal(up['x-perm-exp'], '123');
    assert.equal(up['x-missing'], 'client-sent', 'a nil value sets nothing');
    assert.equal(up['x-consumer-username'], 'rqp-consumer');
    assert.equal(up['x-json'], JSON.stringify(permission));
  });
});

test('§9 a custom header replaces the client\'s header of the same name', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const up = echoed(await h.get('/posts/1', { Authorization: 'Bearer RPT', 'X-Consumer-Custom-Id': 'forged' })).headers;
    assert.equal(up['x-consumer-custom-id'], C_ID);
  });
});

test('Q7: the custom-header cache is keyed by the token only, across plugin instances', async () => {
  const h = await startHarness();
  try {
    const ids = await h.tutorial({ withoutAuth: true, pep: { deny_by_default: false } });
    const addRoute = async (host: string, value: string) => {
      const r = await h.admin('POST', '/routes', { hosts: [host], service: { id: ids.serviceId } });
      const routeId = (r.json as { id: string }).id;
      const p = await h.admin('POST', '/plugins', {
        name: 'gluu-uma-auth',
        route: { id: routeId },
        config: h.pluginConfig({ custom_headers: [{ header_name: 'x-which', value_lua_exp: `"${value}"` }] }),
      });
      assert.equal(p.status, 201, p.text);
    };
    await addRoute('a.example.com', 'route A');
    await addRoute('b.example.com', 'route B');
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const a = echoed(await h.proxy('GET', '/x', { Host: 'a.example.com', Authorization: 'Bearer RPT' }));
    const b = echoed(await h.proxy('GET', '/x', { Host: 'b.example.com', Authorization: 'Bearer RPT' }));
    assert.equal(a.headers['x-which'], 'route A');
    assert.equal(b.headers['x-which'], 'route A', 'route B reuses the headers cached for the token');
    h.oxd.activeRpt('RPT2', { client_id: C_ID });
    const b2 = echoed(await h.proxy('GET', '/x', { Host: 'b.example.com', Authorization: 'Bearer RPT2' }));
    assert.equal(b2.headers['x-which'], 'route B');
  } finally {
    await h.close();
  }
});

test('route strip_path and preserve_host shape the upstream request', async () => {
  const h = await startHarness();
  try {
    const s = await h.admin('POST', '/services', { name: 'api', url: `${h.echoUrl}/base` });
    const sid = (s.json as { id: string }).id;
    await h.admin('POST', '/routes', { paths: ['/api'], service: { id: sid } });
    await h.admin('POST', '/routes', { paths: ['/keep'], strip_path: false, preserve_host: true, service: { id: sid } });
    const stripped = echoed(await h.proxy('GET', '/api/posts/1', { Host: 'any.example.com' }));
    assert.equal(stripped.path, '/base/posts/1');
    assert.equal(stripped.headers['x-forwarded-prefix'], '/api');
    const kept = echoed(await h.proxy('GET', '/keep/x', { Host: 'any.example.com:8000' }));
    assert.equal(kept.path, '/base/keep/x');
    assert.equal(kept.headers.host, 'any.example.com:8000');
  } finally {
    await h.close();
  }
});
