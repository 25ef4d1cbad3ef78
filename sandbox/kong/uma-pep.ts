// gluu-uma-pep, priority 995 (gateway.md §6.2, §11; gluu-uma-pep/access.lua
// and kong-common.lua access_pep_handler @ version_4.2.2): session cookie
// hidden, claims callback, (method, path) matched against the expression,
// then the decision order of §6.2 with oxd uma-rs-check-access, the grant
// cache `METHOD:pattern:token`, and the gateway-driven claims mode.
import { EXPIRE_DELTA_SECONDS, grantKey } from './caches';
import { jwtAlgNone } from './custom-headers';
import { evalLuaExp, parseLuaExp } from './lua-exp';
import { luaField, LuaError, luaToString, luaTruthy } from './lua-values';
import { matchPath, matchPathLikeWebsite, MatcherError, treeFor, treeMethods, type Rule } from './path-matcher';
import { OxdCallFailed, type PluginOxdConf } from './oxd-client';
import { pathWithBaseUrl, type PluginDeps, type PluginRequest } from './plugin-context';
import { KongExit, RESPONSES, unexpectedError } from './responses';
import { uriArgs } from './uri-args';
import type { RestySession } from './resty-session';

export interface UmaPepConf extends PluginOxdConf {
  deny_by_default: boolean;
  uma_scope_expression?: string;
  require_id_token: boolean;
  obtain_rpt: boolean;
  redirect_claim_gathering_url: boolean;
  claims_redirect_path?: string;
  pushed_claims_lua_exp?: string;
  read_claims_from_pct?: boolean;
  claims_gathering_pct_value?: string;
}

/** gluu-uma-pep/access.lua line 286 */
export const PEP_SESSION_COOKIE = 'gluu_uma_pep_session';

/** What gluu-uma-pep keeps in its cookie (oidc-uma.md §1.5). */
interface PepSessionData {
  uma_original_url?: string;
  uma_ticket?: unknown;
  uma_state?: unknown;
}

const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
/** Lua `%s`: the class GG's `uri:match"^([^%s]+)"` stops at. */
const LUA_SPACE = /^[^ \t\n\v\f\r]+/;

type CheckAccess = Record<string, unknown> & { access?: unknown };

export class UmaPep {
  /** fault `same-ticket-every-denial`: the first challenge per oxd_id + method + pattern. */
  private readonly replayedChallenges = new Map<string, string>();

  constructor(private readonly deps: PluginDeps) {}

  async access(conf: UmaPepConf, req: PluginRequest): Promise<void> {
    const session = this.deps.sessions.open(PEP_SESSION_COOKIE, req);
    session.hide();

    const path = LUA_SPACE.exec(req.uri)?.[0] ?? '';
    if (conf.redirect_claim_gathering_url && path === conf.claims_redirect_path) return this.claimsCallback(req, session);
    return this.decide(conf, req, session, path);
  }

  /** §11 step 3: the AS sent the browser back to claims_redirect_path. */
  private claimsCallback(req: PluginRequest, session: RestySession): void {
    if (!session.present) throw KongExit.of(RESPONSES.CLAIMS_CALLBACK_NO_SESSION);
    const data = session.data as PepSessionData;
    const original = data.uma_original_url;
    if (!luaTruthy(original)) throw KongExit.of(RESPONSES.CLAIMS_CALLBACK_NO_SESSION);
    // ngx.req.get_uri_args() and Lua truthiness (gluu-uma-pep/access.lua lines 306–311 @ version_4.2.2): an empty
    // `ticket=` is "" (true in Lua), a bare `ticket` is the boolean true, a repeated one a table; each is stored as
    // it came and later sent to oxd's uma-rp-get-rpt, whose refusal is a 502 (get_rpt_by_ticket).
    const args = uriArgs(req.requestUri);
    const ticket = args.ticket;
    const state = args.state;
    if (!luaTruthy(ticket) || !luaTruthy(state)) throw KongExit.of(RESPONSES.CLAIMS_CALLBACK_MISSING_ARGS);
    if (!session.started) session.start();
    delete data.uma_original_url;
    data.uma_ticket = ticket;
    data.uma_state = state;
    session.save();
    throw new KongExit(302, undefined, {}, luaToString(original));
  }

