// get-access-token-by-refresh-token (GetAccessTokenByRefreshTokenOperation @
// version_4.2.3 lines 40–85): a blank refresh_token is 400 bad_request;
// otherwise the refresh grant at the AS with the site's client
// (client_secret_basic) and scope `openid` + the requested ones (a HashSet),
// answered like get-client-token. Every other failure, an AS refusal
// included, is 500 internal_error (the operation catches everything but
// oxd's own errors). GG drops the refresh token and never calls this
// (oidc-uma.md §3.10).
import { configurationEndpoint } from '../as-client';
import type { OxdDeps } from '../deps';
import { OxdError } from '../errors';
import { PARAM_CLASSES } from '../param-classes';
import { isNullOrEmpty, str, strList, type Params } from '../params';
import type { CommandDef } from '../processor';
import { requireSite } from '../site-store';
import { clientTokenResponse, scopeWithOpenid } from './tokens';

async function getAccessTokenByRefreshToken(deps: OxdDeps, p: Params): Promise<unknown> {
  const refreshToken = str(p, 'refresh_token');
  if (isNullOrEmpty(refreshToken)) throw new OxdError('BAD_REQUEST_NO_REFRESH_TOKEN');
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  if (!discovery.token_endpoint) throw new Error('no token_endpoint');
  // Upstream URL-encodes the joined scope before the form encoder encodes it again; oxAuth decodes
  // it twice. The sandbox sends the once-encoded form (DEVIATIONS).
  const res = await deps.as.refreshToken(discovery.token_endpoint, site.clientId, site.clientSecret, refreshToken as string, scopeWithOpenid(strList(p, 'scope')));
  return clientTokenResponse(res);
}

export const REFRESH_TOKEN_COMMANDS: Record<string, CommandDef> = {
  '/get-access-token-by-refresh-token': {
    command: 'get_access_token_by_refresh_token',
    params: PARAM_CLASSES.GetAccessTokenByRefreshTokenParams,
    needsOxdId: true,
    execute: getAccessTokenByRefreshToken,
  },
};
