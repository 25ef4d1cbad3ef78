// The second tutorial's prerequisites (oidc-uma.md §1), when it is
// configured: the UMA scope that carries the policy (both modes); in
// existing mode the Kong route for OIDC_UMA_URL's host with both plugins,
// and that a browser without a session is sent to the AS to log in. The
// test user's login itself is a browser step: the @oidc-uma scenarios test it.
import { jsonObject, snippet, statusAndType, str } from './json-answer';
import type { DiscoveredEndpoints, ProbeContext } from './probe-context';
import { probeUmaScope } from './probes-prerequisites';
import { fail, ok, warn, type ProbeOutcome } from './report';
import type { KongList, KongPluginEntity, KongRouteEntity } from './wire';

const PLUGINS = ['gluu-openid-connect', 'gluu-uma-pep'];

/** The second tutorial's scope with the policy (OIDC_UMA_SCOPE). */
export function probeOidcUmaScope(ctx: ProbeContext, discovered: DiscoveredEndpoints): Promise<ProbeOutcome> {
  const scope = ctx.config.oidcUmaScope;
  return probeUmaScope(ctx, discovered, scope, {
    missing: (url) => ({
      problem: `the AS has no UMA scope "${scope}" for the second tutorial (${url} answered 404)`,
      fix: `Attach the uma_rpt_policy to the scope ${scope} in oxTrust > UMA > Scopes (the tutorial's "Gluu Server configuration"; the GG UI's uma-rs-protect creates the scope), or set OIDC_UMA_SCOPE to the scope that carries the policy.`,
    }),
    present: (name) => `UMA scope "${name}" exists at the AS (its policy is seen by the scenarios)`,
  });
}

async function listOf<T>(ctx: ProbeContext, path: string): Promise<T[] | string> {
  const url = `${ctx.config.ggAdminUrl}${path}`;
  const x = await ctx.http.kongAdmin.get(url);
  const j = jsonObject<KongList>(x, ctx.secrets);
  if (!j.ok) return `${url} ${j.problem}`;
  if (x.response.status !== 200 || !Array.isArray(j.body.data)) return `${url} answered ${statusAndType(x)}: "${snippet(x.response.text, ctx.secrets)}"`;
  return j.body.data as T[];
}

/** Kong's route for OIDC_UMA_URL's host, and both plugins on it or on its service (oidc-uma.md §1.1). */
export async function probeOidcUmaPlugins(ctx: ProbeContext): Promise<ProbeOutcome> {
  const host = new URL(ctx.config.oidcUmaUrl!).hostname;
  const routes = await listOf<KongRouteEntity>(ctx, '/routes?size=1000');
  if (typeof routes === 'string') return fail(routes, 'Point GG_ADMIN_URL at the Kong Admin API.');
  const route = routes.find((r) => Array.isArray(r.hosts) && r.hosts.includes(host));
  if (!route) {
    return fail(`Kong has no route for host ${host} (OIDC_UMA_URL)`, `Add the tutorial's route (hosts ["${host}"]) to the website's service, or set OIDC_UMA_URL to the website as the browser reaches it.`);
  }
  const id = String(route.id);
  const onRoute = await listOf<KongPluginEntity>(ctx, `/routes/${encodeURIComponent(id)}/plugins`);
  if (typeof onRoute === 'string') return fail(onRoute, 'Point GG_ADMIN_URL at the Kong Admin API.');
  const serviceId = route.service && typeof route.service === 'object' ? str((route.service as { id?: unknown }).id) : undefined;
  const onService = serviceId ? await listOf<KongPluginEntity>(ctx, `/services/${encodeURIComponent(serviceId)}/plugins`) : [];
  const all = [...onRoute, ...(typeof onService === 'string' ? [] : onService)].filter((p) => p.enabled !== false);
  const missing = PLUGINS.filter((name) => !all.some((p) => p.name === name));
  if (missing.length) {
    return fail(
      `the route for ${host} has no enabled ${missing.join(' or ')} plugin`,
      "Add the GG UI's \"Gluu OIDC & UMA PEP\" plugin to the route, as in the tutorial's \"Gluu Gateway configuration\".",
    );
  }
  const pep = all.find((p) => p.name === 'gluu-uma-pep');
  const expression = str((pep?.config as { uma_scope_expression?: unknown } | undefined)?.uma_scope_expression) ?? '';
  if (!expression.includes(`"${ctx.config.oidcUmaScope}"`)) {
    return warn(`gluu-uma-pep on the route for ${host} does not protect anything with the scope ${ctx.config.oidcUmaScope}`, `Set OIDC_UMA_SCOPE to the scope of the UMA PEP's /settings/?? expression, or add it as in the tutorial.`);
  }
  return ok(`route for ${host} carries gluu-openid-connect and gluu-uma-pep (scope ${ctx.config.oidcUmaScope})`);
}

/** `GET OIDC_UMA_URL/settings/` without a cookie: gluu-openid-connect sends the browser to the AS (oidc-uma.md §2 F1). */
export async function probeOidcUmaLogin(ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = `${ctx.config.oidcUmaUrl}/settings/`;
  const x = await ctx.http.kongProxy.get(url);
  const location = x.response.headers.location;
  const tested = "the test user's login itself is a browser step, tested by the @oidc-uma scenarios";
  if (x.response.status === 302 && location) {
    const target = new URL(location, url);
    if (target.searchParams.get('response_type') === 'code' && target.origin === new URL(ctx.config.ceUrl).origin) {
      return ok(`a browser without a session is sent to ${target.origin}${target.pathname} to log in; ${tested}`);
    }
    return warn(`GET ${url} redirects to ${target.origin}${target.pathname}, not to an authorization request at CE_URL`, `Check the gluu-openid-connect plugin's op_url and the OP client's AS; ${tested}.`);
  }
  const j = jsonObject<{ message?: unknown }>(x, ctx.secrets);
  if (x.response.status === 404 && j.ok && j.body.message === 'no Route matched with those values') {
    return fail(`Kong has no route for ${url} (404 "no Route matched with those values")`, 'Set OIDC_UMA_URL to the website as the browser reaches it through Kong (the route\'s host).');
  }
  return warn(`GET ${url} answered ${statusAndType(x)}, not a redirect to the login`, `The scenarios will judge this answer; ${tested}.`);
}
