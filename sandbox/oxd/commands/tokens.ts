// Token commands: get-client-token, introspect-access-token, get-jwks
// (oxd.md §4.4, §4.5, §4.11; GetClientTokenOperation,
// IntrospectAccessTokenOperation, GetJwksOperation @ version_4.2.3).
// get-access-token-by-refresh-token is in refresh-token.ts.
import { configurationEndpoint, type AsAnswer } from '../as-client';
import type { OxdDeps } from '../deps';
import { OxdError } from '../errors';
import { introspectAccessToken } from '../introspection';
import { javaStringSetOrder } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { isNullOrEmpty, str, strList, type Params } from '../params';
import type { CommandDef } from '../processor';
import { requireSite } from '../site-store';

/** Sets.newHashSet("openid", …scope) joined with spaces: `openid` is always added (oxd.md §4.4). */
export function scopeWithOpenid(requested: (string | null)[] | undefined): string {
  const scopes = ['openid', ...(requested ?? [])];
  if (scopes.some((s) => s === null)) throw new TypeError('Joiner: null scope'); // NullPointerException
  return javaStringSetOrder(scopes as string[]).join(' ');
}

interface TokenBody {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  scope?: unknown;
}

/** GetClientTokenResponse from a TokenResponse; a blank access_token is a generic failure. */
export function clientTokenResponse(res: AsAnswer): Record<string, unknown> {
  const body = (res.json ?? {}) as TokenBody;
  if (typeof body.access_token !== 'string' || body.access_token.trim() === '') throw new Error(`access_token is blank in response (AS status ${res.status})`);
  // Utils.stringToList(tokenResponse.getScope()): a missing scope is a NullPointerException.
  if (typeof body.scope !== 'string') throw new TypeError('scope is null');
  return {
    access_token: body.access_token,
    expires_in: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    refresh_token: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    scope: body.scope.split(/\s+/),
  };
}

async function getClientToken(deps: OxdDeps, p: Params): Promise<unknown> {
  // private_key_jwt needs oxd's key store, which the sandbox does not have (DEVIATIONS).
  if ((str(p, 'authentication_method') ?? '').toLowerCase() === 'private_key_jwt') throw new Error('private_key_jwt is not emulated');
  const endpoint = configurationEndpoint({
    opConfigurationEndpoint: str(p, 'op_configuration_endpoint'),
    opHost: str(p, 'op_host'),
    opDiscoveryPath: str(p, 'op_discovery_path'),
  });
  const discovery = await deps.as.oidcDiscovery(endpoint);
  if (!discovery.token_endpoint) throw new Error('no token_endpoint');
  const res = await deps.as.clientCredentials(discovery.token_endpoint, str(p, 'client_id') ?? '', str(p, 'client_secret') ?? '', scopeWithOpenid(strList(p, 'scope')));
  return clientTokenResponse(res);
}

async function introspectAccessTokenCommand(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const r = await introspectAccessToken(deps, site, str(p, 'access_token') ?? '');
  // POJOResponse(IntrospectionResponse): scope as a list, acr_values as a string (oxd.md §4.5).
  return {
    active: r.active,
    scope: r.scope,
    client_id: r.client_id,
    username: r.username,
    token_type: r.token_type,
    exp: r.exp,
    iat: r.iat,
    sub: r.sub,
    aud: r.aud,
    iss: r.iss,
    jti: r.jti,
    acr_values: r.acr_values,
  };
}

/** oxAuth JSONWebKey members, in the order oxd writes them. */
const JWK_MEMBERS = ['kid', 'kty', 'use', 'alg', 'crv', 'exp', 'x5c', 'n', 'e', 'x', 'y'];

async function getJwks(deps: OxdDeps, p: Params): Promise<unknown> {
  const opHost = str(p, 'op_host');
  const opConfigurationEndpoint = str(p, 'op_configuration_endpoint');
  if (isNullOrEmpty(opHost) && isNullOrEmpty(opConfigurationEndpoint)) throw new OxdError('INVALID_OP_HOST_AND_CONFIGURATION_ENDPOINT');
  try {
    const discovery = await deps.as.oidcDiscovery(configurationEndpoint({ opConfigurationEndpoint, opHost, opDiscoveryPath: str(p, 'op_discovery_path') }));
    if (!discovery.jwks_uri) throw new Error('no jwks_uri');
    const res = await deps.as.jwks(discovery.jwks_uri);
    const keys = (res.json as { keys?: unknown } | undefined)?.keys;
    if (res.status !== 200 || !Array.isArray(keys)) throw new Error(`JWKS not readable (status ${res.status})`);
    return {
      keys: keys.map((k) => {
        const key = (k ?? {}) as Record<string, unknown>;
        return Object.fromEntries(JWK_MEMBERS.map((m) => [m, key[m]]));
      }),
    };
  } catch (err) {
    // GetJwksOperation wraps everything, oxd errors included, in a RuntimeException → internal_error.
    throw new Error(`get-jwks failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export const TOKEN_COMMANDS: Record<string, CommandDef> = {
  '/get-client-token': { command: 'get_client_token', params: PARAM_CLASSES.GetClientTokenParams, needsOxdId: false, execute: getClientToken },
  '/introspect-access-token': {
    command: 'introspect_access_token',
    params: PARAM_CLASSES.IntrospectAccessTokenParams,
    needsOxdId: true,
    execute: introspectAccessTokenCommand,
  },
  '/get-jwks': { command: 'get_jwks', params: PARAM_CLASSES.GetJwksParams, needsOxdId: false, execute: getJwks },
};
