// gluu-openid-connect, priority 997 (GluuFederation/gluu-gateway @
// version_4.2.2 lib/kong/plugins/gluu-openid-connect/access.lua; oidc-uma.md
// §3): the gateway as OpenID Connect RP with oxd. Session in the
// `gluu_openid_connect_session` cookie (lua-resty-session 3.5), then, in
// this order: callback, logout, post-logout pass-through, acr expression,
// authorization (302 to the OP) or an authenticated request (custom headers,
// kong.ctx.shared for gluu-uma-pep, restore_original_auth_params).
import type { CustomHeader } from './custom-headers';
import { makeHeaders } from './custom-headers';
import { LuaError, luaField, luaToString, luaTruthy } from './lua-values';
import {
  acrAlreadyRequested,
  findIdTokenWithEnoughAcrs,
  getAcrs,
  getAnyIdToken,
  getAnyNotExpiredIdToken,
  getTokenAcrs,
  luaAdd,
  removeToken,
  setRequestedAcrs,
  type IdTokenData,
  type OidcSessionData,
} from './openid-connect-session';
import { OIDC_COMMANDS, OxdCallFailed, type OxdResponse, type PluginOxdConf } from './oxd-client';
import { matchPath, MatcherError, treeFor } from './path-matcher';
import { uriArgs } from './uri-args';
import { pathWithBaseUrl, setUpstreamHeader, type PluginDeps, type PluginRequest } from './plugin-context';
import type { RestySession } from './resty-session';
import { KongExit, unexpectedError } from './responses';

/** access.lua line 289 */
export const OIDC_SESSION_COOKIE = 'gluu_openid_connect_session';

export interface OpenIdConnectConf extends PluginOxdConf {
  authorization_redirect_path: string;
  logout_path?: string;
  post_logout_redirect_path_or_url?: string;
  requested_scopes?: string[];
  max_id_token_age: number;
  max_id_token_auth_age: number;
  required_acrs_expression?: string;
  restore_original_auth_params: boolean;
  custom_headers?: CustomHeader[];
}

/** Lua `%s`: the class GG's `ngx.var.uri:match"^([^%s]+)"` stops at (W13). */
const LUA_SPACE = /^[^ \t\n\v\f\r]+/;
const NO_CACHE = 'no-cache, no-store, max-age=0';
/** Kong's client_body_buffer_size: a larger body goes to a temp file, which get_body_data cannot read (W16). */
const CLIENT_BODY_BUFFER_SIZE = 8 * 1024;

const exit = (status: number, message?: string): KongExit => new KongExit(status, message === undefined ? undefined : { message });

export class OpenIdConnect {
  constructor(private readonly deps: PluginDeps) {}

  private time(): number {
    return Math.floor(this.deps.now());
  }

