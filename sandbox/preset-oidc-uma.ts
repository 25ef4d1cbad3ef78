// `--preset oidc-uma`: the manual steps of GG 4.2's "OpenID Connect
// Authentication and UMA PEP Authorization" tutorial (oidc-uma.md §1.1,
// §1.3, §1.4), made over HTTP against the running stack in the order and
// with the bodies the GG Admin UI sends them (gluu-gateway-ui
// version_4.2.2 `openid-plugin-controller.js` addPlugin lines 496–626, new
// plugin defaults lines 198–262; `api/controllers/ClientsController.js`
// addOPClient lines 275–395), so that existing-environment runs of the
// second tutorial can be tried against the sandbox.
import type { StackUrls } from './component';
import { getJson, ok, protectResources, stackEnv, type PresetOpClient, type PresetResult, type PresetStep } from './preset-calls';
import { postJson } from './lib/http-client';

export const OIDC_UMA = {
  /** Tutorial step "Add Service" (the text also says oidc-opa-demo once: a doc typo, §1.1). */
  serviceName: 'oidc-uma-demo',
  routeName: 'oidc-uma-demo',
  scope: 'with-claims',
  /** The tutorial's UMA PEP path, as its explanation and run_tests.sh mean it (§1.3 "Path ambiguity"). */
  path: '/settings/??',
  clientName: 'gg-openid-connect-client',
  authorizationRedirectPath: '/callback',
  logoutPath: '/logout',
  postLogoutRedirectPath: '/logout_redirect_uri',
  claimsRedirectPath: '/claims_callback',
  requestedScopes: ['openid', 'oxd', 'email', 'profile', 'uma_protection'],
  /** 60 minutes in the form, sent as seconds (getSeconds). */
  maxAge: 3600,
};

/** The UI's four default custom headers (controller lines 238–262). */
export const UI_OIDC_CUSTOM_HEADERS = [
  { header_name: 'http-kong-id-token-{*}', value_lua_exp: 'id_token', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo-{*}', value_lua_exp: 'userinfo', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo', value_lua_exp: 'userinfo', format: 'jwt', iterate: false, sep: ' ' },
  { header_name: 'http-kong-id-token', value_lua_exp: 'id_token', format: 'jwt', iterate: false, sep: ' ' },
];

export const UMA_EXPRESSION = [
  { path: OIDC_UMA.path, conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: [OIDC_UMA.scope] } }] },
];

/**
 * The route host and the base URL the browser uses for it ({GG}). The
 * tutorial's route host is a DNS name (dev1.gluu.org); here the browser must
 * get there without DNS, so the host is the proxy URL's own host, with one
 * exception: the default loopback IP 127.0.0.1 becomes `localhost` (the same
 * listener; browsers and Node resolve it without DNS). That keeps the IP
 * free of a host route: Kong 2.2's router tries host routes before
 * path-only ones (router.lua category order), so a `hosts: ["127.0.0.1"]`
 * route would capture every host-less route the suite's auto provisioning
 * creates on GG_PROXY_URL, and the doctor's "no route matched" probe. Kong
 * 2.2 accepts both as route hosts (typedefs wildcard_host →
 * utils.normalize_ip: IPv4 or a hostname) and matches them without the
 * port. Cookies do not separate ports: the GG cookies on `localhost` also
 * reach the AS at https://localhost:<port>; their names do not clash.
 */
