// `--preset oidc-uma` against the whole sandbox stack: every step of the GG
// UI's sequence succeeds, Kong holds the tutorial's objects, and the proxy
// sends a browser on the route host to the AS's login while the proxy's own
// IP stays free for host-less routes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../sandbox/stack';
import { defaultSettings } from '../../sandbox/settings';
import { applyOidcUmaPreset } from '../../sandbox/preset-oidc-uma';
import type { PresetResult, PresetStep } from '../../sandbox/preset-calls';
import { request } from '../../sandbox/lib/http-client';

let stack: Stack;
let result: PresetResult;
const steps: PresetStep[] = [];

before(async () => {
  const settings = defaultSettings();
  for (const name of Object.keys(settings.ports) as Array<keyof typeof settings.ports>) settings.ports[name] = 0;
  stack = await startStack(settings);
  result = await applyOidcUmaPreset(stack.urls, steps);
});

after(() => stack.close());

test('each step answers as Kong 2.2 and oxd 4.2 do', () => {
  assert.deepEqual(steps, [
    { what: 'Kong node info', status: 200 },
    { what: 'service', status: 201 },
    { what: 'route', status: 201 },
    { what: 'validate gluu-openid-connect', status: 200 },
    { what: 'validate gluu-uma-pep', status: 200 },
    { what: 'register-site', status: 200 },
    { what: 'get-client-token', status: 200 },
    { what: 'uma-rs-protect', status: 200 },
    { what: 'gluu-openid-connect plugin', status: 201 },
    { what: 'gluu-uma-pep plugin', status: 201 },
  ]);
});

test('Kong holds the service → website, the route on host localhost, both plugins on the route', async () => {
  const port = new URL(stack.urls.kongProxy).port;
  assert.equal(result.env.OIDC_UMA_URL, `http://localhost:${port}`);
  const route = JSON.parse((await request('GET', `${stack.urls.kongAdmin}/routes/oidc-uma-demo`)).text) as Record<string, unknown>;
  assert.deepEqual(route.hosts, ['localhost']);
  assert.equal(route.paths, null);
  assert.equal(route.strip_path, true);
  const service = JSON.parse((await request('GET', `${stack.urls.kongAdmin}/services/oidc-uma-demo`)).text) as Record<string, unknown>;
  assert.equal(`${service.protocol}://${service.host}:${service.port}`, stack.urls.website);
  const plugins = JSON.parse((await request('GET', `${stack.urls.kongAdmin}/routes/oidc-uma-demo/plugins`)).text) as { data: Array<{ name: string; config: Record<string, unknown> }> };
  const byName = Object.fromEntries(plugins.data.map((p) => [p.name, p.config]));
  assert.deepEqual(Object.keys(byName).sort(), ['gluu-openid-connect', 'gluu-uma-pep']);
  assert.equal(byName['gluu-uma-pep'].deny_by_default, false);
  assert.equal(byName['gluu-uma-pep'].pushed_claims_lua_exp, '{id_token=id_token,userinfo=userinfo}');
  assert.equal(byName['gluu-openid-connect'].max_id_token_age, 3600);
  assert.equal(byName['gluu-openid-connect'].client_id, byName['gluu-uma-pep'].client_id);
});

test('the proxy: /settings/ on the route host → 302 to the AS login with {GG}/callback; the proxy IP matches no route', async () => {
  const port = new URL(stack.urls.kongProxy).port;
  const r = await request('GET', `${stack.urls.kongProxy}/settings/`, { Host: `localhost:${port}` });
  assert.equal(r.status, 302);
  const location = new URL(String(r.headers.location));
  assert.equal(`${location.origin}${location.pathname}`, `${stack.urls.oxauth}/oxauth/restv1/authorize`);
  assert.equal(location.searchParams.get('redirect_uri'), `http://localhost:${port}/callback`);
  const miss = await request('GET', `${stack.urls.kongProxy}/settings/`);
  assert.equal(miss.status, 404);
  assert.deepEqual(JSON.parse(miss.text), { message: 'no Route matched with those values' });
});
