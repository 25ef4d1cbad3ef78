// The second tutorial's provisioning against the embedded sandbox (issue 10
// item 3): `auto` creates its own service, route, both plugins on the route
// and the OP client, and removes every one of them again; `existing` creates
// nothing and uses the tutorial's website at OIDC_UMA_URL. Skipped, saying
// why, when the sandbox cannot start here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, sandboxEnv, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { loadConfig, type SuiteConfig } from '../../support/config';
import { HttpClient } from '../../support/http';
import { KongAdmin } from '../../support/clients/kong-admin';
import { Oxd } from '../../support/clients/oxd';
import { Journal } from '../../support/journal';
import { Provisioner, oidcUmaUrl } from '../../support/provisioning';
import { parseEnvFile } from '../../support/env-file';

interface Entity {
  id: string;
  name?: string;
  paths?: string[] | null;
  route?: { id: string } | null;
  service?: { id: string } | null;
  config?: Record<string, unknown>;
}

function parts(config: SuiteConfig) {
  const client = (target: string) => new HttpClient(target, { timeoutMs: config.httpTimeoutMs, tlsInsecure: config.tlsInsecure });
  const kong = new KongAdmin(client('Kong Admin API'), config.ggAdminUrl);
  const oxd = new Oxd(client('oxd'), config.oxdUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-oidc-'));
  return { kong, oxd, provisioner: new Provisioner(config, kong, oxd, new Journal(dir, config.ggAdminUrl), 'unit'), dir };
}

async function snapshot(kong: KongAdmin) {
  return { services: await kong.list<Entity>('services'), routes: await kong.list<Entity>('routes'), plugins: await kong.list<Entity>('plugins') };
}

test('auto: its own service, route, both plugins on the route and OP client, all removed by the clean-up', { timeout: 60_000 }, async (t) => {
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox([]);
  } catch (err) {
    t.skip(`the sandbox does not start: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  const config = loadConfig({ ...sandboxEnv(sandbox.urls, sandbox.testUser), UMA_PROVISION: 'auto' });
  const { kong, oxd, provisioner, dir } = parts(config);
  try {
    const before = await snapshot(kong);
    const site = await provisioner.oidcUmaSite({ upstream: 'website' });
    const during = await snapshot(kong);
    const added = <T extends Entity>(now: T[], then: T[]) => now.filter((e) => !then.some((b) => b.id === e.id));
    const [service] = added(during.services, before.services);
    const [route] = added(during.routes, before.routes);
    const plugins = added(during.plugins, before.plugins);
    assert.equal(added(during.services, before.services).length, 1);
    assert.equal(added(during.routes, before.routes).length, 1);
    const prefix = new URL(site.baseUrl).pathname;
    assert.deepEqual(route.paths, [prefix], 'the route is matched by the run\'s own prefix');
    assert.equal(route.service?.id, service.id);
    assert.equal(service.name, route.name);
    assert.deepEqual(plugins.map((p) => p.name).sort(), ['gluu-openid-connect', 'gluu-uma-pep']);
    for (const p of plugins) assert.equal(p.route?.id, route.id, `${p.name} sits on the route, as the tutorial recommends`);
    const pep = plugins.find((p) => p.name === 'gluu-uma-pep')!.config!;
    assert.equal(pep.obtain_rpt, true);
    assert.equal(pep.redirect_claim_gathering_url, true);
    assert.equal(pep.deny_by_default, false);
    assert.equal(pep.claims_redirect_path, `${prefix}/claims_callback`);
    assert.match(String(pep.uma_scope_expression), new RegExp(`"${prefix}/settings/\\?\\?"`));
    const oidcConf = plugins.find((p) => p.name === 'gluu-openid-connect')!.config!;
    assert.ok(site.opClient, 'auto mode knows its OP client');
    assert.equal(oidcConf.oxd_id, site.opClient.oxdId);
    assert.equal(pep.oxd_id, site.opClient.oxdId, 'both plugins share the one OP client');
    assert.equal(oidcConf.post_logout_redirect_path_or_url, `${prefix}/logout_redirect_uri`);
    assert.equal(oidcUmaUrl(site, 'postLogout'), `${config.ggProxyUrl}${prefix}/logout_redirect_uri`);
    // The OP client is known to oxd while the scenario runs.
    const token = await oxd.clientToken(site.opClient.clientId, site.opClient.clientSecret, config.ceUrl);
    assert.equal((await oxd.command('get-rp', { oxd_id: site.opClient.oxdId }, token.access_token)).response.status, 200);

    assert.deepEqual(await provisioner.cleanUp(), []);
    const after = await snapshot(kong);
    assert.deepEqual(after.services.map((e) => e.id).sort(), before.services.map((e) => e.id).sort());
    assert.deepEqual(after.routes.map((e) => e.id).sort(), before.routes.map((e) => e.id).sort());
    assert.deepEqual(after.plugins.map((e) => e.id).sort(), before.plugins.map((e) => e.id).sort());
    const gone = await oxd.command('get-rp', { oxd_id: site.opClient.oxdId }, token.access_token);
    assert.notEqual(gone.response.status, 200, 'the OP client is removed from oxd (remove-site)');
  } finally {
    await provisioner.cleanUp();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("existing: the tutorial's website at OIDC_UMA_URL, nothing created in Kong or oxd", { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-oidc-env-'));
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
    // The settings of an existing-environment run, as the preset writes them.
    const config = loadConfig(parseEnvFile(fs.readFileSync(envFile, 'utf8'), envFile).values);
    assert.equal(config.provision, 'existing');
    const { kong, provisioner } = parts(config);
    const before = await snapshot(kong);
    const site = await provisioner.oidcUmaSite({ upstream: 'website' });
    assert.equal(site.baseUrl, config.oidcUmaUrl);
    assert.equal(site.opClient, undefined);
    assert.deepEqual(await snapshot(kong), before);
    assert.deepEqual(await provisioner.cleanUp(), []);
    assert.deepEqual(await snapshot(kong), before, 'the clean-up leaves the tutorial\'s objects alone');
  } finally {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
