// The plugins' side of oxd (oxd-web-lua oxdweb.lua, kong-common.lua
// get_protection_token; gateway.md §0, §7): `POST <oxd_url>/<command>` with
// a cjson body, `Authorization: Bearer <protection token>` on the commands
// that need one, TLS checks off. A transport error or a body that is not
// JSON leaves the caller with a nil response, which most GG call sites then
// index: a Lua error, i.e. Kong's 500 (R12).
import * as http from 'node:http';
import * as https from 'node:https';
import { cjsonEncode } from './json';
import { luaField, LuaError, luaTruthy } from './lua-values';
import { unexpectedError } from './responses';
import { keepAliveAgents } from '../lib/http-client';

const { http: httpAgent, https: httpsAgent } = keepAliveAgents(64);

export interface OxdResponse {
  status: number;
  /** The decoded JSON body (any JSON value). */
  body: unknown;
}

/** oxdweb returned `nil, err`: the caller decides whether that is a Lua error or a 502. */
export class OxdCallFailed extends Error {}

export interface PluginOxdConf {
  oxd_id: string;
  oxd_url: string;
  client_id: string;
  client_secret: string;
  op_url: string;
}

interface ProtectionToken {
  access_token: string;
  refresh_token?: unknown;
  expire: number;
  /**
   * kong-common.lua line 133: set on the table being renewed, cleared on it
   * after the get-client-token call (line 165, before its answer is read). A
   * get-access-token-by-refresh-token call that gets no answer is a Lua error
   * (line 146 indexes the nil response) and leaves it set for good; a renewal
   * by refresh token clears it on the NEW table (line 151) and leaves the old one set.
   */
  refresh_pending?: true;
}

