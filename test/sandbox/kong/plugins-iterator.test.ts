// Which plugin configuration runs for a request: per plugin name the route's
// wins over the service's, which wins over a global one; disabled plugins
// and plugins whose protocols exclude the request's do not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, echoed, startHarness, type Harness, type TutorialIds } from './harness';

const OPEN = JSON.stringify([{ path: '/open/??', conditions: [{ httpMethods: ['GET'] }] }]);

async function bench(fn: (h: Harness, ids: TutorialIds) => Promise<void>): Promise<void> {
  const h = await startHarness({ oxd: { protect: { '/posts/??': ['GET'], '/open/??': ['GET'] } } });
  try {
    const ids = await h.tutorial();
    await fn(h, ids);
  } finally {
    await h.close();
  }
}

test('a route-scoped gluu-uma-pep wins over the service-scoped one', async () => {
  await bench(async (h, ids) => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', route: { id: ids.routeId }, config: h.pluginConfig({ uma_scope_expression: OPEN, deny_by_default: false }) });
    assert.equal(r.status, 201);
    const posts = await h.get('/posts/1');
    assert.equal(posts.status, 200, 'the route PEP does not protect /posts');
    assert.equal(echoed(posts).headers['x-anonymous-consumer'], 'true', 'the service-scoped gluu-uma-auth still runs');
    const open = await h.get('/open/1');
    assert.equal(open.status, 401);
  });
});

test('a global plugin applies when no scoped one exists; a scoped one overrides it', async () => {
  const h = await startHarness();
  try {
    const ids = await h.tutorial({ withoutPep: true });
    const g = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ uma_scope_expression: OPEN, deny_by_default: true }) });
    assert.equal(g.status, 201);
    assert.deepEqual((await h.get('/posts/1')).json, { message: 'Invalid request, no token and no protected path' });
    await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', service: { id: ids.serviceId }, config: h.pluginConfig({ uma_scope_expression: OPEN, deny_by_default: false }) });
    assert.equal((await h.get('/posts/1')).status, 200);
  } finally {
    await h.close();
  }
});

test('a disabled plugin does not run; protocols without http exclude it', async () => {
  await bench(async (h, ids) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    await h.admin('PATCH', `/plugins/${ids.pepPluginId}`, { enabled: false });
    assert.equal((await h.get('/todos')).status, 200, 'no PEP: the anonymous request is proxied');
    await h.admin('PATCH', `/plugins/${ids.pepPluginId}`, { enabled: true, protocols: ['https'] });
    assert.equal((await h.get('/todos')).status, 200);
    await h.admin('PATCH', `/plugins/${ids.pepPluginId}`, { protocols: ['http', 'https'] });
    assert.equal((await h.get('/todos')).status, 403);
  });
});
