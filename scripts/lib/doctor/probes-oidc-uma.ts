// The second tutorial's prerequisites (oidc-uma.md §1), when it is
// configured: the UMA scope that carries the policy (both modes); in
// existing mode the Kong route for OIDC_UMA_URL's host with both plugins set
// up as the tutorial's (paths, obtain_rpt, redirect_claim_gathering_url),
// and that a browser without a session is sent to the AS to log in, where
// the test user logs in (a browser, as the scenarios use).
import { jsonObject, snippet, statusAndType, str } from './json-answer';
import type { DiscoveredEndpoints, ProbeContext } from './probe-context';
import { probeUmaScope } from './probes-prerequisites';
import { fail, ok, warn, type ProbeOutcome } from './report';
import type { KongList, KongPluginEntity, KongRouteEntity } from './wire';
import { OIDC_UMA_PATHS } from '../../../support/provisioning';
import { WebsiteBrowser } from '../../../support/clients/website-browser';
import { closeSharedBrowser } from '../../../support/clients/claims-browser';

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
  const settings = pluginSettingsProblems(all);
  if (settings.length) {
    return fail(
      `the plugins on the route for ${host} are not set up as in the tutorial: ${settings.join('; ')}`,
      'Set these in the GG UI\'s "Gluu OIDC & UMA PEP" form of the route as the tutorial\'s "Gluu Gateway configuration" does (the scenarios open these paths).',
    );
  }
  const pep = all.find((p) => p.name === 'gluu-uma-pep');
  const expression = str((pep?.config as { uma_scope_expression?: unknown } | undefined)?.uma_scope_expression) ?? '';
  if (!expression.includes(`"${ctx.config.oidcUmaScope}"`)) {
    return warn(`gluu-uma-pep on the route for ${host} does not protect anything with the scope ${ctx.config.oidcUmaScope}`, `Set OIDC_UMA_SCOPE to the scope of the UMA PEP's /settings/?? expression, or add it as in the tutorial.`);
  }
  return ok(`route for ${host} carries gluu-openid-connect and gluu-uma-pep (scope ${ctx.config.oidcUmaScope})`);
}

const configOf = (plugins: KongPluginEntity[], name: string): Record<string, unknown> => {
  const c = plugins.find((p) => p.name === name)?.config;
  return c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
};

/**
 * What the scenarios need of the two plugins' settings (oidc-uma.md §1.2,
 * §1.3): the tutorial's callback, logout and post-logout paths (the browser
 * opens them), and the PEP in OIDC mode with obtain_rpt and
 * redirect_claim_gathering_url (else GG answers the logged-in browser 401 or
 * 502 instead of the claims pages, §3.5 U7/U11) with its claims redirect
 * path. post_logout_redirect_path_or_url may be a URL (used verbatim by GG,
 * §3.6 step 4); it must then end with the tutorial's path.
 */
export function pluginSettingsProblems(plugins: KongPluginEntity[]): string[] {
  const oidc = configOf(plugins, 'gluu-openid-connect');
  const pep = configOf(plugins, 'gluu-uma-pep');
  const problems: string[] = [];
  const expectPath = (plugin: string, conf: Record<string, unknown>, field: string, path: string) => {
    if (conf[field] !== path) problems.push(`${plugin} ${field} is ${conf[field] === undefined || conf[field] === null ? 'not set' : JSON.stringify(conf[field])}, not "${path}"`);
  };
  expectPath('gluu-openid-connect', oidc, 'authorization_redirect_path', OIDC_UMA_PATHS.callback);
  expectPath('gluu-openid-connect', oidc, 'logout_path', OIDC_UMA_PATHS.logout);
  const postLogout = oidc.post_logout_redirect_path_or_url;
  const postLogoutPath = typeof postLogout === 'string' ? (postLogout.startsWith('/') ? postLogout : URL.canParse(postLogout) ? new URL(postLogout).pathname : postLogout) : undefined;
  if (postLogoutPath !== OIDC_UMA_PATHS.postLogout) {
    problems.push(`gluu-openid-connect post_logout_redirect_path_or_url is ${postLogout === undefined || postLogout === null ? 'not set (GG 4.2 answers the logout 500 without it)' : JSON.stringify(postLogout)}, not "${OIDC_UMA_PATHS.postLogout}"`);
  }
  for (const flag of ['obtain_rpt', 'redirect_claim_gathering_url'] as const) {
    if (pep[flag] !== true) problems.push(`gluu-uma-pep ${flag} is off`);
  }
  expectPath('gluu-uma-pep', pep, 'claims_redirect_path', OIDC_UMA_PATHS.claimsCallback);
  return problems;
}

