// gluu-uma-auth, priority 998 (gateway.md §6.1; kong-common.lua
// access_auth_handler, gluu-uma-auth/access.lua @ version_4.2.2):
// bearer token → cached introspection (or local JWT check) → consumer by
// custom_id == client_id → Authorization handling and custom headers.
// No token, or an inactive one, with `anonymous` set: the anonymous
// consumer (loaded by id) and `X-Anonymous-Consumer: true` upstream.
import { EXPIRE_DELTA_SECONDS, type TokenData } from './caches';
import { jwtAlgNone, makeHeaders, type CustomHeader } from './custom-headers';
import { loadJwt, processJwt } from './jwt';
import { luaField, LuaError, luaTruthy } from './lua-values';
import { OxdCallFailed, type PluginOxdConf } from './oxd-client';
import { setUpstreamHeader, withoutNulls, type PluginDeps, type PluginRequest } from './plugin-context';
import { KongExit, RESPONSES, unexpectedError } from './responses';
import { isUuid } from './validators';

export interface UmaAuthConf extends PluginOxdConf {
  anonymous: string;
  pass_credentials: 'pass' | 'hide' | 'phantom_token';
  consumer_mapping: boolean;
  custom_headers?: CustomHeader[];
}

const ANONYMOUS_HEADER = 'X-Anonymous-Consumer';

