// The OP session and its cookies (oxAuth 4.2.3 Server/…/service/CookieService.java
// createSessionIdCookie/createCookieWithState/createCookie/removeCookie,
// SessionIdService.generateSessionId/computeSessionState/setSessionIdStateAuthenticated).
// Set-Cookie values, in this order:
//   current_sessions=["<id>"]; Path=/; Secure; HttpOnly; Expires=<date>;   (authenticated only)
//   session_id=<id>; Path=/; Secure; HttpOnly; Expires=<date>;
//   session_state=<state>; Path=/; Secure; Expires=<date>;
//   opbs=<uuid>; Path=/; Secure; Expires=<date>;
// Expires is now + sessionIdLifetime (86400 s). The UMA claims session uses
// `uma_session_id` with the same session_state/opbs companions, so both
// sessions live side by side in one browser; the later one's session_state
// and opbs win, as on a real server.
import * as crypto from 'node:crypto';
import { headerValue, parseCookies, type Request } from '../lib/http';
import { uuid } from '../lib/ids';
import type { AsContext } from './as-context';
import { OIDC_LIFETIMES, type OpSession } from './oidc-store';
import { javaCookieDate } from './uma-session';

export const SESSION_ID_COOKIE = 'session_id';
export const CURRENT_SESSIONS_COOKIE = 'current_sessions';
export const SESSION_STATE_COOKIE = 'session_state';
export const OPBS_COOKIE = 'opbs';
export const RP_ORIGIN_ID_COOKIE = 'rp_origin_id';
export const CONSENT_SESSION_ID_COOKIE = 'consent_session_id';

/** SessionIdService.getClientOrigin: scheme://host[:port] of the redirect URI, else the issuer. */
function clientOrigin(as: AsContext, redirectUri: string | undefined): string {
  if (!redirectUri) return as.urls.issuer;
  try {
    const u = new URL(redirectUri);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return as.urls.issuer;
  }
}

/** computeSessionState: hex(SHA-256(client_id + " " + origin + " " + opbs + " " + salt)) + "." + salt. */
export function computeSessionState(as: AsContext, clientId: string, redirectUri: string | undefined, opbs: string): string {
  const salt = uuid();
  const digest = crypto.createHash('sha256').update(`${clientId} ${clientOrigin(as, redirectUri)} ${opbs} ${salt}`).digest('hex');
  return `${digest}.${salt}`;
}

/** The session_state an authorization response carries for this client (the stored one for the session's own client). */
export function sessionStateFor(as: AsContext, s: OpSession, clientId: string, redirectUri: string): string {
  if (s.params.get('client_id') === clientId && s.params.get('redirect_uri') === redirectUri) return s.sessionState;
  return computeSessionState(as, clientId, redirectUri, s.opbs);
}

/** generateUnauthenticatedSessionId with the request's parameters as session attributes. */
export function startUnauthenticatedSession(as: AsContext, params: Map<string, string>): OpSession {
  const s = as.oidc.newSession(params);
  s.sessionState = computeSessionState(as, params.get('client_id') ?? '', params.get('redirect_uri'), s.opbs);
  return s;
}

/**
 * setSessionIdStateAuthenticated with changeSessionIdOnAuthentication (CES
 * default true): the session gets a new id, the old one is gone.
 */
export function authenticateSession(as: AsContext, s: OpSession, userName: string): OpSession {
  as.oidc.removeSession(s.id);
  const now = as.oidc.now();
  const next: OpSession = { ...s, id: uuid(), authenticated: true, userName, authTime: now, expiresAt: now + OIDC_LIFETIMES.sessionId * 1000 };
  as.oidc.putSession(next);
  return next;
}

/** AuthorizeRestWebServiceImpl.unauthenticateSession: the session stays, without its user. */
export function unauthenticateSession(s: OpSession): void {
  s.authenticated = false;
  s.userName = null;
  s.authTime = null;
}

/** The session the `session_id` cookie names, if any. */
export function cookieSession(as: AsContext, req: Request): OpSession | undefined {
  return as.oidc.session(parseCookies(headerValue(req, 'cookie'))[SESSION_ID_COOKIE]);
}

/** identity.getSessionId() with a user: only an authenticated session counts. */
export function authenticatedSession(as: AsContext, req: Request): OpSession | undefined {
  const s = cookieSession(as, req);
  return s && s.authenticated && s.userName ? s : undefined;
}

function expires(as: AsContext): string {
  return `; Expires=${javaCookieDate(as.oidc.now() + OIDC_LIFETIMES.sessionId * 1000)};`;
}

/** CookieService.createSessionIdCookie(session, isUma=false). */
export function sessionCookies(as: AsContext, s: OpSession): string[] {
  const e = expires(as);
  const out: string[] = [];
  if (s.authenticated) out.push(`${CURRENT_SESSIONS_COOKIE}=${JSON.stringify([s.id])}; Path=/; Secure; HttpOnly${e}`);
  out.push(`${SESSION_ID_COOKIE}=${s.id}; Path=/; Secure; HttpOnly${e}`);
  out.push(`${SESSION_STATE_COOKIE}=${s.sessionState}; Path=/; Secure${e}`);
  out.push(`${OPBS_COOKIE}=${s.opbs}; Path=/; Secure${e}`);
  return out;
}

/** CookieService.creatRpOriginIdCookie: the redirect URI, path = the web context. */
export function rpOriginCookie(as: AsContext, redirectUri: string): string {
  return `${RP_ORIGIN_ID_COOKIE}=${redirectUri}; Path=/oxauth; Secure; HttpOnly${expires(as)}`;
}

/**
 * CookieService.removeCookie: a javax.servlet Cookie with a null value and
 * max age 0, as Jetty 9.4 writes it (format unverified on a live server).
 */
export function removedCookie(name: string): string {
  return `${name}=; Path=/; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0`;
}
