// The data gluu-openid-connect keeps in its session cookie and the helpers
// it reads it with (lib/gluu/openid_connect_session_data.lua @ version_4.2.2,
// oidc-uma.md §1.5, §3.1). Lua's `pairs` order over the id_tokens table is the
// hash order of the raw id_token strings; the sandbox walks them in insertion
// order (DEVIATIONS).
import { LuaError } from './lua-values';

/** The id_token claims oxd returned (`id_token_claims`), plus the acrs requested for that login. */
export type IdTokenData = Record<string, unknown> & {
  iat?: unknown;
  exp?: unknown;
  auth_time?: unknown;
  acr?: unknown;
  requested_acrs?: Record<string, boolean>;
};

/** §3.7: what authorize() keeps of a non-GET request when restore_original_auth_params is on. */
export interface OriginalRequestParams {
  method: string;
  content_type?: string;
  content_encoding?: string;
  body?: string;
}

export interface OidcSessionData {
  /** ngx.var.request_uri of the request that was sent to the OP. */
  original_url?: string;
  requested_acrs?: Record<string, boolean>;
  original_requests_params?: OriginalRequestParams;
  /** raw id_token → its claims */
  id_tokens?: Record<string, IdTokenData>;
  /** raw id_token → the OIDC access token of that login */
  access_tokens?: Record<string, string>;
  userinfo?: unknown;
  /** fix-state-bound-to-browser only (GG stores no state, W1): the state of the pending authorization request. */
  state?: string;
}

export interface AgeConf {
  max_id_token_age: number;
  max_id_token_auth_age: number;
}

export type ExpirationType = 'token' | 'auth';

/** Lua `a + b` on decoded JSON: numbers and numeric strings add, anything else raises. */
export function luaAdd(a: unknown, b: number, field: string): number {
  if (typeof a === 'number') return a + b;
  if (typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a))) return Number(a) + b;
  throw new LuaError(`attempt to perform arithmetic on field '${field}' (a ${a === undefined ? 'nil' : a === null ? 'userdata' : typeof a} value)`);
}

/** Lua `a <= b` / `a < b` with a number on the right: a non-number raises. */
function luaNum(a: unknown, field: string): number {
  if (typeof a === 'number') return a;
  throw new LuaError(`attempt to compare ${a === undefined ? 'nil' : a === null ? 'userdata' : typeof a} with number (field '${field}')`);
}

/** is_token_expired: iat + max_id_token_age <= now, or exp <= now. */
export function isTokenExpired(t: IdTokenData, conf: AgeConf, now: number): boolean {
  return luaAdd(t.iat, conf.max_id_token_age, 'iat') <= now || luaNum(t.exp, 'exp') <= now;
}

/** is_token_auth_expired: only when auth_time is present. */
export function isTokenAuthExpired(t: IdTokenData, conf: AgeConf, now: number): boolean {
  if (t.auth_time === undefined || t.auth_time === false) return false;
  return luaAdd(t.auth_time, conf.max_id_token_auth_age, 'auth_time') <= now;
}

/** get_any_id_token: a fully valid token; else one expired with live auth ("token"); else one with expired auth ("auth"). */
export function getAnyIdToken(data: OidcSessionData, conf: AgeConf, now: number): { idToken: string; expiration?: ExpirationType } | undefined {
  const tokens = data.id_tokens;
  if (!tokens) return undefined;
  const entries = Object.entries(tokens);
  for (const [idt, t] of entries) if (!isTokenExpired(t, conf, now) && !isTokenAuthExpired(t, conf, now)) return { idToken: idt };
  const tokenExpired = entries.find(([, t]) => isTokenExpired(t, conf, now) && !isTokenAuthExpired(t, conf, now));
  const authExpired = entries.find(([, t]) => isTokenAuthExpired(t, conf, now));
  if (tokenExpired) return { idToken: tokenExpired[0], expiration: 'token' };
  if (authExpired) return { idToken: authExpired[0], expiration: 'auth' };
  // `assert(false)` in GG: unreachable with a non-empty table
  throw new LuaError('assertion failed!');
}