  /** get_path_by_request_path_method; a bad expression is a Lua error (Q6). */
  private protectedRule(conf: UmaPepConf, method: string, path: string): Rule | undefined {
    const text = conf.uma_scope_expression;
    if (text === undefined) return undefined;
    try {
      // SEC-W11: GG matches exactly and case-sensitively (path-wildcard-tree.lua @ version_4.2.2) while
      // the website (Express) routes case-insensitively and non-strictly; the fix profile matches as it routes.
      const fold = this.deps.faults.on('fix-path-variants-protected');
      // SEC-GW-05: a decoded element "#" (/x/%23) is looked up as the Lua tree's rule key (path-wildcard-tree.lua
      // lines 18, 69, 84–88 @ version_4.2.2); the fix profile keeps rules and path elements apart.
      const apart = this.deps.faults.on('fix-hash-element-protected');
      const tree = treeFor(text, fold);
      if (!tree) return undefined;
      const match = (m: string): Rule | undefined => (fold ? matchPathLikeWebsite(tree, m, path, apart) : matchPath(tree, m, path, apart));
      const rule = match(method);
      if (rule || !this.deps.faults.on('method-ignored')) return rule;
      for (const m of treeMethods(tree)) {
        const any = match(m);
        if (any) return any;
      }
      return undefined;
    } catch (e) {
      if (e instanceof MatcherError) throw new LuaError(e.message);
      throw e;
    }
  }

  /** access_pep_handler (§6.2 steps 3–9). */
  private async decide(conf: UmaPepConf, req: PluginRequest, session: RestySession, path: string): Promise<void> {
    const { faults, caches } = this.deps;
    const token = req.shared.requestToken;
    const method = req.method;
    const rule = this.protectedRule(conf, method, path);
    const protectedPath = rule?.path;

    if (token !== undefined && protectedPath === undefined && conf.deny_by_default) {
      if (faults.on('deny-by-default-ignored')) return;
      throw KongExit.of(RESPONSES.UNPROTECTED_NOT_ALLOWED);
    }
    if (token === undefined) {
      if (protectedPath !== undefined) return this.noTokenProtectedPath(conf, protectedPath, method);
      if (conf.deny_by_default === false) return;
      if (faults.on('deny-by-default-ignored')) return;
      throw KongExit.of(RESPONSES.NO_TOKEN_NO_PROTECTED_PATH);
    }
    const tokenData = req.shared.requestTokenData;
    if (!tokenData) throw KongExit.of(RESPONSES.TOKEN_NOT_AUTHENTICATED);
    if (protectedPath === undefined) return;

    // SEC-GW-01: GG's key has no route and no oxd_id (lib/kong/plugins/gluu-uma-pep/access.lua lines 235–245
    // @ version_4.2.2, lib/gluu/kong-common.lua lines 488–503); the fix profile adds the oxd_id.
    const key = faults.on('fix-grant-cache-per-route') ? `${conf.oxd_id}|${grantKey(method, protectedPath, token)}` : grantKey(method, protectedPath, token);
    if (caches.worker.get(key) === true) return;
    if (req.shared.faultAccepted) return;
    if (conf.obtain_rpt && faults.on('pep-serves-without-gathering')) return;

    if (await this.isAccessGranted(conf, req, session, protectedPath, method, token)) {
      const exp = Number(tokenData.exp);
      if (Number.isNaN(exp)) throw new LuaError("attempt to perform arithmetic on local 'exp'");
      caches.worker.set(key, true, exp - this.deps.now() - EXPIRE_DELTA_SECONDS);
      return;
    }
    // Q3: clear_pending_state(token) deletes the token's introspection entry, not the grant key.
    caches.worker.delete(token);
    if (faults.on('upstream-on-deny')) await req.forwardUpstream();
    throw KongExit.of(RESPONSES.NOT_AUTHORIZED);
  }

