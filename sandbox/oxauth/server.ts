// oxAuth's URL space wired to its handlers (oxauth.md §1). Unknown paths
// answer 404; a known path with another method 405 with `Allow` (RESTEasy);
// HEAD falls back to GET and OPTIONS lists the methods, as JAX-RS does, where
// the resource declares nothing of its own.
import type * as http from 'node:http';
import type { Component, ComponentContext } from '../component';
import { Router, send, type Handler, type Request } from '../lib/http';
import { endpoints, type AsContext } from './as-context';
import { CLAIMS_GATHERING_SCRIPTS, pagePath, type ClaimsGatheringScript } from './claims-gathering-script';
import { openIdDiscoveryText, umaDiscoveryText } from './discovery';
import { AuthorizeJsonError } from './authorization-request';
import { authorizeGet, authorizePost } from './authorize';
import { endSession } from './end-session';
import { OxAuthError, sendOxAuthError, umaError, errorJson } from './errors';
import { gatherClaimsGet, gatherClaimsPost } from './gather-claims';
import { introspectionGet, introspectionPost } from './introspection';
import { orgJson } from './java-json';
import { jwksDocument, makeAsKeys, type AsKeys } from './jwks';
import { authorizePageGet, authorizePagePost, loginPageGet, loginPagePost } from './login-flow';
import { OidcStore } from './oidc-store';
import { registerPermission } from './permission';
import { RPT_POLICY_SCRIPTS, type RptPolicyScript } from './policies';
import { readClient, registerClient, updateClient } from './registration';
import {
  createResource,
  deleteResource,
  getResource,
  listResources,
  methodNotAllowed,
  resourceOptions,
  updateResource,
} from './resource-registration';
import { rptStatusGet, rptStatusPost } from './rpt-introspection';
import { errorPage, gatheringPage } from './sample-pages';
import { scopeDescription } from './scopes';
import { jsfScript, stylesheet } from './static-assets';
import { AsStore, type Clock } from './store';
import { tokenEndpoint } from './token-endpoint';
import { userInfoGet, userInfoPost } from './userinfo';

export interface OxAuthDeps {
  keys: AsKeys;
  clock: Clock;
  /** Seeded state; a test may pass its own to look inside or to disable a client. */
  store?: AsStore;
  policyScripts?: readonly RptPolicyScript[];
  gatheringScripts?: readonly ClaimsGatheringScript[];
}

export function defaultDeps(keys: AsKeys = makeAsKeys()): OxAuthDeps {
  return { keys, clock: Date.now };
}

const BODY_LIMIT = 1024 * 1024;
const JSON_TYPE = { 'Content-Type': 'application/json' };

type AsHandler = (as: AsContext, req: Request, res: http.ServerResponse) => void | Promise<void>;

