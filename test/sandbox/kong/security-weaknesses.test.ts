// The gateway's security weaknesses as GG 4.2.2 has them (issue 12 items 1–4,
// features/security/gateway.feature), each pinned with its fix profile:
// SEC-GW-01 grant cache across routes, SEC-GW-02 client-sent identity headers,
// SEC-GW-03 the anonymous header cache, SEC-GW-04 a deleted consumer's RPT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, echoed, P_OXD, startHarness, UI_CUSTOM_HEADERS, type Harness, type TutorialIds } from './harness';
import type { FaultName } from '../../../sandbox/faults';

const OTHER_OXD = '6f1d8f4c-2a4e-4d7b-9c3e-0000000000ff';
const MESSAGE_JSON = 'application/json; charset=utf-8';

async function withTutorial(faults: FaultName[], fn: (h: Harness, ids: TutorialIds) => Promise<void>, pep: Record<string, unknown> = {}): Promise<void> {
  const h = await startHarness({ faults });
  try {
    await fn(h, await h.tutorial({ pep }));
  } finally {
    await h.close();
  }
}

/** A second route of the same service with its own plugins and oxd site, as the tutorial's no-policy host. */
async function secondRoute(h: Harness, ids: TutorialIds, host: string, oxdId: string, anonymous: string, pep: Record<string, unknown> = {}): Promise<void> {
  const route = await h.admin('POST', '/routes', { hosts: [host], service: { id: ids.serviceId } });
  assert.equal(route.status, 201, route.text);
  const routeId = (route.json as { id: string }).id;
  const config = (extra: Record<string, unknown>) => h.pluginConfig({ oxd_id: oxdId, ...extra });
  for (const [name, extra] of [
    ['gluu-uma-auth', { anonymous, pass_credentials: 'pass', consumer_mapping: true, custom_headers: UI_CUSTOM_HEADERS }],
    ['gluu-uma-pep', { uma_scope_expression: JSON.stringify([{ path: '/posts/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['x'] } }] }]), deny_by_default: true, ...pep }],
  ] as const) {
    const p = await h.admin('POST', '/plugins', { name, route: { id: routeId }, config: config(extra) });
    assert.equal(p.status, 201, p.text);
  }
}

/** check-access grants the RPT for the other oxd site only (its resource), denies it for the tutorial's. */
function grantOnlyFor(h: Harness, oxdId: string): void {
  h.oxd.script('uma-rs-check-access', (body) =>
    body.rpt === 'RPT' && body.oxd_id !== oxdId ? { status: 200, body: { access: 'denied', 'www-authenticate_header': h.oxd.challenge('T'), ticket: 'T' } } : undefined,
  );
}

for (const fixed of [false, true]) {
  test(`SEC-GW-01 ${fixed ? 'fix-grant-cache-per-route: the other route asks oxd and refuses 403' : 'an RPT granted on one route opens the same pattern on another route from the grant cache'}`, async () => {
    await withTutorial(fixed ? ['fix-grant-cache-per-route'] : [], async (h, ids) => {
      await secondRoute(h, ids, 'no-claims.example.com', OTHER_OXD, ids.anonymousId);
      h.oxd.activeRpt('RPT', { client_id: C_ID });
      grantOnlyFor(h, OTHER_OXD);
      const other = await h.proxy('GET', '/posts/1', { Host: 'no-claims.example.com', Authorization: 'Bearer RPT' });
      assert.equal(other.status, 200, 'granted on the route of its own oxd site');
      h.oxd.clearCalls();
      const r = await h.get('/posts/1', { Authorization: 'Bearer RPT' });
      if (!fixed) {
        assert.equal(r.status, 200, r.text);
        assert.equal(echoed(r).path, '/posts/1');
        assert.deepEqual(h.oxd.commands(), [], 'no oxd call: introspection and grant both from the cache');
      } else {
        assert.equal(r.status, 403);
        assert.equal(r.headers['content-type'], MESSAGE_JSON);
        assert.deepEqual(r.json, { message: 'You are not authorized to access this resource' });
        assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access']);
      }
    });
  });
}

for (const fixed of [false, true]) {
  const faults: FaultName[] = fixed ? ['fix-client-identity-headers-dropped'] : [];
  const spoofed = { 'X-OAuth-Client-ID': 'spoofed-client', 'X-Consumer-Custom-ID': 'spoofed-client', 'X-Authenticated-Scope': 'admin', 'X-Anonymous-Consumer': 'false' };
  test(`SEC-GW-02 anonymous request: client-sent identity headers ${fixed ? 'removed (fix profile)' : 'reach the upstream when GG computes no value'}`, async () => {
    await withTutorial(
      faults,
      async (h, ids) => {
        const r = await h.get('/open', spoofed);
        assert.equal(r.status, 200);
        const up = echoed(r).headers;
        assert.equal(up['x-consumer-id'], ids.anonymousId);
        assert.equal(up['x-anonymous-consumer'], 'true', 'GG sets its own value over the client\'s');
        assert.equal(up['x-oauth-client-id'], fixed ? undefined : 'spoofed-client');
        assert.equal(up['x-consumer-custom-id'], fixed ? undefined : 'spoofed-client');
        assert.equal(up['x-authenticated-scope'], fixed ? undefined : 'admin');
      },
      { deny_by_default: false },
    );
  });
  test(`SEC-GW-02 authenticated request: client-sent X-Anonymous-Consumer and X-Authenticated-Scope ${fixed ? 'removed (fix profile)' : 'reach the upstream'}`, async () => {
    await withTutorial(faults, async (h, ids) => {
      h.oxd.activeRpt('RPT', { client_id: C_ID });
      const r = await h.get('/posts/1', { Authorization: 'Bearer RPT', 'X-Anonymous-Consumer': 'true', 'X-Authenticated-Scope': 'admin', 'X-OAuth-Client-ID': 'spoofed-client' });
      assert.equal(r.status, 200);
      const up = echoed(r).headers;
      assert.equal(up['x-consumer-id'], ids.consumerId);
      assert.equal(up['x-oauth-client-id'], C_ID, 'a computed value replaces the client\'s');
      assert.equal(up['x-anonymous-consumer'], fixed ? undefined : 'true');
      assert.equal(up['x-authenticated-scope'], fixed ? undefined : 'admin');
    });
  });
}

for (const fixed of [false, true]) {
  test(`SEC-GW-03 ${fixed ? 'fix-header-cache-per-consumer: each route\'s anonymous consumer' : 'the anonymous headers are cached under "nil": the second route gets the first route\'s anonymous consumer'}`, async () => {
    await withTutorial(
      fixed ? ['fix-header-cache-per-consumer'] : [],
      async (h, ids) => {
        const anon2 = await h.admin('POST', '/consumers', { username: 'anonymous-2', custom_id: 'anonymous-2' });
        const anon2Id = (anon2.json as { id: string }).id;
        await secondRoute(h, ids, 'second.example.com', P_OXD, anon2Id, { deny_by_default: false });
        const first = echoed(await h.get('/open')).headers;
        assert.equal(first['x-consumer-id'], ids.anonymousId);
        const r = await h.proxy('GET', '/open', { Host: 'second.example.com' });
        assert.equal(r.status, 200);
        assert.equal(echoed(r).headers['x-consumer-id'], fixed ? anon2Id : ids.anonymousId);
        assert.equal(echoed(r).headers['x-anonymous-consumer'], 'true');
      },
      { deny_by_default: false },
    );
  });
}

for (const fixed of [false, true]) {
  test(`SEC-GW-04 ${fixed ? 'fix-removed-consumer-refused: 401 Unknown consumer at once' : 'a deleted consumer\'s RPT keeps opening the resource from the introspection cache'}`, async () => {
    await withTutorial(fixed ? ['fix-removed-consumer-refused'] : [], async (h, ids) => {
      h.oxd.activeRpt('RPT', { client_id: C_ID, exp: Math.floor(Date.now() / 1000) + 3600 });
      assert.equal((await h.get('/posts/1', { Authorization: 'Bearer RPT' })).status, 200);
      assert.equal((await h.admin('DELETE', `/consumers/${ids.consumerId}`)).status, 204);
      const r = await h.get('/posts/1', { Authorization: 'Bearer RPT' });
      if (!fixed) {
        assert.equal(r.status, 200);
        assert.equal(echoed(r).headers['x-consumer-id'], ids.consumerId, 'the cached consumer, deleted from Kong');
      } else {
        assert.equal(r.status, 401);
        assert.equal(r.headers['content-type'], MESSAGE_JSON);
        assert.deepEqual(r.json, { message: 'Unknown consumer' });
      }
    });
  });
}