  async access(conf: OpenIdConnectConf, req: PluginRequest): Promise<void> {
    const session = this.deps.sessions.open(OIDC_SESSION_COOKIE, req);
    if (!this.deps.faults.on('session-cookie-sent-upstream')) session.hide();
    // SEC-W12: GG only sets the names make_headers produced (kong-common.lua make_headers / set_headers
    // @ version_4.2.2); a client-sent header of the same namespace that GG computes no value for reaches
    // the upstream. The fix profile removes every name the plugin's custom_headers could produce first.
    if (this.deps.faults.on('fix-userinfo-headers-dropped')) dropHeadersOfNamespace(req, conf.custom_headers);
    // SEC-W5: cookie storage keeps the session in the cookie alone, so a copy outlives the logout.
    // The fix profile refuses the id of a session that logged out (as server-side storage would).
    if (this.deps.faults.on('fix-logout-server-side') && this.deps.sessions.isEnded(session)) session.forget();
    const path = LUA_SPACE.exec(req.uri)?.[0] ?? '';

    if (path === conf.authorization_redirect_path) return this.authorizationResponse(conf, req, session);
    if (path === conf.logout_path) return this.logout(conf, req, session);
    if (path === conf.post_logout_redirect_path_or_url) return; // allowed, not authenticated

    let requiredAcrs: unknown;
    let noAuth: unknown;
    if (conf.required_acrs_expression !== undefined) {
      let rule;
      try {
        // method-path-tree-cache: strict cjson.decode, so bad JSON (accepted by the schema) is a Lua error here (O13)
        const tree = treeFor(conf.required_acrs_expression);
        rule = tree ? matchPath(tree, req.method, path) : undefined;
      } catch (e) {
        if (e instanceof MatcherError) throw new LuaError(e.message);
        throw e;
      }
      requiredAcrs = rule?.required_acrs;
      noAuth = rule?.no_auth;
    }
    const data = session.data as OidcSessionData;
    const now = this.time();

    if (luaTruthy(noAuth)) {
      const idToken = session.present ? getAnyNotExpiredIdToken(data, conf, now) : undefined;
      if (idToken !== undefined) this.requestAuthenticated(conf, req, session, idToken);
      return;
    }
    const acrs = luaTruthy(requiredAcrs) ? (requiredAcrs as string[]) : undefined;
    if (!session.present) return this.authorize(conf, req, session, undefined, acrs);
    if (!data.id_tokens) return this.authorize(conf, req, session, undefined, acrs);

    if (acrs === undefined) {
      const found = getAnyIdToken(data, conf, now);
      if (!found) throw new LuaError('assertion failed!');
      if (found.expiration === undefined) return this.requestAuthenticated(conf, req, session, found.idToken);
      const tokenAcrs = getTokenAcrs(data, found.idToken); // always nil (W19)
      removeToken(data, found.idToken);
      return this.authorize(conf, req, session, found.expiration === 'token' ? 'none' : 'login', tokenAcrs);
    }
    const found = findIdTokenWithEnoughAcrs(data, conf, acrs, now);
    if (!found) return this.authorize(conf, req, session, 'login', acrs);
    if (found.expiration === undefined) return this.requestAuthenticated(conf, req, session, found.idToken);
    return this.authorize(conf, req, session, found.expiration === 'token' ? 'none' : 'login', acrs);
  }

