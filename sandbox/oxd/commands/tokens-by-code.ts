// get-tokens-by-code (oidc-uma.md §2 F5, §3.10; GetTokensByCodeOperation @
// version_4.2.3 lines 49–165): code and state present, state registered
// (in the server-wide store, for any RP), the code grant at the AS with the
// site's first redirect URI, id_token and access_token present, then the
// id_token checks of id-token-validator.ts, then the state is deleted (the
// nonce is not). A 400 from the AS is `'code' is invalid.`; any other non-200
// non-302 answer makes the operation return null (500 internal_error).
import { configurationEndpoint } from '../as-client';
import type { OxdDeps } from '../deps';
import { mask } from '../deps';
import { OxdError } from '../errors';
import { IdTokenValidator, isSignatureAlgorithm, parseIdToken } from '../id-token-validator';
import { javaStringSetOrder } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { isNullOrEmpty, str, type Params } from '../params';
import type { CommandDef } from '../processor';
import { JsonNode } from '../serialize';
import { requireSite, type Site } from '../site-store';
import { encodeExpiredObject } from '../state-store';

/** AuthenticationMethod values (oxAuth model). */
const AUTHENTICATION_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'];
const SIGNED_ASSERTION_METHODS = ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'];

/** The request's authentication_method, else the site's token_endpoint_auth_method, else client_secret_basic (lines 59–66). */
function tokenEndpointAuthMethod(p: Params, site: Site): 'client_secret_basic' | 'client_secret_post' {
  const requested = str(p, 'authentication_method');
  const name = isNullOrEmpty(requested) ? site.metadata.tokenEndpointAuthMethod : requested;
  const method = name !== undefined && AUTHENTICATION_METHODS.includes(name) ? name : undefined;
  if (method === undefined || method === 'client_secret_basic') return 'client_secret_basic';
  if (method === 'client_secret_post') return 'client_secret_post';
  if (SIGNED_ASSERTION_METHODS.includes(method)) {
    const alg = str(p, 'algorithm');
    if (!isSignatureAlgorithm(alg)) throw new OxdError('INVALID_SIGNATURE_ALGORITHM');
  }
  // oxd's own key store (RP JWKS) and client_secret_jwt assertions are not emulated (DEVIATIONS).
  throw new Error(`token endpoint authentication ${method} is not emulated`);
}

/** The JSON text of oxAuth's JwtClaims (org.json: HashMap order at every level), read back as a tree. */
export function orgJsonOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orgJsonOrder);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of javaStringSetOrder(Object.keys(o))) out[k] = orgJsonOrder(o[k]);
    return out;
  }
  return value;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  id_token?: unknown;
  refresh_token?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** validate(params): lines 149–165. */
function validateParams(deps: OxdDeps, p: Params): void {
  if (isNullOrEmpty(str(p, 'code'))) throw new OxdError('BAD_REQUEST_NO_CODE');
  const state = str(p, 'state');
  if (isNullOrEmpty(state)) throw new OxdError('BAD_REQUEST_NO_STATE');
  if (deps.faults.on('callback-accepts-any-state')) return;
  if (!deps.states.isPresent(encodeExpiredObject(state as string, 'state', deps.config))) throw new OxdError('BAD_REQUEST_STATE_NOT_VALID');
}

async function getTokensByCode(deps: OxdDeps, p: Params): Promise<unknown> {
  validateParams(deps, p);
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  const method = tokenEndpointAuthMethod(p, site);
  if (!discovery.token_endpoint) throw new Error('no token_endpoint in discovery');

  const res = await deps.as.authorizationCodeGrant(
    discovery.token_endpoint,
    { clientId: site.clientId, clientSecret: site.clientSecret, method },
    str(p, 'code') as string,
    site.metadata.redirectUris[0],
  );
  if (res.status !== 200 && res.status !== 302) {
    if (res.status === 400) throw new OxdError('BAD_REQUEST_INVALID_CODE');
    throw new Error(`No response from operation (AS token endpoint answered ${res.status})`);
  }
  const body = (res.json !== null && typeof res.json === 'object' ? res.json : {}) as TokenAnswer;
  const idToken = text(body.id_token);
  const accessToken = text(body.access_token);
  if (isNullOrEmpty(idToken ?? null)) throw new OxdError('NO_ID_TOKEN_RETURNED');
  if (isNullOrEmpty(accessToken ?? null)) throw new OxdError('NO_ACCESS_TOKEN_RETURNED');

  const token = parseIdToken(idToken as string);
  const validator = await IdTokenValidator.create(
    { config: deps.config, keys: deps.opKeys, states: deps.states, issuer: discovery.issuer, jwksUri: discovery.jwks_uri, site },
    token,
  );
  const state = encodeExpiredObject(str(p, 'state') as string, 'state', deps.config);
  validator.validateNonce();
  await validator.validateIdToken();
  validator.validateAccessToken(accessToken as string);
  validator.validateState(state);
  deps.states.deleteByKey(state);
  deps.log(`get-tokens-by-code ${site.oxdId}: access_token ${mask(accessToken)}, id_token for sub ${String(token.claims.sub)}`);

  return {
    access_token: accessToken,
    expires_in: typeof body.expires_in === 'number' ? Math.trunc(body.expires_in) : -1,
    id_token: idToken,
    refresh_token: text(body.refresh_token),
    id_token_claims: new JsonNode(orgJsonOrder(token.claims)),
  };
}

export const TOKENS_BY_CODE_COMMANDS: Record<string, CommandDef> = {
  '/get-tokens-by-code': { command: 'get_tokens_by_code', params: PARAM_CLASSES.GetTokensByCodeParams, needsOxdId: true, execute: getTokensByCode },
};
