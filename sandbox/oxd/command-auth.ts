// Who may call which command (oxd.md §1, §2.1): the caller IP allow-list
// (`bind_ip_addresses`, every endpoint) and, for the commands flagged in
// CommandType, the AuthorizationOxdId header and the access-token check.
import type { OxdDeps } from './deps';
import { mask } from './deps';
import { OxdError } from './errors';
import { introspectAccessToken } from './introspection';
import type { Site } from './site-store';

/** CommandType.authorizationRequired (oxd-common CommandType.java; oxd.md §2.1). */
export const COMMAND_TYPES = {
  register_site: { authorizationRequired: false },
  update_site: { authorizationRequired: false },
  remove_site: { authorizationRequired: false },
  get_authorization_url: { authorizationRequired: true },
  get_authorization_code: { authorizationRequired: true },
  get_tokens_by_code: { authorizationRequired: true },
  get_user_info: { authorizationRequired: true },
  get_logout_uri: { authorizationRequired: true },
  get_access_token_by_refresh_token: { authorizationRequired: true },
  introspect_access_token: { authorizationRequired: true },
  id_token_status: { authorizationRequired: true },
  access_token_status: { authorizationRequired: true },
  uma_rs_protect: { authorizationRequired: true },
  uma_rs_modify: { authorizationRequired: true },
  uma_rs_check_access: { authorizationRequired: true },
  introspect_rpt: { authorizationRequired: true },
  uma_rp_get_rpt: { authorizationRequired: true },
  uma_rp_get_claims_gathering_url: { authorizationRequired: true },
  authorization_code_flow: { authorizationRequired: true },
  get_client_token: { authorizationRequired: false },
  get_rp: { authorizationRequired: false },
  get_jwks: { authorizationRequired: false },
  get_discovery: { authorizationRequired: false },
  issuer_discovery: { authorizationRequired: false },
  get_rp_jwks: { authorizationRequired: false },
  get_request_object_jwt: { authorizationRequired: false },
  get_request_uri: { authorizationRequired: true },
  initiate_third_party_login: { authorizationRequired: true },
} as const satisfies Record<string, { authorizationRequired: boolean }>;

export type CommandName = keyof typeof COMMAND_TYPES;

const LOCALHOST_IP_ADDRESS = '127.0.0.1';

/** HttpServletRequest.getRemoteAddr() as Jetty reports it: plain IPv4, uncompressed IPv6. */
export function servletRemoteAddr(nodeAddress: string): string {
  if (nodeAddress.startsWith('::ffff:') && nodeAddress.includes('.')) return nodeAddress.slice(7);
  if (nodeAddress === '::1') return '0:0:0:0:0:0:0:1';
  return nodeAddress;
}

/** RestResource.validateIpAddressAllowed. */
export function assertCallerAllowed(bindIpAddresses: string[], remoteAddress: string): void {
  const caller = servletRemoteAddr(remoteAddress);
  if (bindIpAddresses.length === 0) {
    if (caller.toLowerCase() === LOCALHOST_IP_ADDRESS) return;
    throw new OxdError('OXD_ACCESS_DENIED');
  }
  if (bindIpAddresses.includes('*') || bindIpAddresses.includes(caller)) return;
  throw new OxdError('OXD_ACCESS_DENIED');
}

/**
 * RpService.getRp as used by the token check: a null oxd_id is a
 * NullPointerException, an empty one an IllegalStateException (both end as
 * the container's 500), an unknown one `invalid_oxd_id`.
 */
function siteForTokenCheck(deps: OxdDeps, oxdId: string | null | undefined): Site {
  if (oxdId === undefined || oxdId === null) throw new TypeError('Preconditions.checkNotNull(oxdId)');
  if (oxdId === '') throw new RangeError('Preconditions.checkState(!isNullOrEmpty(oxdId))');
  const site = deps.store.get(oxdId);
  if (!site) throw new OxdError('INVALID_OXD_ID');
  return site;
}

/**
 * RestResource.validateAuthorizationOxdId + validateAccessToken (oxd.md §2.1).
 * Runs before the operation; exceptions other than OxdError are the
 * container's 500 (they happen outside oxd's Processor).
 */
export async function checkCommandAuthorization(
  deps: OxdDeps,
  headers: { authorization?: string; authorizationOxdId?: string },
  bodyOxdId: string | null | undefined,
): Promise<void> {
  // 1. AuthorizationOxdId
  const headerOxdId = headers.authorizationOxdId;
  if (headerOxdId !== undefined && headerOxdId !== '') {
    // oxd.md §2.1 step 1 (DEVIATIONS: the 4.2.3 code would answer invalid_oxd_id here).
    if (!deps.store.get(headerOxdId)) throw new OxdError('AUTHORIZATION_OXD_ID_NOT_FOUND');
    const allowed = deps.config.protectCommandsWithOxdId;
    if (allowed.length > 0 && !allowed.includes(headerOxdId)) throw new OxdError('INVALID_AUTHORIZATION_OXD_ID');
  }
  if (!deps.config.protectCommandsWithAccessToken) return;

  // 2. Authorization present; "Bearer " cut by length, unchecked.
  const authorization = headers.authorization;
  if (authorization === undefined || authorization === '') throw new OxdError('BLANK_ACCESS_TOKEN');
  if (authorization.length < 'Bearer '.length) throw new RangeError('String index out of range'); // substring(7)
  const accessToken = authorization.substring('Bearer '.length);
  if (accessToken.trim() === '') throw new OxdError('BLANK_ACCESS_TOKEN');

  // 3.–5. introspect with the RP of AuthorizationOxdId, else of oxd_id.
  const site = siteForTokenCheck(deps, headerOxdId !== undefined && headerOxdId !== '' ? headerOxdId : bodyOxdId);
  const introspection = await introspectAccessToken(deps, site, accessToken);
  if (!introspection.active) throw new OxdError('INACTIVE_ACCESS_TOKEN');
  if (introspection.client_id === undefined || introspection.client_id.trim() === '') throw new OxdError('NO_CLIENT_ID_IN_INTROSPECTION_RESPONSE');
  if (!(introspection.scope ?? []).includes('oxd')) throw new OxdError('ACCESS_TOKEN_INSUFFICIENT_SCOPE');
  if (introspection.client_id !== site.clientId) {
    deps.log(`access_token ${mask(accessToken)} belongs to client ${introspection.client_id}, not to the site's client`);
    throw new OxdError('INVALID_ACCESS_TOKEN');
  }
}