  /** An oxd call whose `err` GG answers with unexpected_error() (502 "ocurred"). */
  private async oxdOr502(call: () => Promise<OxdResponse>): Promise<OxdResponse> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof OxdCallFailed) throw unexpectedError();
      throw e;
    }
  }

  /** authorization_response (lines 66–173): the OP's redirect back with code and state (§3.2 O2–O8). */
  private async authorizationResponse(conf: OpenIdConnectConf, req: PluginRequest, session: RestySession): Promise<void> {
    const { oxd, faults } = this.deps;
    const skipSessionCheck = faults.on('callback-skips-session-check');
    if (!session.present && !skipSessionCheck) throw exit(400);
    const args = uriArgs(req.requestUri);
    const code = args.code;
    const state = args.state;
    // `error` is never read: an AS error redirect lands here (O3, W3)
    if (!luaTruthy(code) || !luaTruthy(state)) throw exit(400, 'missed code or state argument(s)');
    // SEC-W1: GG compares no state (access.lua lines 66–104 check only that a session exists; oxd accepts
    // any state it issued to any RP). The fix profile compares it with the one kept at the redirect.
    if (faults.on('fix-state-bound-to-browser')) {
      const data = session.data as OidcSessionData;
      if (typeof data.state !== 'string' || data.state !== state) throw exit(400, 'state does not match the session');
    }

    const ptoken = await oxd.protectionToken(conf);
    const tokens = await this.oxdOr502(() => OIDC_COMMANDS.getTokensByCode(oxd, conf.oxd_url, { oxd_id: conf.oxd_id, code, state }, ptoken));
    if (tokens.status !== 200) {
      this.deps.log(`get_tokens_by_code() responds with status ${tokens.status}`);
      throw unexpectedError();
    }
    const claims = luaField(tokens.body, 'id_token_claims') as IdTokenData;
    const now = this.time();
    if (typeof luaField(claims, 'exp') !== 'number') throw new LuaError("attempt to compare nil with number (field 'exp')");
    if ((claims.exp as number) < now) throw exit(500, 'OP returns expired id_token');
    if (luaAdd(claims.iat, conf.max_id_token_age, 'iat') < now) throw exit(500, 'OP returns id_token with too old iat');
    if (luaTruthy(claims.auth_time) && luaAdd(claims.auth_time, conf.max_id_token_auth_age, 'auth_time') < now) {
      throw exit(500, 'OP returns id_token with too old auth_time');
    }

    const data = session.data as OidcSessionData;
    let originalUrl: string | undefined = data.original_url;
    delete data.original_url;
    delete data.state;

    const ptoken2 = await oxd.protectionToken(conf);
    const accessToken = luaField(tokens.body, 'access_token');
    const userinfo = await this.oxdOr502(() => OIDC_COMMANDS.getUserInfo(oxd, conf.oxd_url, { oxd_id: conf.oxd_id, access_token: accessToken }, ptoken2));
    if (userinfo.status !== 200) {
      this.deps.log(`get_user_info() responds with status ${userinfo.status}`);
      throw unexpectedError();
    }

    session.start();
    if (!data.id_tokens) {
      data.id_tokens = {};
      data.access_tokens = {};
    }
    const idToken = luaField(tokens.body, 'id_token');
    if (idToken === undefined) throw new LuaError('table index is nil');
    if (!data.access_tokens) throw new LuaError("attempt to index local 'access_tokens' (a nil value)");
    if (data.requested_acrs !== undefined) claims.requested_acrs = data.requested_acrs;
    delete data.requested_acrs;
    const key = luaToString(idToken);
    data.id_tokens[key] = claims;
    if (accessToken !== undefined) data.access_tokens[key] = accessToken as string;
    data.userinfo = userinfo.body;
    session.save();

    if (originalUrl === undefined && skipSessionCheck) originalUrl = '/';
    // ngx.redirect(nil) raises after the tokens are saved (O8)
    if (typeof originalUrl !== 'string') throw new LuaError("bad argument #1 to 'redirect' (string expected, got nil)");
    throw new KongExit(302, undefined, {}, originalUrl);
  }

  /** authorize (lines 176–245): 302 to oxd's authorization URL, the original URL kept in the session (O1, O9, O10). */
  private async authorize(conf: OpenIdConnectConf, req: PluginRequest, session: RestySession, prompt: 'none' | 'login' | undefined, acrs: string[] | undefined): Promise<void> {
    const { oxd } = this.deps;
    const data = session.data as OidcSessionData;
    if (acrs !== undefined) {
      if (acrs.length === 0) throw new LuaError('assertion failed!');
      if (acrAlreadyRequested(data, acrs)) {
        // the loop guard; the session's acrs are concatenated without a separator (W19)
        throw exit(403, `The resource requires one of the [${acrs.join(';')}] acr(s), you have [${getAcrs(data).join('')}]`);
      }
    }
    const ptoken = await oxd.protectionToken(conf);
    const res = await this.oxdOr502(() =>
      OIDC_COMMANDS.getAuthorizationUrl(
        oxd,
        conf.oxd_url,
        { oxd_id: conf.oxd_id, prompt, scope: conf.requested_scopes, acr_values: acrs, params: { max_age: conf.max_id_token_age } },
        ptoken,
      ),
    );
    if (res.status !== 200) {
      this.deps.log(`get_authorization_url() responds with status ${res.status}`);
      throw unexpectedError();
    }
    const url = luaField(res.body, 'authorization_url');
    if (!luaTruthy(url)) throw unexpectedError();

    session.start();
    data.original_url = req.requestUri;
    if (this.deps.faults.on('fix-state-bound-to-browser')) data.state = stateOf(luaToString(url));
    if (conf.restore_original_auth_params && req.method !== 'GET') {
      data.original_requests_params = {
        method: req.method,
        content_type: firstHeader(req, 'content-type'),
        content_encoding: firstHeader(req, 'content-encoding'),
        body: bodyData(req),
      };
    }
    setRequestedAcrs(data, acrs);
    session.save();
    req.responseHeaders['Cache-Control'] = NO_CACHE;
    throw new KongExit(302, undefined, {}, luaToString(url));
  }

  /** request_authenticated (lines 247–284): what gluu-uma-pep and the upstream get. */
  private requestAuthenticated(conf: OpenIdConnectConf, req: PluginRequest, session: RestySession, idToken: string): void {
    const data = session.data as OidcSessionData;
    const claims = data.id_tokens?.[idToken];
    req.shared.requestToken = idToken;
    req.shared.requestTokenData = claims;
    req.shared.userinfo = data.userinfo;
    const env: Record<string, unknown> = { id_token: claims, userinfo: data.userinfo };
    if (!data.access_tokens) throw new LuaError("attempt to index field 'access_tokens' (a nil value)");
    const accessToken = data.access_tokens[idToken];
    if (luaTruthy(accessToken)) env.access_token = accessToken;
    const headers = makeHeaders(conf.custom_headers, env, idToken, this.deps.caches.headers);
    for (const [name, value] of Object.entries(headers)) setUpstreamHeader(req, name, value);

    const original = conf.restore_original_auth_params ? data.original_requests_params : undefined;
    if (original) {
      session.start();
      delete data.original_requests_params;
      session.save();
      req.upstreamMethod = original.method;
      // kong.service.request.set_header / set_raw_body refuse nil
      if (typeof original.content_type !== 'string') throw new LuaError('invalid header value for "content-type": got nil, expected string, number or boolean');
      setUpstreamHeader(req, 'content-type', original.content_type);
      if (typeof original.content_encoding === 'string') setUpstreamHeader(req, 'content-encoding', original.content_encoding);
      if (typeof original.body !== 'string') throw new LuaError('body must be a string');
      req.upstreamBody = Buffer.from(original.body, 'latin1');
    }
  }

  /** process_logout (lines 14–63): get-logout-uri, delete the OIDC cookie only, 302 to the end_session URL (§3.6). */
  private async logout(conf: OpenIdConnectConf, req: PluginRequest, session: RestySession): Promise<void> {
    const { oxd, faults } = this.deps;
    if (!session.present) throw exit(400);
    const data = session.data as OidcSessionData;
    if (!data.id_tokens) throw new LuaError("bad argument #1 to 'pairs' (table expected, got nil)");
    const hint = Object.keys(data.id_tokens)[0];
    const ptoken = await oxd.protectionToken(conf);
    const target = conf.post_logout_redirect_path_or_url;
    if (target === undefined) throw new LuaError("attempt to index field 'post_logout_redirect_path_or_url' (a nil value)");
    const postLogout = target.startsWith('/') ? pathWithBaseUrl(req, target) : target;
    const res = await this.oxdOr502(() =>
      OIDC_COMMANDS.getLogoutUri(oxd, conf.oxd_url, { oxd_id: conf.oxd_id, id_token_hint: hint, post_logout_redirect_uri: postLogout }, ptoken),
    );
    if (res.status !== 200) {
      this.deps.log(`get_logout_uri() responds with status ${res.status}`);
      throw exit(502);
    }
    if (!faults.on('logout-keeps-session')) {
      if (faults.on('fix-logout-server-side')) this.deps.sessions.end(session);
      session.start();
      session.destroy();
    }
    req.responseHeaders['Cache-Control'] = NO_CACHE;
    const uri = luaField(res.body, 'uri');
    if (typeof uri !== 'string') throw new LuaError("bad argument #1 to 'redirect' (string expected, got nil)");
    throw new KongExit(302, undefined, {}, uri);
  }
}