  /** hooks.no_token_protected_path: check-access with rpt "" → 401 with oxd's challenge (R1/R3). */
  private async noTokenProtectedPath(conf: UmaPepConf, protectedPath: string, method: string): Promise<void> {
    const { faults, oxd } = this.deps;
    if (faults.on('pep-lets-tokenless-through')) return;
    if (conf.require_id_token) {
      this.deps.log('Expect id_token');
      throw unexpectedError();
    }
    const replayKey = `${conf.oxd_id}|${method}|${protectedPath}`;
    if (faults.on('same-ticket-every-denial')) {
      const first = this.replayedChallenges.get(replayKey);
      if (first !== undefined) throw KongExit.of(RESPONSES.UNAUTHORIZED_WITH_TICKET, { 'WWW-Authenticate': first });
    }
    const ptoken = await oxd.protectionToken(conf);
    const res = await this.checkAccess(conf, protectedPath, method, '', ptoken);
    if (res.access !== 'denied') {
      this.deps.log('check_access without RPT token, responds with access == "granted"');
      throw unexpectedError();
    }
    let challenge = luaToString(res['www-authenticate_header']);
    if (faults.on('www-authenticate-reformatted')) challenge = reformatChallenge(challenge);
    if (faults.on('challenge-names-another-as')) challenge = challenge.replace(/as_uri="[^"]*"/, `as_uri="${ANOTHER_AS}"`);
    if (faults.on('www-authenticate-without-ticket')) challenge = challenge.replace(/,\s*ticket="[^"]*"|ticket="[^"]*",\s*/, '');
    if (faults.on('same-ticket-every-denial')) this.replayedChallenges.set(replayKey, challenge);
    throw KongExit.of(RESPONSES.UNAUTHORIZED_WITH_TICKET, { 'WWW-Authenticate': challenge });
  }

  /** try_check_access: anything but 200 with granted/denied (denied without rpt needs the header) → 502. */
  private async checkAccess(conf: UmaPepConf, path: string, method: string, rpt: string, ptoken: string): Promise<CheckAccess> {
    const res = await this.deps.oxd.callOrLuaError(conf.oxd_url, 'uma-rs-check-access', { oxd_id: conf.oxd_id, rpt, path, http_method: method }, ptoken);
    if (res.status !== 200) {
      this.deps.log(`uma_rs_check_access() responds with status ${res.status}`);
      throw unexpectedError();
    }
    const access = luaField(res.body, 'access');
    if (!luaTruthy(access)) throw unexpectedError();
    const body = res.body as CheckAccess;
    if (access === 'granted') return body;
    if (access === 'denied') {
      if (rpt === '' && !luaTruthy(body['www-authenticate_header'])) throw unexpectedError();
      return body;
    }
    throw unexpectedError();
  }

  /** hooks.is_access_granted, with the obtain_rpt mode of §11. */
  private async isAccessGranted(conf: UmaPepConf, req: PluginRequest, session: RestySession, path: string, method: string, token: string): Promise<boolean> {
    const { oxd } = this.deps;
    let rpt = token;
    if (conf.obtain_rpt) {
      let ticket: unknown;
      let state: unknown;
      if (session.present) {
        const data = session.data as PepSessionData;
        ticket = data.uma_ticket;
        state = data.uma_state;
        if (luaTruthy(ticket) && luaTruthy(state)) {
          if (!session.started) session.start();
          delete data.uma_state;
          delete data.uma_ticket;
          session.save();
        }
      }
      if (!luaTruthy(ticket)) {
        const ptoken = await oxd.protectionToken(conf);
        const res = await this.checkAccess(conf, path, method, '', ptoken);
        if (res.access !== 'denied' || !luaTruthy(res.ticket)) throw unexpectedError();
        ticket = luaToString(res.ticket);
      }
      rpt = await this.rptByTicket(conf, req, session, ticket, state);
    }
    const ptoken = await oxd.protectionToken(conf);
    const res = await this.checkAccess(conf, path, method, rpt, ptoken);
    return res.access === 'granted';
  }

