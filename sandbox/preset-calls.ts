// What every preset step shares: each call awaited and recorded, a failing
// answer turned into one clear error naming the step.
import type { StackUrls } from './component';
import { jsonOf, postJson, request, type ClientResponse } from './lib/http-client';

export interface PresetResult {
  /** The settings of an external run against this preset (reference names). */
  env: Record<string, string>;
  /** Names in `env` whose values are secrets. */
  secretKeys: string[];
}

/** One call a preset made, for its log and its tests. */
export interface PresetStep {
  what: string;
  status: number;
}

/** Awaits one call; a non-2xx or non-JSON answer stops the preset with the step's name and the answer. */
export async function ok(steps: PresetStep[], what: string, res: Promise<ClientResponse>): Promise<Record<string, unknown>> {
  const r = await res;
  steps.push({ what, status: r.status });
  const body = jsonOf(r);
  if (r.status < 200 || r.status > 299 || typeof body !== 'object' || body === null) {
    throw new Error(`preset step "${what}" failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  return body as Record<string, unknown>;
}

export function getJson(steps: PresetStep[], what: string, url: string): Promise<Record<string, unknown>> {
  return ok(steps, what, request('GET', url));
}

/** A plugin OP client as oxd's register-site answers it. */
export interface PresetOpClient {
  oxd_id: string;
  client_id: string;
  client_secret: string;
}

/**
 * The GG UI's protection of the plugin's paths (both tutorials): the OP
 * client's protection token from get-client-token (scope openid oxd), then
 * uma-rs-protect of the expression with it (oxd.md §4.4, §4.6). Member
 * order in the bodies is not significant to oxd (Jackson).
 */
export async function protectResources(steps: PresetStep[], oxdUrl: string, opHost: string, client: PresetOpClient, resources: unknown): Promise<void> {
  const token = await ok(steps, 'get-client-token', postJson(`${oxdUrl}/get-client-token`, { op_host: opHost, client_id: client.client_id, client_secret: client.client_secret, scope: ['openid', 'oxd'] }));
  await ok(steps, 'uma-rs-protect', postJson(`${oxdUrl}/uma-rs-protect`, { oxd_id: client.oxd_id, resources }, { Authorization: `Bearer ${String(token.access_token)}` }));
}

/**
 * The settings every external run against this stack shares: the listeners'
 * URLs, TLS without verification (the sandbox's self-signed certificates)
 * and the provisioning mode. Presets add their own objects' settings.
 */
export function stackEnv(urls: StackUrls, provision: 'auto' | 'existing'): Record<string, string> {
  return {
    UMA_TARGET: 'external',
    UMA_PROVISION: provision,
    GG_ADMIN_URL: urls.kongAdmin,
    GG_PROXY_URL: urls.kongProxy,
    OXD_HOST: urls.oxd,
    CE_URL: urls.oxauth,
    UMA_TLS_INSECURE: 'true',
    UPSTREAM_URL: urls.upstream,
    ECHO_UPSTREAM_URL: urls.echo,
    WEBSITE_UPSTREAM_URL: urls.website,
  };
}