function firstHeader(req: PluginRequest, name: string): string | undefined {
  const v = req.clientHeaders[name];
  return Array.isArray(v) ? v[0] : v;
}

/** kong-common.lua get_body_data: the buffered body; none → nil; one in a temp file → Lua error (W16). */
function bodyData(req: PluginRequest): string | undefined {
  if (req.body.length === 0) return undefined;
  if (req.body.length > CLIENT_BODY_BUFFER_SIZE) throw new LuaError("attempt to call global 'read_file' (a nil value)");
  return req.body.toString('latin1');
}

/** fix-state-bound-to-browser: the `state` oxd put into the authorization URL (undefined when it has none). */
function stateOf(authorizationUrl: string): string | undefined {
  try {
    return new URL(authorizationUrl).searchParams.get('state') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * fix-userinfo-headers-dropped: removes from the upstream request every header
 * a custom_headers entry could produce: its name (`_` → `-`, as make_headers
 * writes it), and for an `iterate` name every header that name gives with
 * some non-empty text in place of each `{*}`.
 */
export function dropHeadersOfNamespace(req: PluginRequest, customHeaders: CustomHeader[] | undefined): void {
  for (const h of customHeaders ?? []) {
    const name = h.header_name.replace(/_/g, '-').toLowerCase();
    if (!h.iterate || !name.includes('{*}')) {
      delete req.upstreamHeaders[name];
      continue;
    }
    const pattern = new RegExp(`^${name.split('{*}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
    for (const sent of Object.keys(req.upstreamHeaders)) if (pattern.test(sent)) delete req.upstreamHeaders[sent];
  }
}