/** get_any_not_expired_id_token (no_auth paths): the auth age is not looked at. */
export function getAnyNotExpiredIdToken(data: OidcSessionData, conf: AgeConf, now: number): string | undefined {
  const tokens = data.id_tokens;
  if (!tokens) return undefined;
  for (const [idt, t] of Object.entries(tokens)) {
    if (luaAdd(t.iat, conf.max_id_token_age, 'iat') > now && luaNum(t.exp, 'exp') > now) return idt;
  }
  return undefined;
}

/**
 * get_token_acrs: reads a field `acrs` that no token has (claims carry `acr`),
 * so it is always nil and the re-authorization after an expiry never asks
 * for the token's acrs again (W19, openid_connect_session_data.lua lines 84–90).
 */
export function getTokenAcrs(data: OidcSessionData, idToken: string): string[] | undefined {
  const t = data.id_tokens?.[idToken];
  if (!t) throw new LuaError('assertion failed!');
  const acrs = (t as Record<string, unknown>).acrs;
  return Array.isArray(acrs) ? (acrs as string[]) : undefined;
}

/** remove_token: the last one removed drops the whole id_tokens table (access_tokens stay). */
export function removeToken(data: OidcSessionData, idToken: string): void {
  if (!data.id_tokens) return;
  delete data.id_tokens[idToken];
  if (Object.keys(data.id_tokens).length === 0) delete data.id_tokens;
}

/** is_acr_enough: the token's space-separated acr contains any required value. */
function isAcrEnough(required: string[], acr: unknown): boolean {
  const values = String(acr).split(' ');
  return required.some((r) => values.includes(r));
}

/** find_id_token_with_enough_acrs: like get_any_id_token among the tokens whose acr fits; none → undefined. */
export function findIdTokenWithEnoughAcrs(
  data: OidcSessionData,
  conf: AgeConf,
  required: string[],
  now: number,
): { idToken: string; expiration?: ExpirationType } | undefined {
  const tokens = data.id_tokens;
  if (!tokens) throw new LuaError('assertion failed!');
  let tokenExpired: string | undefined;
  let authExpired: string | undefined;
  for (const [idt, t] of Object.entries(tokens)) {
    const fits = t.acr !== undefined && t.acr !== false && isAcrEnough(required, t.acr);
    if (!fits) continue;
    const expired = isTokenExpired(t, conf, now);
    const authGone = isTokenAuthExpired(t, conf, now);
    if (!expired && !authGone) return { idToken: idt };
    if (tokenExpired === undefined && expired && !authGone) tokenExpired = idt;
    if (authExpired === undefined && authGone) authExpired = idt;
  }
  if (tokenExpired !== undefined) return { idToken: tokenExpired, expiration: 'token' };
  if (authExpired !== undefined) return { idToken: authExpired, expiration: 'auth' };
  return undefined;
}

/** set_requested_acrs: `{acr = true}` per value, nil for none. */
export function setRequestedAcrs(data: OidcSessionData, required: string[] | undefined): void {
  if (!required || required.length === 0) {
    delete data.requested_acrs;
    return;
  }
  data.requested_acrs = Object.fromEntries(required.map((a) => [a, true]));
}

/** acr_already_requested: some token of this session was obtained asking for all of these acrs (the loop guard, O9). */
export function acrAlreadyRequested(data: OidcSessionData, required: string[]): boolean {
  const tokens = data.id_tokens;
  if (!tokens) return false;
  return Object.values(tokens).some((t) => t.requested_acrs !== undefined && required.every((a) => t.requested_acrs?.[a]));
}

/** get_acrs: every token's acr; GG concatenates them with no separator in the 403 (O9, W19). */
export function getAcrs(data: OidcSessionData): string[] {
  return Object.values(data.id_tokens ?? {})
    .map((t) => t.acr)
    .filter((a): a is string => typeof a === 'string');
}
