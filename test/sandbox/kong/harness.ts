// Test bench for the Kong emulator: Admin API and proxy on ephemeral ports,
// the fake oxd, and the echo upstream; plus the tutorial's setup (README
// "Setup sequence" steps 4–8) made through the Admin API.
import { createKong } from '../../../sandbox/kong';
import { Faults, type FaultName } from '../../../sandbox/faults';
import { bind, type Listening } from '../../../sandbox/lib/http';
import { request, type ClientResponse } from '../../../sandbox/lib/http-client';
import { defaultSettings } from '../../../sandbox/settings';
import { createEchoApi } from '../../../sandbox/upstream/echo-api';
import { FakeOxd, type FakeOxdOptions } from '../doubles/fake-oxd';

export const P_OXD = '6f1d8f4c-2a4e-4d7b-9c3e-000000000001';
export const P_ID = '@!1736.179E.AA60.16B2!0001!8F7C.B9AB!0008!A2BB.9AE6.5F14.B387';
export const P_SECRET = 'plugin-secret';
export const C_ID = '@!1736.179E.AA60.16B2!0001!8F7C.B9AB!0008!CCCC.0000.0000.0001';
export const HOST = 'gathering.example.com';

export const TUTORIAL_EXPRESSION = [
  { path: '/posts/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['claim_gathering'] } }] },
];

/** The GG Admin UI's default custom headers (gateway.md §4). */
export const UI_CUSTOM_HEADERS = [
  { header_name: 'x-consumer-id', value_lua_exp: 'consumer.id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-client-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-consumer-custom-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-expiration', value_lua_exp: 'introspect_data.exp', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-authenticated-scope', value_lua_exp: 'introspect_data.scope', format: 'list', sep: ',', iterate: false },
];

export interface Reply extends ClientResponse {
  json: unknown;
}

export interface TutorialIds {
  serviceId: string;
  routeId: string;
  anonymousId: string;
  consumerId: string;
  authPluginId: string;
  pepPluginId: string;
}

export interface TutorialOptions {
  auth?: Record<string, unknown>;
  pep?: Record<string, unknown>;
  /** Skip one of the two plugins. */
  withoutAuth?: boolean;
  withoutPep?: boolean;
}

export interface Harness {
  adminUrl: string;
  proxyUrl: string;
  echoUrl: string;
  oxd: FakeOxd;
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  proxy(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<Reply>;
  /** A GET on the tutorial host. */
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  tutorial(options?: TutorialOptions): Promise<TutorialIds>;
  pluginConfig(extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

function withJson(r: ClientResponse): Reply {
  let json: unknown;
  try {
    json = JSON.parse(r.text);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

export async function startHarness(
  opts: { faults?: FaultName[]; kongVersion?: string; now?: () => number; oxd?: FakeOxdOptions; upstream?: 'echo' | 'none'; sessionSecret?: string } = {},
): Promise<Harness> {
  const oxd = await FakeOxd.start({ now: opts.now, ...opts.oxd });
  const adminL = await bind('127.0.0.1', 0);
  const proxyL = await bind('127.0.0.1', 0);
  const echoL: Listening = await bind('127.0.0.1', 0);
  echoL.attach(createEchoApi());
  const settings = defaultSettings();
  settings.kong = { version: opts.kongVersion ?? '2.2.1' };
  settings.faults = new Faults(opts.faults ?? []);
  const urls = {
    kongAdmin: `http://127.0.0.1:${adminL.port}`,
    kongProxy: `http://127.0.0.1:${proxyL.port}`,
    oxd: oxd.url,
    oxauth: oxd.asUri,
    upstream: `http://127.0.0.1:${echoL.port}`,
    echo: `http://127.0.0.1:${echoL.port}`,
    website: `http://127.0.0.1:${echoL.port}`,
  };
  const kong = createKong({ settings, urls, log: () => undefined }, { now: opts.now, sessionSecret: opts.sessionSecret });
  adminL.attach(kong.admin);
  proxyL.attach(kong.proxy);

  const h: Harness = {
    adminUrl: urls.kongAdmin,
    proxyUrl: urls.kongProxy,
    echoUrl: urls.echo,
    oxd,
    async admin(method, path, body, headers = {}) {
      const hasBody = body !== undefined;
      const text = typeof body === 'string' ? body : hasBody ? JSON.stringify(body) : undefined;
      const hdrs = hasBody && typeof body !== 'string' ? { 'Content-Type': 'application/json', ...headers } : headers;
      return withJson(await request(method, `${urls.kongAdmin}${path}`, hdrs, text));
    },
    async proxy(method, path, headers = {}, body) {
      return withJson(await request(method, `${urls.kongProxy}${path}`, headers, body));
    },
    get(path, headers = {}) {
      return h.proxy('GET', path, { Host: HOST, ...headers });
    },
    pluginConfig(extra = {}) {
      return { oxd_id: P_OXD, oxd_url: oxd.url, client_id: P_ID, client_secret: P_SECRET, op_url: oxd.asUri, ...extra };
    },
    async tutorial(options = {}) {
      const created = async (path: string, body: unknown) => {
        const r = await h.admin('POST', path, body);
        if (r.status !== 201) throw new Error(`setup ${path}: ${r.status} ${r.text}`);
        return r.json as Record<string, string>;
      };
      const service = await created('/services', { name: 'claim-gathering', url: urls.echo });
      const route = await created('/routes', { name: 'claim-gathering', hosts: [HOST], service: { id: service.id } });
      const anonymous = await created('/consumers', { username: 'anonymous', custom_id: 'anonymous' });
      const consumer = await created('/consumers', { username: 'rqp-consumer', custom_id: C_ID });
      const ids: TutorialIds = {
        serviceId: service.id,
        routeId: route.id,
        anonymousId: anonymous.id,
        consumerId: consumer.id,
        authPluginId: '',
        pepPluginId: '',
      };
      if (!options.withoutAuth) {
        const auth = await created('/plugins', {
          name: 'gluu-uma-auth',
          service: { id: service.id },
          config: h.pluginConfig({ anonymous: anonymous.id, pass_credentials: 'pass', consumer_mapping: true, custom_headers: UI_CUSTOM_HEADERS, ...options.auth }),
        });
        ids.authPluginId = auth.id;
      }
      if (!options.withoutPep) {
        const pep = await created('/plugins', {
          name: 'gluu-uma-pep',
          service: { id: service.id },
          config: h.pluginConfig({ uma_scope_expression: JSON.stringify(TUTORIAL_EXPRESSION), deny_by_default: true, ...options.pep }),
        });
        ids.pepPluginId = pep.id;
      }
      return ids;
    },
    async close() {
      await Promise.all([adminL.close(), proxyL.close(), echoL.close(), oxd.close()]);
    },
  };
  return h;
}

/** The echo upstream's view of the request (sandbox/upstream/echo-api.ts). */
export interface Echoed {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function echoed(r: Reply): Echoed {
  return r.json as Echoed;
}
