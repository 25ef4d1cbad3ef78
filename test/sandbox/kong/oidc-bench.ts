// A bench for gluu-openid-connect tests: the echo upstream behind a service
// and a route (host gg.example.org unless the test changes the route), the
// OIDC plugin on the route (the GG UI's values), optionally gluu-uma-pep,
// the fake oxd, a moveable clock and a curl-like browser.
import assert from 'node:assert/strict';
import type { FaultName } from '../../../sandbox/faults';
import type { FakeOxdOptions } from '../doubles/fake-oxd';
import { Browser } from './browser';
import { P_ID, P_OXD, P_SECRET, startHarness, type Harness, type Reply } from './harness';

export const HOST = 'gg.example.org';
type Obj = Record<string, unknown>;

export interface Clock {
  t: number;
}

export interface OidcBench {
  h: Harness;
  browser: Browser;
  clock: Clock;
  base: string;
  oidcId: string;
  pepId?: string;
}

export function oidcConfig(h: Harness, extra: Obj = {}): Obj {
  return {
    oxd_id: P_OXD,
    oxd_url: h.oxd.url,
    client_id: P_ID,
    client_secret: P_SECRET,
    op_url: h.oxd.asUri,
    authorization_redirect_path: '/callback',
    logout_path: '/logout',
    post_logout_redirect_path_or_url: '/logout_redirect_uri',
    requested_scopes: ['openid', 'oxd', 'email', 'profile', 'uma_protection'],
    max_id_token_age: 3600,
    max_id_token_auth_age: 3600,
    ...extra,
  };
}

export async function withOidc(
  opts: { oidc?: Obj; pep?: Obj; faults?: FaultName[]; route?: Obj; oxd?: FakeOxdOptions },
  fn: (b: OidcBench) => Promise<void>,
): Promise<void> {
  const clock: Clock = { t: Date.now() / 1000 };
  const h = await startHarness({ now: () => clock.t, faults: opts.faults, oxd: opts.oxd });
  try {
    const created = async (path: string, body: unknown) => {
      const r = await h.admin('POST', path, body);
      assert.equal(r.status, 201, r.text);
      return r.json as Record<string, string>;
    };
    const service = await created('/services', { name: 'oidc-uma-demo', url: h.echoUrl });
    const route = await created('/routes', { name: 'oidc-uma-demo', hosts: [HOST], service: { id: service.id }, ...opts.route });
    const oidc = await created('/plugins', { name: 'gluu-openid-connect', route: { id: route.id }, config: oidcConfig(h, opts.oidc) });
    let pepId: string | undefined;
    if (opts.pep) {
      pepId = (await created('/plugins', { name: 'gluu-uma-pep', route: { id: route.id }, config: h.pluginConfig(opts.pep) })).id;
    }
    const browser = new Browser(h, { host: HOST, userAgent: 'Mozilla/5.0 (conformance)' });
    await fn({ h, browser, clock, base: browser.base, oidcId: oidc.id, pepId });
  } finally {
    await h.close();
  }
}

/** F1 → F5 with the fake oxd's default answers: returns the callback's answer. */
export async function login(b: OidcBench, path = '/settings/'): Promise<Reply> {
  const first = await b.browser.get(path);
  assert.equal(first.status, 302, first.text);
  const state = new URL(String(first.headers.location)).searchParams.get('state');
  return b.browser.get(`/callback?code=C1&state=${state}&session_id=x&scope=openid`);
}

