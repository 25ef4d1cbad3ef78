// GET {AS}/oxauth/restv1/end_session (oxAuth 4.2.3
// EndSessionRestWebServiceImpl.requestEndSession; oidc-uma.md §3.6 step 8).
// Order:
//  1. id_token_hint given but no grant knows it → 400 invalid_grant_and_session;
//  2. sid given but no session has it → 400 invalid_grant_and_session;
//  3. the OP session from the session_id cookie, else from sid; none → 400
//     invalid_grant_and_session;
//  4. post_logout_redirect_uri (if given) must be one of the hint client's
//     post_logout_redirect_uris (without a hint: of a client the session
//     allowed) → else 400 post_logout_uri_not_associated_with_client
//     (allowPostLogoutRedirectWithoutValidation false, so never a redirect);
//  5. the hint's sid must be the session's → else 400 invalid_request;
//  6. the session is removed, its grants' tokens revoked (grantService.logout),
//     cookies consent_session_id, session_id and opbs deleted;
//  7. 302 to the post_logout_redirect_uri as given: **no state is added** (no
//     front-channel URIs, RedirectUri not used). Without a URI: 200 HTML.
// Error bodies: ErrorResponse JSON (reason only with errorReasonEnabled),
// no media type set, so @Produces(text/plain) applies (unverified).
import type * as http from 'node:http';
import { send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { isBlank } from './authorization-request';
import { errorJson } from './errors';
import { matchClaimsRedirectUri } from './gather-claims';
import { CONSENT_SESSION_ID_COOKIE, OPBS_COOKIE, SESSION_ID_COOKIE, cookieSession, removedCookie } from './op-session';
import type { OpSession, UserGrant } from './oidc-store';

class EndSessionError extends Error {
  constructor(
    readonly error: string,
    readonly reason: string,
  ) {
    super(error);
  }
}

function hintGrant(as: AsContext, hint: string | null): UserGrant | undefined {
  const t = as.oidc.token(hint, 'id_token');
  return t ? as.oidc.grant(t.grantId) : undefined;
}

/** The JWT's sid claim, if the hint parses (Jwt.parse). */
function hintSid(hint: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(hint.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sid?: unknown };
    return typeof payload.sid === 'string' ? payload.sid : undefined;
  } catch {
    return undefined;
  }
}

function checkPostLogoutUri(as: AsContext, uri: string, grant: UserGrant | undefined, session: OpSession): void {
  const clientIds = grant ? [grant.clientId] : [...session.permissions].filter(([, v]) => v).map(([k]) => k);
  const ok = clientIds.some((id) => matchClaimsRedirectUri(uri, as.store.client(id)?.postLogoutRedirectUris ?? []));
  if (!ok) throw new EndSessionError('post_logout_uri_not_associated_with_client', '');
}

/** EndSessionUtils.createFronthannelHtml with no front-channel URIs and no redirect. */
const EMPTY_LOGOUT_PAGE = '<!DOCTYPE html><html><head><title>Your logout was successful</title></head><body>Your logout was successful.<br/></body></html>';

export function endSession(as: AsContext, req: Request, res: http.ServerResponse): void {
  const hint = req.query.get('id_token_hint');
  const postLogout = req.query.get('post_logout_redirect_uri') ?? '';
  const sid = req.query.get('sid') ?? req.query.get('session_id') ?? '';
  try {
    const grant = hintGrant(as, hint);
    if (!isBlank(hint) && !grant) throw new EndSessionError('invalid_grant_and_session', 'id_token_hint is not valid. Logout is rejected. id_token_hint can be skipped or otherwise valid value must be provided.');
    if (!isBlank(sid) && !as.oidc.sessionBySid(sid)) throw new EndSessionError('invalid_grant_and_session', 'sid parameter in request is not valid. Logout is rejected. sid parameter in request can be skipped or otherwise valid value must be provided.');
    const session = cookieSession(as, req) ?? (isBlank(sid) ? undefined : as.oidc.sessionBySid(sid));
    if (!session) throw new EndSessionError('invalid_grant_and_session', 'Failed to identify session by session_id query parameter or by session_id cookie.');
    if (!isBlank(postLogout)) checkPostLogoutUri(as, postLogout, grant, session);
    const tokenSid = hint ? hintSid(hint) : undefined;
    if (tokenSid && tokenSid !== session.outsideSid) throw new EndSessionError('invalid_request', 'sid in id_token_hint does not match sid of the session');
    const keep = as.faults.on('end-session-keeps-session');
    if (!keep) {
      as.oidc.removeSession(session.id);
      as.oidc.logoutSession(session.id);
    }
    as.log(`end_session: session of ${session.userName ?? 'nobody'} ended`);
    const cookies = keep ? [] : [removedCookie(CONSENT_SESSION_ID_COOKIE), removedCookie(SESSION_ID_COOKIE), removedCookie(OPBS_COOKIE)];
    if (!isBlank(postLogout)) {
      send(res, 302, '', cookies.length > 0 ? { Location: postLogout, 'Set-Cookie': cookies } : { Location: postLogout });
      return;
    }
    send(res, 200, EMPTY_LOGOUT_PAGE, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store, no-transform', Pragma: 'no-cache', ...(cookies.length > 0 ? { 'Set-Cookie': cookies } : {}) });
  } catch (e) {
    if (!(e instanceof EndSessionError)) throw e;
    send(res, 400, errorJson('endSession', e.error, e.reason, as.settings.errorReasonEnabled), { 'Content-Type': 'text/plain' });
  }
}