  /** get_rpt_by_ticket */
  private async rptByTicket(conf: UmaPepConf, req: PluginRequest, session: RestySession, ticket: unknown, state: unknown): Promise<string> {
    const { oxd } = this.deps;
    const ptoken = await oxd.protectionToken(conf);
    const body: Record<string, unknown> = { oxd_id: conf.oxd_id, ticket };
    if (luaTruthy(state)) body.state = state;
    if (conf.pushed_claims_lua_exp !== undefined) {
      const exp = parseLuaExp(conf.pushed_claims_lua_exp);
      // environment: id_token = kong.ctx.shared.request_token_data, userinfo = kong.ctx.shared.userinfo
      // (both set by gluu-openid-connect; with gluu-uma-auth only id_token, the introspection data),
      // request (a PDK table: no data paths) (gluu-uma-pep/access.lua lines 169–173, 270–272)
      const value = exp ? evalLuaExp(exp, { id_token: req.shared.requestTokenData, userinfo: req.shared.userinfo, request: {} }) : undefined;
      body.claim_token = jwtAlgNone(value);
      body.claim_token_format = ID_TOKEN_FORMAT;
    }
    const res = await oxd.callOrLuaError(conf.oxd_url, 'uma-rp-get-rpt', body, ptoken);
    if (res.status !== 200) {
      if (conf.redirect_claim_gathering_url && res.status === 403 && luaField(res.body, 'error') === 'need_info') {
        await this.redirectToClaimsUrl(conf, req, session, luaField(res.body, 'ticket'));
      }
      throw unexpectedError();
    }
    return luaToString(luaField(res.body, 'access_token'));
  }

  /** redirect_to_claim_url: 302 to oxd's claims-gathering URL, original URL kept in the session (R15). */
  private async redirectToClaimsUrl(conf: UmaPepConf, req: PluginRequest, session: RestySession, ticket: unknown): Promise<void> {
    const { oxd } = this.deps;
    const ptoken = await oxd.protectionToken(conf);
    if (conf.claims_redirect_path === undefined) throw new LuaError('attempt to concatenate a nil value');
    const claimsRedirectUri = pathWithBaseUrl(req, conf.claims_redirect_path);
    const params: Record<string, unknown> = { oxd_id: conf.oxd_id, ticket, claims_redirect_uri: claimsRedirectUri };
    if (conf.read_claims_from_pct) {
      const pct = conf.claims_gathering_pct_value ? conf.claims_gathering_pct_value : await this.storedPct(conf);
      params.custom_parameters = { pct };
    }
    let res;
    try {
      res = await oxd.call(conf.oxd_url, 'uma-rp-get-claims-gathering-url', params, ptoken);
    } catch (e) {
      if (e instanceof OxdCallFailed) throw unexpectedError();
      throw e;
    }
    const url = luaField(res.body, 'url');
    if (res.status !== 200 || !luaTruthy(url)) throw unexpectedError();
    if (!session.started) session.start();
    (session.data as PepSessionData).uma_original_url = req.requestUri;
    session.save();
    req.responseHeaders['Cache-Control'] = 'no-cache, no-store, max-age=0';
    throw new KongExit(302, undefined, {}, luaToString(url));
  }

  /** get_stored_pct (4.2.2): `/get-rp` sent with a nil token (GG bug), pct from node.rpt_pct. */
  private async storedPct(conf: UmaPepConf): Promise<string> {
    let res;
    try {
      res = await this.deps.oxd.call(conf.oxd_url, 'get-rp', { oxd_id: conf.oxd_id });
    } catch (e) {
      if (e instanceof OxdCallFailed) throw unexpectedError();
      throw e;
    }
    if (res.status !== 200) return '';
    const pct = luaField(luaField(res.body, 'node'), 'rpt_pct');
    return luaTruthy(pct) ? luaToString(pct) : '';
  }
}

/** fault `challenge-names-another-as`: an AS that is not the configured one (never resolved by the suite before its check). */
const ANOTHER_AS = 'https://staging-idp.conformance.invalid';

/** fault `www-authenticate-reformatted`: ticket first, spaces after the commas. */
function reformatChallenge(header: string): string {
  const params = [...header.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const);
  const ticket = params.filter(([k]) => k === 'ticket');
  const others = params.filter(([k]) => k !== 'ticket');
  return `UMA ${[...ticket, ...others].map(([k, v]) => `${k}="${v}"`).join(', ')}`;
}
