// Reachability probes: each endpoint the suite talks to answers, and answers
// like the product it should be. Network and TLS failures are thrown by the
// HttpClient as EnvironmentError and turned into FAIL rows by the runner.
import * as crypto from 'node:crypto';
import { ECHO_NOT_SEEN } from '../../../support/clients/echo-upstream';
import { jsonObject, snippet, statusAndType, str } from './json-answer';
import type { DiscoveredEndpoints, ProbeContext } from './probe-context';
import { fail, ok, warn, type ProbeOutcome } from './report';
import type { KongMessage, KongRootInfo, OxdErrorBody, OxdHealth, UmaDiscovery } from './wire';

const ADMIN_FIX = 'Point GG_ADMIN_URL at the Kong Admin API (port 8001 by default; the GG Admin UI on 1338 is not it).';
const PROXY_FIX = 'Point GG_PROXY_URL at the Kong proxy (port 8000 by default, 443 in GG installs).';
const OXD_FIX = 'Point OXD_HOST at oxd-server (https, port 8443 by default; the admin port 8444 is not it).';
const AS_FIX = 'Point CE_URL at the Gluu Server, the AS issuer (e.g. https://idp.example.org, without /oxauth).';
const GG_PLUGINS = ['gluu-uma-auth', 'gluu-uma-pep'];
/** gateway.md §6.3 R16. */
const KONG_NO_ROUTE = 'no Route matched with those values';

function pluginNames(available: unknown): string[] | undefined {
  if (Array.isArray(available)) return available.map(String);
  if (available && typeof available === 'object') return Object.keys(available);
  return undefined;
}

/** `GET {GG_ADMIN_URL}/`: Kong's node information, with its version and plugins. */
export async function probeKongAdmin(ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = `${ctx.config.ggAdminUrl}/`;
  const x = await ctx.http.kongAdmin.get(url);
  const j = jsonObject<KongRootInfo>(x, ctx.secrets);
  if (x.response.status === 401 || x.response.status === 403) {
    return fail(`${url} answered ${statusAndType(x)}: the Admin API wants credentials the suite does not send`, 'Give the suite direct access to the Kong Admin API (no auth plugin or RBAC in front of it), or point GG_ADMIN_URL at such a listener.');
  }
  if (!j.ok) return fail(`${url} ${j.problem}`, ADMIN_FIX);
  if (x.response.status !== 200) return fail(`${url} answered ${statusAndType(x)}`, ADMIN_FIX);
  const version = str(j.body.version);
  if (!version) return fail(`${url} answered JSON without a version: this is not the Kong Admin API`, ADMIN_FIX);
  const names = pluginNames(j.body.plugins?.available_on_server);
  const missing = names ? GG_PLUGINS.filter((p) => !names.includes(p)) : [];
  if (missing.length) {
    return fail(`Kong ${version} at ${url} has no ${missing.join(' and no ')} plugin: this is not Gluu Gateway`, "Use Gluu Gateway 4.2's Kong, which loads the gluu-uma-auth and gluu-uma-pep plugins.");
  }
  if (!/^2\./.test(version)) return warn(`Kong ${version} at ${url}`, 'The suite is written for Gluu Gateway 4.2, which runs Kong 2.x; results on other versions may differ.');
  return ok(`Kong ${version} at ${url}`);
}