// kong-common.lua lines 16–19 @ version_4.2.2.
const EXPIRE_DELTA_SECONDS = 5;
const MAX_PENDING_SLEEP_MS = 200;
const PENDING_SLEEP_MS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OxdClient {
  /** kong-common.lua access_tokens_per_client_id: per worker, keyed by client_id only. */
  private readonly tokens = new Map<string, ProtectionToken>();

  constructor(
    private readonly now: () => number,
    private readonly log: (msg: string) => void,
    /** Fault hook: the expiry comparison's delta (GG: 5 s after expiry). */
    private readonly expireDelta: () => number = () => EXPIRE_DELTA_SECONDS,
  ) {}

  /** execute_http: rejects with OxdCallFailed on transport errors and non-JSON bodies. */
  call(oxdUrl: string, command: string, params: Record<string, unknown>, token?: string): Promise<OxdResponse> {
    const payload = cjsonEncode(params);
    const url = new URL(`${oxdUrl}/${command}`);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method: 'POST', headers, agent: url.protocol === 'https:' ? httpsAgent : httpAgent, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new OxdCallFailed(`resty-http error: ${e.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            this.log(`oxd ${command}: JSON decode error (HTTP ${res.statusCode})`);
            reject(new OxdCallFailed('JSON decode error'));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        this.log(`oxd ${command}: ${e.message}`);
        reject(new OxdCallFailed(`resty-http error: ${e.message}`));
      });
      req.end(payload);
    });
  }

  /** A call whose nil response the GG code indexes: a failure is a Lua error (500). */
  async callOrLuaError(oxdUrl: string, command: string, params: Record<string, unknown>, token?: string): Promise<OxdResponse> {
    try {
      return await this.call(oxdUrl, command, params, token);
    } catch (e) {
      if (e instanceof OxdCallFailed) throw new LuaError(`attempt to index local 'response' (a nil value): ${e.message}`);
      throw e;
    }
  }

  /** The token table GG stores: the body, plus `expire = ngx.time() + body.expires_in`. */
  private stored(conf: PluginOxdConf, body: unknown): ProtectionToken {
    const expiresIn = luaField(body, 'expires_in');
    if (typeof expiresIn !== 'number') throw new LuaError("attempt to perform arithmetic on field 'expires_in'");
    const data: ProtectionToken = {
      access_token: String(luaField(body, 'access_token')),
      refresh_token: luaField(body, 'refresh_token'),
      expire: Math.floor(this.now()) + expiresIn,
    };
    this.tokens.set(conf.client_id, data);
    return data;
  }

  /** get-client-token (lines 89–106 and 157–175); `renewing` is the stale table whose refresh_pending the answer clears. */
  private async clientToken(conf: PluginOxdConf, renewing?: ProtectionToken): Promise<ProtectionToken> {
    let res: OxdResponse;
    try {
      res = await this.callOrLuaError(conf.oxd_url, 'get-client-token', {
        client_id: conf.client_id,
        client_secret: conf.client_secret,
        scope: ['openid', 'oxd'],
        op_host: conf.op_url,
      });
    } finally {
      // Line 165 clears the flag before line 166 indexes the (maybe nil) response.
      if (renewing) delete renewing.refresh_pending;
    }
    if (res.status >= 300 || !luaTruthy(luaField(res.body, 'access_token'))) {
      this.tokens.delete(conf.client_id);
      this.log(renewing ? `Failed to get access token, status: ${res.status}` : 'Failed to get access token');
      throw unexpectedError();
    }
    return this.stored(conf, res.body);
  }

  /**
   * Lines 117–129: another request of this worker is renewing the token: wait
   * 5 ms at a time, up to 200 times (1 s), for refresh_pending to clear on the
   * table this request holds. Cleared with a fresh expiry → its token; cleared
   * but still stale (the other renewal replaced the table) or never cleared →
   * 502. `now` is the time this request compared with, as in the Lua.
   */
  private async waitForPending(data: ProtectionToken, now: number): Promise<string> {
    for (let i = 0; i < MAX_PENDING_SLEEP_MS; i++) {
      await sleep(PENDING_SLEEP_MS);
      if (!data.refresh_pending) {
        if (data.expire > now - this.expireDelta()) return data.access_token;
        this.log('Failed to get access token, pending operation failed');
        throw unexpectedError();
      }
    }
    this.log('Failed to get access token, pending operation  timeout');
    throw unexpectedError();
  }

  /**
   * get_protection_token: reused until 5 s AFTER its expiry (the comparison is
   * `expire > now - 5`, gateway.md §7 quirk); then refresh-token if oxd gave
   * one, else a new get-client-token. No token → 502 (R11). While a renewal
   * is pending, the worker's other requests wait (waitForPending).
   */
  async protectionToken(conf: PluginOxdConf): Promise<string> {
    const data = this.tokens.get(conf.client_id);
    if (!data) return (await this.clientToken(conf)).access_token;
    const now = Math.floor(this.now());
    if (data.expire > now - this.expireDelta()) return data.access_token;
    if (data.refresh_pending) return this.waitForPending(data, now);
    data.refresh_pending = true;
    // a JSON null refresh_token is truthy in Lua too
    if (luaTruthy(data.refresh_token)) {
      // GG passes `access_token_data.token`, a field that does not exist: no Authorization header.
      const res = await this.callOrLuaError(conf.oxd_url, 'get-access-token-by-refresh-token', { oxd_id: conf.oxd_id, refresh_token: data.refresh_token });
      if (res.status < 300 && luaTruthy(luaField(res.body, 'access_token'))) return this.stored(conf, res.body).access_token;
    }
    return (await this.clientToken(conf, data)).access_token;
  }
}

// ---- the commands gluu-openid-connect sends (access.lua @ version_4.2.2; oidc-uma.md §2, §4) ----

/** get-authorization-url: `prompt`, `scope`, `acr_values` are left out when nil (cjson skips nil fields). */
export interface GetAuthorizationUrlParams {
  oxd_id: string;
  prompt?: 'none' | 'login';
  scope?: string[];
  acr_values?: string[];
  /** always `{max_age = conf.max_id_token_age}` (lines 201–203) */
  params: { max_age: number };
}

export interface GetTokensByCodeParams {
  oxd_id: string;
  code: unknown;
  state: unknown;
}

export interface GetUserInfoParams {
  oxd_id: string;
  access_token: unknown;
}

export interface GetLogoutUriParams {
  oxd_id: string;
  /** the first key of id_tokens; nil (left out) when the table is empty */
  id_token_hint?: string;
  post_logout_redirect_uri: string;
}

/** The four OIDC commands, each `POST <oxd_url>/<command>` with the protection token (rejects with OxdCallFailed). */
export const OIDC_COMMANDS = {
  getAuthorizationUrl: (oxd: OxdClient, url: string, p: GetAuthorizationUrlParams, token: string) => oxd.call(url, 'get-authorization-url', { ...p }, token),
  getTokensByCode: (oxd: OxdClient, url: string, p: GetTokensByCodeParams, token: string) => oxd.call(url, 'get-tokens-by-code', { ...p }, token),
  getUserInfo: (oxd: OxdClient, url: string, p: GetUserInfoParams, token: string) => oxd.call(url, 'get-user-info', { ...p }, token),
  getLogoutUri: (oxd: OxdClient, url: string, p: GetLogoutUriParams, token: string) => oxd.call(url, 'get-logout-uri', { ...p }, token),
} as const;