export function oidcUmaBase(proxyUrl: string): { host: string; base: string } {
  const url = new URL(proxyUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return { host: url.hostname, base: url.origin };
}

/** The plugin bodies as addPlugin builds them, with the UI's placeholder credentials until the OP client exists. */
function pluginBodies(urls: StackUrls, routeId: string, gg422: boolean) {
  const oidc = {
    name: 'gluu-openid-connect',
    route: { id: routeId },
    tags: null,
    config: {
      oxd_id: 'schema-test',
      oxd_url: urls.oxd,
      client_id: 'schema-test',
      client_secret: 'schema-test',
      op_url: urls.oxauth,
      authorization_redirect_path: OIDC_UMA.authorizationRedirectPath,
      logout_path: OIDC_UMA.logoutPath,
      post_logout_redirect_path_or_url: OIDC_UMA.postLogoutRedirectPath,
      requested_scopes: OIDC_UMA.requestedScopes,
      // The ACR expression switch is off: `delete model.required_acrs_expression` → null.
      required_acrs_expression: null,
      max_id_token_age: OIDC_UMA.maxAge,
      max_id_token_auth_age: OIDC_UMA.maxAge,
      custom_headers: UI_OIDC_CUSTOM_HEADERS,
      restore_original_auth_params: false,
    },
  };
  const pep = {
    name: 'gluu-uma-pep',
    route: { id: routeId },
    config: {
      oxd_id: 'schema_test',
      client_id: 'schema_test',
      client_secret: 'schema_test',
      op_url: urls.oxauth,
      oxd_url: urls.oxd,
      uma_scope_expression: JSON.stringify(UMA_EXPRESSION),
      // The form's default is true; the tutorial switches it off.
      deny_by_default: false,
      // UI 4.2.2 only (GG issue #452); Kong of GG 4.2.0/4.2.1 refuses the two fields.
      ...(gg422 ? { read_claims_from_pct: false, claims_gathering_pct_value: null } : {}),
      require_id_token: true,
      obtain_rpt: true,
      redirect_claim_gathering_url: true,
      claims_redirect_path: OIDC_UMA.claimsRedirectPath,
      pushed_claims_lua_exp: '{id_token=id_token,userinfo=userinfo}',
    },
  };
  return { oidc, pep };
}

const withClient = <T extends { config: Record<string, unknown> }>(body: T, c: PresetOpClient): T => ({
  ...body,
  config: { ...body.config, oxd_id: c.oxd_id, client_id: c.client_id, client_secret: c.client_secret },
});

/** The tutorial's objects; `steps` records each call and its status, in order. */
export async function applyOidcUmaPreset(urls: StackUrls, steps: PresetStep[] = []): Promise<PresetResult> {
  const { host, base } = oidcUmaBase(urls.kongProxy);
  const kong = await getJson(steps, 'Kong node info', `${urls.kongAdmin}/`);
  const gg422 = String(kong.version ?? '').startsWith('2.2.');

  // Tutorial "Add Service" and "Add Route" (§1.1): Kong's defaults for the rest.
  const service = await ok(steps, 'service', postJson(`${urls.kongAdmin}/services`, { name: OIDC_UMA.serviceName, url: urls.website }));
  const route = await ok(steps, 'route', postJson(`${urls.kongAdmin}/routes`, { name: OIDC_UMA.routeName, hosts: [host], service: { id: service.id } }));

  // "Add plugin" → Gluu OIDC & UMA PEP (§1.4 steps 1–6).
  const { oidc, pep } = pluginBodies(urls, String(route.id), gg422);
  await ok(steps, 'validate gluu-openid-connect', postJson(`${urls.kongAdmin}/schemas/plugins/validate`, oidc));
  await ok(steps, 'validate gluu-uma-pep', postJson(`${urls.kongAdmin}/schemas/plugins/validate`, pep));
  const site = await ok(
    steps,
    'register-site',
    postJson(`${urls.oxd}/register-site`, {
      op_host: urls.oxauth,
      oxd_url: urls.oxd,
      redirect_uris: [`${base}${OIDC_UMA.authorizationRedirectPath}`],
      client_name: OIDC_UMA.clientName,
      post_logout_redirect_uris: [`${base}${OIDC_UMA.postLogoutRedirectPath}`],
      scope: OIDC_UMA.requestedScopes,
      acr_values: [],
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      claims_redirect_uri: [`${base}${OIDC_UMA.claimsRedirectPath}`],
    }),
  );
  const client: PresetOpClient = { oxd_id: String(site.oxd_id), client_id: String(site.client_id), client_secret: String(site.client_secret) };
  await protectResources(steps, urls.oxd, urls.oxauth, client, UMA_EXPRESSION);
  await ok(steps, 'gluu-openid-connect plugin', postJson(`${urls.kongAdmin}/plugins`, withClient(oidc, client)));
  await ok(steps, 'gluu-uma-pep plugin', postJson(`${urls.kongAdmin}/plugins`, withClient(pep, client)));

  return {
    env: {
      ...stackEnv(urls, 'existing'),
      OIDC_UMA_URL: base,
      OIDC_UMA_SCOPE: OIDC_UMA.scope,
    },
    secretKeys: [],
  };
}
