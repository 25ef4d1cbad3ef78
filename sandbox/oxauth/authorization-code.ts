// AuthorizationGrantList.createAuthorizationCodeGrant: the grant behind a
// code, made at the end of a successful authorization request. The code is
// a UUID that lives authorizationCodeLifetime (CES 60 s) and is removed when
// the token endpoint uses it. The grant's acr is the session's acr
// attribute, else the request's acr_values (AuthorizeRestWebServiceImpl
// getAcrForGrant); the default login form sets no acr attribute.
import type { AsContext } from './as-context';
import { isBlank, type Params } from './authorization-request';
import { OIDC_LIFETIMES, type OpSession } from './oidc-store';
import type { ClientRecord } from './store';

export function issueAuthorizationCode(as: AsContext, client: ClientRecord, session: OpSession, scopes: string[], p: Params): string {
  const nonce = p.get('nonce');
  const acr = p.get('acr_values');
  const grant = as.oidc.addGrant({
    clientId: client.clientId,
    userName: session.userName as string,
    scopes,
    nonce: isBlank(nonce) ? null : (nonce as string),
    acr: isBlank(acr) ? null : (acr as string),
    authTime: session.authTime === null ? null : Math.floor(session.authTime / 1000),
    sessionId: session.id,
    sid: session.outsideSid,
  });
  return as.oidc.issue('authorization_code', grant.id, OIDC_LIFETIMES.authorizationCode).code;
}