/**
 * The test user logs in at the AS, in a browser as the scenarios do: the
 * settings page, the AS's login page, TEST_USER_NAME and
 * TEST_USER_PASSWORD, Login. Shown the login page again, the AS refused the
 * user (wrong name or password, a locked or inactive account). The consent
 * and claims pages that follow are left unanswered: nothing is granted.
 */
async function testUserLogsIn(ctx: ProbeContext, url: string): Promise<ProbeOutcome> {
  const config = ctx.config;
  const fixUser = 'Set TEST_USER_NAME and TEST_USER_PASSWORD to a Gluu Server user who can log in (oxTrust > Users: active, password known).';
  let browser: WebsiteBrowser;
  try {
    const origins = { [new URL(url).origin]: 'Kong proxy', [new URL(config.ceUrl).origin]: 'authorization server' };
    browser = await WebsiteBrowser.open({ ...config.browser, tlsInsecure: config.tlsInsecure }, origins, false);
  } catch (err) {
    await closeSharedBrowser();
    return warn(`the test user's login could not be tried: ${(err as Error).message.split('\n')[0]}`, 'The @oidc-uma scenarios need the same browser; see UMA_BROWSER_PATH / UMA_BROWSER_WS.');
  }
  try {
    await browser.open(url);
    if ((await browser.pageKind()) !== 'login') return warn(`a browser opening ${url} was not shown the AS's login page (loginForm:username)`, 'The scenarios will judge this; check the route and the gluu-openid-connect plugin.');
    await browser.logIn(config.testUser!);
    const next = await browser.pageKind();
    if (next === 'login') return fail("the AS did not accept the test user's login: after TEST_USER_NAME and TEST_USER_PASSWORD it showed its login page again", fixUser);
    const where = next === 'consent' ? 'the consent page' : next === 'claims' ? 'the claims pages' : 'the website';
    return ok(`a browser without a session is sent to the AS's login, and the test user logs in (next: ${where}, left unanswered)`);
  } catch (err) {
    return warn(`the test user's login could not be completed in the browser: ${ctx.secrets.maskText((err as Error).message.split('\n')[0])}`, 'The @oidc-uma scenarios will show where the login stops.');
  } finally {
    await browser.close().catch(() => undefined);
    await closeSharedBrowser();
  }
}

/**
 * `GET OIDC_UMA_URL/settings/` without a cookie: gluu-openid-connect sends
 * the browser to the AS (oidc-uma.md §2 F1); then the test user's login.
 */
export async function probeOidcUmaLogin(ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = `${ctx.config.oidcUmaUrl}/settings/`;
  const x = await ctx.http.kongProxy.get(url);
  const location = x.response.headers.location;
  if (x.response.status === 302 && location) {
    const target = new URL(location, url);
    if (target.searchParams.get('response_type') === 'code' && target.origin === new URL(ctx.config.ceUrl).origin) return testUserLogsIn(ctx, url);
    return warn(`GET ${url} redirects to ${target.origin}${target.pathname}, not to an authorization request at CE_URL`, "Check the gluu-openid-connect plugin's op_url and the OP client's AS; the test user's login was not tried.");
  }
  const j = jsonObject<{ message?: unknown }>(x, ctx.secrets);
  if (x.response.status === 404 && j.ok && j.body.message === 'no Route matched with those values') {
    return fail(`Kong has no route for ${url} (404 "no Route matched with those values")`, 'Set OIDC_UMA_URL to the website as the browser reaches it through Kong (the route\'s host).');
  }
  return warn(`GET ${url} answered ${statusAndType(x)}, not a redirect to the login`, "The scenarios will judge this answer; the test user's login was not tried.");
}
