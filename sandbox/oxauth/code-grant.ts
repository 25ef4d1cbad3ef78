// The token endpoint's authorization_code and refresh_token grants
// (oxAuth 4.2.3 TokenRestWebServiceImpl.requestAccessToken lines 175–290).
// * Code: the client must have the authorization_code grant type ("Grant
//   types are invalid."); an unknown, expired or already used code → 400
//   invalid_grant "Unable to find grant object for given code.", and every
//   token made from that code is revoked (grantService.removeAllByAuthorizationCode);
//   another client's code → 400 invalid_grant "Client mismatch." (same revocation).
//   redirect_uri must be present (TokenParamsValidator) but is NOT compared
//   with the authorization request's: 4.2.3 has no such check (RFC 6749 §4.1.3).
// * A refresh token only when the client has the refresh_token grant and
//   offline_access is among the grant's or the request's scopes
//   (forceOfflineAccessScopeToEnableRefreshToken, default true).
// * The id_token when the grant has openid; the code is then removed.
// * Refresh: a new access token and a new refresh token with the old one's
//   expiry, the old one removed; no id_token (openidScopeBackwardCompatibility false).
// Answers: org.json compact, Cache-Control: no-store, Pragma: no-cache.
import type * as http from 'node:http';
import { send } from '../lib/http';
import type { AsContext } from './as-context';
import { spaceList } from './authorization-request';
import { errorJson } from './errors';
import { createIdToken } from './id-token';
import { javaHashOrder, orgJson, type JsonObject } from './java-json';
import { OIDC_LIFETIMES, type UserGrant } from './oidc-store';
import type { ClientRecord } from './store';
import { accessTokenLifetime } from './token-lifetime';

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function tokenError(as: AsContext, res: http.ServerResponse, status: number, error: string, reason: string): void {
  send(res, status, errorJson('token', error, reason, as.settings.errorReasonEnabled), HEADERS);
}

/** AuthorizationGrant.checkScopesPolicy on the token request's scope. */
function answerScope(grant: UserGrant, scope: string | null): string | undefined {
  if (scope === null) return undefined;
  return javaHashOrder(spaceList(scope).filter((s) => grant.scopes.includes(s))).join(' ');
}

function tokenBody(accessToken: string, expiresIn: number, refreshToken: string | null, scope: string | undefined, idToken: string | null): string {
  const body: JsonObject = { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn };
  if (refreshToken) body.refresh_token = refreshToken;
  if (scope !== undefined) body.scope = scope;
  if (idToken) body.id_token = idToken;
  return orgJson(body);
}

export async function authorizationCodeGrant(as: AsContext, res: http.ServerResponse, client: ClientRecord, form: URLSearchParams): Promise<void> {
  if (!client.grantTypes.includes('authorization_code')) return tokenError(as, res, 400, 'invalid_grant', 'Grant types are invalid.');
  const code = form.get('code') ?? '';
  const codeToken = as.oidc.token(code, 'authorization_code');
  const grant = codeToken ? as.oidc.grant(codeToken.grantId) : undefined;
  if (!codeToken || !grant) {
    as.oidc.removeAllByCode(code);
    return tokenError(as, res, 400, 'invalid_grant', 'Unable to find grant object for given code.');
  }
  if (grant.clientId !== client.clientId) {
    as.oidc.removeAllByCode(code);
    return tokenError(as, res, 400, 'invalid_grant', 'Client mismatch.');
  }
  const requestedScope = form.get('scope');
  const offline = grant.scopes.includes('offline_access') || (requestedScope ?? '').includes('offline_access');
  const refresh = client.grantTypes.includes('refresh_token') && offline ? as.oidc.issue('refresh_token', grant.id, OIDC_LIFETIMES.refreshToken, code) : null;
  const lifetime = accessTokenLifetime(as.settings.accessTokenLifetime, client);
  const access = as.oidc.issue('access_token', grant.id, lifetime, code);
  const idToken = grant.scopes.includes('openid') ? await createIdToken(as, client, grant, { code, accessToken: access.code }) : null;
  as.oidc.removeToken(code);
  as.log(`code grant for client ${client.clientId}, user ${grant.userName}`);
  send(res, 200, tokenBody(access.code, lifetime, refresh?.code ?? null, answerScope(grant, requestedScope), idToken), HEADERS);
}

export function refreshTokenGrant(as: AsContext, res: http.ServerResponse, client: ClientRecord, form: URLSearchParams): void {
  if (!client.grantTypes.includes('refresh_token')) return tokenError(as, res, 400, 'invalid_grant', 'grant_type is not present in client.');
  const old = as.oidc.token(form.get('refresh_token'), 'refresh_token');
  const grant = old ? as.oidc.grant(old.grantId) : undefined;
  if (!old || !grant || grant.clientId !== client.clientId) {
    return tokenError(as, res, 400, 'invalid_grant', 'Unable to find grant object by refresh token or otherwise token type or client does not match.');
  }
  const remaining = Math.max(1, Math.floor((old.expiresAt - as.oidc.now()) / 1000));
  const refresh = as.oidc.issue('refresh_token', grant.id, remaining, old.fromCode);
  as.oidc.removeToken(old.code);
  const lifetime = accessTokenLifetime(as.settings.accessTokenLifetime, client);
  const access = as.oidc.issue('access_token', grant.id, lifetime, old.fromCode);
  send(res, 200, tokenBody(access.code, lifetime, refresh.code, answerScope(grant, form.get('scope')), null), HEADERS);
}