function routes(as: AsContext): Router {
  const r = new Router();
  const on = (method: string, path: string, h: AsHandler) => r.on(method, path, (req, res) => h(as, req, res));
  const R = '/oxauth/restv1';

  const uma = (_: AsContext, __: Request, res: http.ServerResponse) => send(res, 200, umaDiscoveryText(as.urls), JSON_TYPE);
  on('GET', '/.well-known/uma2-configuration', uma);
  on('GET', `${R}/uma2-configuration`, uma);
  const oidc = (_: AsContext, __: Request, res: http.ServerResponse) =>
    send(res, 200, openIdDiscoveryText(as.urls, [...as.store.scopes.values()].filter((s) => s.type === 'openid').map((s) => s.id)), JSON_TYPE);
  on('GET', '/.well-known/openid-configuration', oidc);
  on('GET', '/oxauth/.well-known/openid-configuration', oidc);
  on('GET', `${R}/jwks`, (_, __, res) => send(res, 200, orgJson(jwksDocument(as.keys), 4, true), JSON_TYPE));

  on('POST', `${R}/token`, tokenEndpoint);

  // OpenID Connect: authorization endpoint, its Faces pages, userinfo, logout.
  on('GET', `${R}/authorize`, authorizeGet);
  on('POST', `${R}/authorize`, authorizePost);
  on('GET', '/oxauth/authorize.htm', authorizePageGet);
  on('POST', '/oxauth/authorize.htm', authorizePagePost);
  on('GET', '/oxauth/login.htm', loginPageGet);
  on('POST', '/oxauth/login.htm', loginPagePost);
  on('GET', `${R}/userinfo`, userInfoGet);
  on('POST', `${R}/userinfo`, userInfoPost);
  on('GET', `${R}/end_session`, endSession);
  on('GET', '/oxauth/stylesheet/:file', stylesheet);
  on('GET', '/oxauth/javax.faces.resource/jsf.js.htm', jsfScript);
  on('POST', `${R}/register`, registerClient);
  on('GET', `${R}/register`, readClient);
  on('PUT', `${R}/register`, updateClient);
  on('POST', `${R}/introspection`, introspectionPost);
  on('GET', `${R}/introspection`, introspectionGet);

  on('GET', `${R}/uma/gather_claims`, gatherClaimsGet);
  on('POST', `${R}/uma/gather_claims`, gatherClaimsPost);
  on('POST', `${R}/host/rsrc_pr`, registerPermission);
  on('POST', `${R}/rpt/status`, rptStatusPost);
  on('GET', `${R}/rpt/status`, rptStatusGet);

  const rs = `${R}/host/rsrc/resource_set`;
  on('POST', rs, createResource);
  on('GET', rs, listResources);
  on('HEAD', rs, (_, req, res) => methodNotAllowed(req, res));
  on('OPTIONS', rs, (_, req, res) => methodNotAllowed(req, res));
  on('GET', `${rs}/:id`, getResource);
  on('HEAD', `${rs}/:id`, (a, req, res) => getResource(a, req, res, false));
  on('PUT', `${rs}/:id`, updateResource);
  on('DELETE', `${rs}/:id`, deleteResource);
  on('OPTIONS', `${rs}/:id`, (_, __, res) => resourceOptions(res));
  on('GET', `${R}/uma/scopes/:id`, scopeDescription);

  // The Faces pages of every installed claims-gathering script (sample: country.htm, city.htm).
  const seen = new Set<string>();
  for (const script of as.gatheringScripts) {
    script.steps.forEach((step, i) => {
      const path = pagePath(step.page);
      if (seen.has(path)) return;
      seen.add(path);
      const page: AsHandler = (a, req, res) => gatheringPage(a, script, i + 1, req, res);
      on('GET', path, page);
      on('POST', path, page);
    });
  }
  on('GET', '/oxauth/error.htm', errorPage);
  on('POST', '/oxauth/error.htm', errorPage);
  return r;
}

function allowedMethods(router: Router, req: Request): string[] {
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];
  return methods.filter((m) => router.match({ ...req, method: m }).route);
}

export function buildOxAuth(ctx: ComponentContext, deps: OxAuthDeps): Component {
  const store = deps.store ?? new AsStore(ctx.settings.as, deps.clock);
  if (ctx.recordSecret) store.onSecret = ctx.recordSecret;
  // The test users' passwords are secrets too (the suite's leak test looks for them).
  for (const user of ctx.settings.as.users) store.onSecret(user.password);
  const as: AsContext = {
    urls: endpoints(ctx.urls.oxauth),
    store,
    oidc: new OidcStore(deps.clock, (v) => store.onSecret(v)),
    settings: ctx.settings.as,
    faults: ctx.settings.faults,
    keys: deps.keys,
    policyScripts: deps.policyScripts ?? RPT_POLICY_SCRIPTS,
    gatheringScripts: deps.gatheringScripts ?? CLAIMS_GATHERING_SCRIPTS,
    log: (m) => ctx.log('oxauth', m),
  };
  const router = routes(as);

  const handler: Handler = async (req, res) => {
    let m = router.match(req);
    if (!m.route && req.method === 'HEAD') m = router.match({ ...req, method: 'GET' });
    if (!m.route) {
      if (!m.pathMatched) {
        send(res, 404, '', {});
        return;
      }
      const allow = allowedMethods(router, req);
      if (req.method === 'OPTIONS') send(res, 200, '', { Allow: allow.join(', ') });
      else send(res, 405, '', { Allow: allow.join(', ') });
      return;
    }
    req.params = m.params;
    try {
      await m.route.handler(req, res);
    } catch (e) {
      if (e instanceof AuthorizeJsonError) {
        send(res, e.status, e.body(), { 'Content-Type': e.contentType });
        return;
      }
      if (e instanceof OxAuthError) {
        sendOxAuthError(res, e, as.settings.errorReasonEnabled);
        return;
      }
      throw e;
    }
  };

  return {
    name: 'oxauth',
    handler,
    bodyLimit: BODY_LIMIT,
    // Jetty refuses an oversized form before oxAuth sees it.
    onTooLarge: (res) => send(res, 413, '', {}),
    onError: (res, err) => {
      as.log(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
      const e = umaError(500, 'server_error', 'Internal error.');
      send(res, 500, errorJson(e.list, e.error, e.reason, as.settings.errorReasonEnabled), JSON_TYPE);
    },
  };
}