/** get_token: the unanchored `\s*[Bb]earer\s+(.+)`, capture 1. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  return /\s*[Bb]earer\s+(.+)/.exec(authorization)?.[1];
}

type Introspected = { data: TokenData } | { status: number; message: string };

export class UmaAuth {
  constructor(private readonly deps: PluginDeps) {}

  async access(conf: UmaAuthConf, req: PluginRequest): Promise<void> {
    const { faults } = this.deps;
    const anonymousSet = Buffer.byteLength(conf.anonymous) > 1 && !faults.on('no-anonymous-consumer');
    const header = req.clientHeaders.authorization;
    const token = bearerToken(Array.isArray(header) ? header[0] : header);
    if (!token) {
      if (anonymousSet) return this.anonymous(conf, req);
      throw KongExit.of(RESPONSES.NO_BEARER_TOKEN);
    }

    let tokenData = this.cachedToken(token);
    if (!tokenData) {
      const jwt = loadJwt(token);
      const outcome = jwt ? await this.jwt(conf, jwt) : await this.introspect(conf, token);
      if ('status' in outcome) {
        if (outcome.status === 401 && faults.on('invalid-rpt-accepted') && !jwt) {
          // fault: the inactive RPT is taken as authenticated, without a consumer
          req.shared.faultAccepted = true;
          tokenData = { active: false };
        } else {
          if (outcome.status !== 401) {
            this.deps.log(outcome.message);
            throw unexpectedError();
          }
          if (anonymousSet) return this.anonymous(conf, req);
          throw KongExit.of({ status: 401, body: { message: outcome.message } });
        }
      } else {
        tokenData = outcome.data;
        const clientId = tokenData.client_id;
        if (conf.consumer_mapping && !faults.on('consumer-mapping-off')) {
          if (typeof clientId !== 'string') {
            // select_by_custom_id validates the unique value: a DB error → 502
            throw unexpectedError();
          }
          const consumer = this.deps.store.findBy('consumers', 'custom_id', clientId);
          if (!consumer) {
            this.deps.log(`consumer with custom_id "${clientId}" not found`);
            throw KongExit.of(RESPONSES.UNKNOWN_CONSUMER);
          }
          tokenData.consumer = withoutNulls(consumer);
        }
        const exp = Number(tokenData.exp);
        if (Number.isNaN(exp)) throw new LuaError("attempt to perform arithmetic on local 'exp'");
        this.deps.caches.worker.set(token, tokenData, exp - this.deps.now() - EXPIRE_DELTA_SECONDS);
      }
    }

    if (tokenData.consumer) req.shared.authenticatedConsumer = tokenData.consumer;
    req.shared.requestTokenData = tokenData;
    req.shared.requestToken = token;
    this.authenticated(conf, req, tokenData, token);
  }

  private cachedToken(token: string): TokenData | undefined {
    const hit = this.deps.caches.worker.get(token);
    if (hit === undefined || hit === true) return undefined;
    // SEC-GW-04: GG looks the consumer up only on a cache miss (kong-common.lua lines 537–590
    // @ version_4.2.2): a deleted consumer's RPT keeps working until exp - 5 s. The fix
    // profile looks it up again, and a consumer that is gone makes the token a miss.
    const consumerId = hit.consumer?.id;
    if (this.deps.faults.on('fix-removed-consumer-refused') && typeof consumerId === 'string' && !this.deps.store.byId('consumers', consumerId)) {
      this.deps.caches.worker.delete(token);
      return undefined;
    }
    return hit;
  }

  /** introspect_token: get-client-token (cached) then introspect-rpt. */
  private async introspect(conf: UmaAuthConf, token: string): Promise<Introspected> {
    const { oxd } = this.deps;
    const ptoken = await oxd.protectionToken(conf);
    const res = await oxd.callOrLuaError(conf.oxd_url, 'introspect-rpt', { oxd_id: conf.oxd_id, rpt: token }, ptoken);
    if (res.status !== 200) {
      this.deps.log(`introspect_rpt() responds with status ${res.status}`);
      throw unexpectedError();
    }
    const body = res.body;
    if (luaTruthy(luaField(body, 'active'))) {
      const required = ['exp', 'iat', 'client_id', 'permissions'];
      if (!required.every((f) => luaTruthy(luaField(body, f)))) {
        this.deps.log('introspect_rpt() missed required fields');
        throw unexpectedError();
      }
      return { data: { ...(body as TokenData) } };
    }
    return { status: 401, message: 'Invalid access token provided in Authorization header' };
  }

  private async jwt(conf: UmaAuthConf, jwt: NonNullable<ReturnType<typeof loadJwt>>): Promise<Introspected> {
    const { oxd, jwks, now } = this.deps;
    const refresh = async (): Promise<boolean> => {
      const ptoken = await oxd.protectionToken(conf);
      let res;
      try {
        res = await oxd.call(conf.oxd_url, 'get-jwks', { op_host: conf.op_url }, ptoken);
      } catch (e) {
        // refresh_jwks checks `if not response`: a failed call is a 502, not a Lua error
        if (e instanceof OxdCallFailed) return false;
        throw e;
      }
      if (res.status !== 200) return false;
      const keys = luaField(res.body, 'keys');
      if (!luaTruthy(keys)) return false;
      jwks.replace(conf.op_url, Array.isArray(keys) ? keys : []);
      return true;
    };
    const outcome = await processJwt(jwt, conf.op_url, jwks, refresh, now);
    return 'payload' in outcome ? { data: { ...outcome.payload } } : outcome;
  }

  /** handle_anonymous: the anonymous consumer is loaded by id; not found or not a UUID → 502. */
  private anonymous(conf: UmaAuthConf, req: PluginRequest): void {
    if (conf.consumer_mapping) {
      const consumer = isUuid(conf.anonymous) ? this.deps.store.byId('consumers', conf.anonymous) : undefined;
      if (!consumer) {
        this.deps.log(`Anonymous customer: consumer "${conf.anonymous}" not found`);
        throw unexpectedError();
      }
      return this.authenticated(conf, req, { consumer: withoutNulls(consumer) }, undefined);
    }
    return this.authenticated(conf, req, {}, undefined);
  }

  /** request_authenticated */
  private authenticated(conf: UmaAuthConf, req: PluginRequest, tokenData: TokenData, token: string | undefined): void {
    if (conf.pass_credentials === 'hide') {
      setUpstreamHeader(req, 'authorization', undefined);
    } else if (conf.pass_credentials === 'phantom_token' && luaTruthy(tokenData.active)) {
      setUpstreamHeader(req, 'authorization', `Bearer ${jwtAlgNone(tokenData)}`);
    }
    const env: Record<string, unknown> = { introspect_data: tokenData };
    if (tokenData.consumer) env.consumer = tokenData.consumer;
    // SEC-GW-02: GG only sets the headers it computed (kong.service.request.set_headers,
    // kong-common.lua lines 311–337 @ version_4.2.2); a header the client sent itself and
    // that GG computes no value for reaches the upstream. The fix profile removes them first.
    if (this.deps.faults.on('fix-client-identity-headers-dropped')) {
      for (const h of conf.custom_headers ?? []) if (!h.iterate) setUpstreamHeader(req, h.header_name.replace(/_/g, '-'), undefined);
      setUpstreamHeader(req, ANONYMOUS_HEADER, undefined);
    }
    // SEC-GW-03: the header cache key is the token alone, "nil" without one (make_headers, kong-common.lua
    // lines 751–809; header-cache.lua; lua-resty-lrucache pureffi.lua `set`/`get` tostring() a non-string key),
    // shared by every plugin instance of the worker. The fix profile keys it by instance and consumer too.
    const cacheKey = this.deps.faults.on('fix-header-cache-per-consumer')
      ? `${token ?? 'nil'}|${JSON.stringify(conf.custom_headers ?? [])}|${String(tokenData.consumer?.id ?? '')}|${conf.anonymous}`
      : token;
    const headers = makeHeaders(conf.custom_headers, env, cacheKey, this.deps.caches.headers);
    if (!luaTruthy(tokenData.client_id)) headers[ANONYMOUS_HEADER] = 'true';
    for (const [name, value] of Object.entries(headers)) setUpstreamHeader(req, name, value);
    if (token !== undefined && this.deps.faults.on('anonymous-header-on-authenticated')) setUpstreamHeader(req, ANONYMOUS_HEADER, 'true');
  }
}