/** `GET {GG_PROXY_URL}/` with a made-up Host: any HTTP answer proves the proxy is reachable. */
export async function probeKongProxy(ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = `${ctx.config.ggProxyUrl}/`;
  const host = `preflight-${crypto.randomBytes(4).toString('hex')}.invalid`;
  const x = await ctx.http.kongProxy.get(url, { Host: host });
  const server = x.response.headers.server ?? '';
  const j = jsonObject<KongMessage>(x, ctx.secrets);
  const message = j.ok ? str(j.body.message) : undefined;
  if (x.response.status === 404 && message === KONG_NO_ROUTE) return ok(`Kong at ${url} answered 404 "${KONG_NO_ROUTE}" for an unknown host, as it should`);
  if (/^kong\//i.test(server) || message !== undefined) return ok(`${url} answered ${statusAndType(x)} for an unknown host${server ? ` (Server: ${server})` : ''}`);
  // Reachable, so not a reason to stop: a load balancer in front of Kong may answer unknown hosts itself.
  return warn(
    `${url} ${j.ok ? `answered ${statusAndType(x)}` : j.problem}; Kong answers an unknown host with JSON 404 "${KONG_NO_ROUTE}"`,
    `${PROXY_FIX} A load balancer in front of Kong may answer like this; if so, ignore this warning.`,
  );
}

/** `GET {OXD_HOST}/health-check` → `status: "running"` (oxd.md §4.1). */
export async function probeOxd(ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = `${ctx.config.oxdUrl}/health-check`;
  const x = await ctx.http.oxd.get(url);
  const j = jsonObject<OxdHealth & OxdErrorBody>(x, ctx.secrets);
  if (!j.ok) return fail(`${url} ${j.problem}`, OXD_FIX);
  if (x.response.status === 403 && j.body.error === 'oxd_access_denied') {
    return fail(`oxd at ${url} refuses requests from this machine (oxd_access_denied)`, "Add this machine's IP address to bind_ip_addresses in oxd-server.yml and restart oxd.");
  }
  if (x.response.status !== 200) return fail(`${url} answered ${statusAndType(x)}: "${snippet(x.response.text, ctx.secrets)}"`, OXD_FIX);
  const status = str(j.body.status);
  if (status !== 'running') return fail(`${url} answered status ${status === undefined ? '(none)' : `"${status}"`}, not "running"`, `${OXD_FIX} If it is oxd, it is not ready: see oxd-server.log.`);
  const version = str(j.body.version);
  return ok(`oxd${version ? ` ${version}` : ''} running at ${ctx.config.oxdUrl}`);
}

const ECHO_FIX = "Point ECHO_UPSTREAM_URL at the suite's echo upstream (`npm run sandbox -- --only echo`), the one Kong's echo service proxies to, or unset it to skip the echo scenarios.";

/**
 * `GET {ECHO_UPSTREAM_URL}/__echo/requests/<random id>` → 404 {"message":"no request with …"}:
 * the suite's echo, which the upstream scenarios ask what reached the API.
 */
export async function probeEchoUpstream(ctx: ProbeContext): Promise<ProbeOutcome> {
  const base = ctx.config.echoUpstreamUrl!;
  const url = `${base}/__echo/requests/preflight-${crypto.randomBytes(4).toString('hex')}`;
  const x = await ctx.http.echo.get(url);
  const j = jsonObject<KongMessage>(x, ctx.secrets);
  if (!j.ok) return fail(`${url} ${j.problem}`, ECHO_FIX);
  const message = str(j.body.message);
  if (x.response.status === 404 && message !== undefined && ECHO_NOT_SEEN.test(message)) return ok(`echo upstream at ${base} answers lookups`);
  return fail(`${url} answered ${statusAndType(x)}${message ? ` "${message}"` : ''}: not the suite's echo upstream`, ECHO_FIX);
}

export interface DiscoveryOutcome extends ProbeOutcome {
  endpoints?: DiscoveredEndpoints;
}

/** `GET {CE_URL}/.well-known/uma2-configuration` (oxauth.md §2). */
export async function probeDiscovery(ctx: ProbeContext): Promise<DiscoveryOutcome> {
  const ce = ctx.config.ceUrl;
  const url = `${ce}/.well-known/uma2-configuration`;
  const x = await ctx.http.as.get(url);
  const j = jsonObject<UmaDiscovery>(x, ctx.secrets);
  if (!j.ok) return fail(`${url} ${j.problem}`, AS_FIX);
  if (x.response.status !== 200) return fail(`${url} answered ${statusAndType(x)}: "${snippet(x.response.text, ctx.secrets)}"`, AS_FIX);
  const doc = j.body;
  const missing = (['token_endpoint', 'claims_interaction_endpoint'] as const).filter((m) => !str(doc[m]));
  if (missing.length) {
    return fail(`the UMA discovery document at ${url} lists no ${missing.join(' and no ')}`, `${AS_FIX} The suite needs both endpoints; Gluu Server 4.2 lists them.`);
  }
  const endpoints: DiscoveredEndpoints = { claimsInteractionEndpoint: str(doc.claims_interaction_endpoint)!, scopeEndpoint: str(doc.scope_endpoint) };
  const issuer = str(doc.issuer);
  if (issuer !== ce) {
    return {
      ...warn(
        `the discovery issuer is ${issuer === undefined ? '(none)' : `"${issuer}"`} but CE_URL is "${ce}"`,
        'Set CE_URL to the issuer exactly: the scenarios compare the gateway\'s as_uri and the need_info claim issuers to CE_URL.',
      ),
      endpoints,
    };
  }
  return { ...ok(`issuer ${issuer}; token and claims interaction endpoints listed`), endpoints };
}
