// The Faces side of the authorization flow (oxAuth 4.2.3):
// * GET {AS}/oxauth/authorize.htm — authorize.xhtml's view action
//   AuthorizeAction.checkPermissionGranted (lines 217–345): a bad client or
//   redirect_uri → permissionDenied; no authenticated session → a new
//   unauthenticated session (cookies session_id, session_state, opbs, plus
//   rp_origin_id) and login.xhtml rendered in place, 200 (no redirect unless
//   -Dgluu.enable-redirect); an authenticated session → permissionGranted for
//   a trusted client or a stored consent, else the consent page.
// * POST {AS}/oxauth/login.htm — Authenticator.authenticate with the default
//   ("internal") authentication, lines 110–165 and 446–466: an empty
//   username fails JSF's required check; a wrong username or password
//   re-renders the page WITHOUT a message (4.2.3 returns RESULT_SUCCESS
//   after a failed bind, so login.errorMessage is never added); success →
//   the session is authenticated under a new id (changeSessionIdOnAuthentication)
//   and AuthenticationService.onSuccessfulLogin redirects to
//   /oxauth/authorize.htm?<allowed session attributes + sid>.
// * POST {AS}/oxauth/authorize.htm — the consent postback: Allow →
//   AuthorizeService.permissionGranted (consent stored per user and client
//   when the client is not trusted: dynamicRegistrationPersistClientAuthorizations)
//   → 302 /oxauth/restv1/authorize?<session attributes>; Don't Allow →
//   permissionDenied → 302 <redirect_uri>?error=access_denied&…&state=….
// Error outcomes that oxAuth sends to /error.xhtml with a FacesMessage are
// rendered in place here (200 with the message).
import type * as http from 'node:http';
import { parseForm, send, type Headers, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import {
  allowedParams,
  errorRedirect,
  isBlank,
  parametersAsString,
  requestParams,
  spaceList,
  validRedirectUri,
  type Params,
} from './authorization-request';
import { renderConsentPage } from './consent-page';
import { LOGIN_MESSAGES, renderLoginPage } from './login-page';
import { authenticateSession, cookieSession, rpOriginCookie, sessionCookies, startUnauthenticatedSession } from './op-session';
import type { OpSession } from './oidc-store';
import { HTML_TYPE } from './page-html';
import { renderErrorPage } from './sample-pages';
import { findUser, passwordMatches } from './users';

function page(res: http.ServerResponse, html: string, headers: Headers = {}): void {
  send(res, 200, html, { ...HTML_TYPE, ...headers });
}

function errorPage(as: AsContext, res: http.ServerResponse, message: string): void {
  page(res, renderErrorPage([message], as.oidc.now()));
}

function redirect(res: http.ServerResponse, location: string, cookies: string[] = []): void {
  send(res, 302, '', cookies.length > 0 ? { Location: location, 'Set-Cookie': cookies } : { Location: location });
}

/** AuthorizeService.permissionDenied. */
function permissionDenied(as: AsContext, res: http.ServerResponse, session: OpSession | undefined): void {
  if (!session) return errorPage(as, res, LOGIN_MESSAGES.sessionInvalid);
  redirect(res, errorRedirect(session.params.get('redirect_uri') ?? '', 'access_denied', session.params.get('state')));
}

/** AuthorizeService.permissionGranted. */
function permissionGranted(as: AsContext, res: http.ServerResponse, session: OpSession): void {
  const client = as.store.client(session.params.get('client_id'));
  if (!session.userName || !client) return permissionDenied(as, res, session);
  if (!client.trusted) as.oidc.addConsent(session.userName, client.clientId, spaceList(session.params.get('scope')));
  session.permissions.set(client.clientId, true);
  const params = allowedParams(session.params);
  if (params.has('prompt')) params.set('prompt', spaceList(params.get('prompt')).filter((x) => x !== 'consent').join(' '));
  redirect(res, `${as.urls.base}/authorize?${parametersAsString(params)}`, sessionCookies(as, session));
}

/** The login page for a request that has no authenticated session yet. */
function startLogin(as: AsContext, req: Request, res: http.ServerResponse, p: Params, redirectUri: string): void {
  const old = cookieSession(as, req);
  const session = startUnauthenticatedSession(as, allowedParams(p));
  // "#1030: transfer previous session permissions to new session", then drop the old one.
  if (old) {
    for (const [k, v] of old.permissions) session.permissions.set(k, v);
    as.oidc.removeSession(old.id);
  }
  page(res, renderLoginPage(), { 'Set-Cookie': [...sessionCookies(as, session), rpOriginCookie(as, redirectUri)] });
}

/** AuthorizeAction.checkPermissionGranted. */
function checkPermissionGranted(as: AsContext, req: Request, res: http.ServerResponse, p: Params): void {
  const session = cookieSession(as, req);
  const client = isBlank(p.get('client_id')) ? undefined : as.store.client(p.get('client_id'));
  const redirectUri = client ? validRedirectUri(client, p.get('redirect_uri')) : undefined;
  if (!client || redirectUri === undefined) return permissionDenied(as, res, session);
  if (!session || !session.authenticated || !session.userName) return startLogin(as, req, res, p, redirectUri);
  const prompts = spaceList(p.get('prompt'));
  if (prompts.includes('none') && prompts.length > 1) return redirect(res, errorRedirect(redirectUri, 'invalid_request', p.get('state')));
  if (!prompts.includes('consent')) {
    const stored = as.oidc.consent(session.userName, client.clientId);
    if (client.trusted || (stored && spaceList(p.get('scope')).every((s) => stored.includes(s)))) return permissionGranted(as, res, session);
  }
  page(res, renderConsentPage(client, spaceList(session.params.get('scope')), p.get('session_id') ?? ''));
}

const isPostback = (form: URLSearchParams, formId: string) => form.get(formId) === formId && form.has('javax.faces.ViewState');

export function authorizePageGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  checkPermissionGranted(as, req, res, requestParams(req.query));
}

export function authorizePagePost(as: AsContext, req: Request, res: http.ServerResponse): void {
  const form = parseForm(req.body);
  if (!isPostback(form, 'authorizeForm')) return checkPermissionGranted(as, req, res, requestParams(req.query, form));
  const session = cookieSession(as, req);
  if (form.has('authorizeForm:allowButton')) {
    if (!session) return permissionDenied(as, res, session);
    return permissionGranted(as, res, session);
  }
  if (form.has('authorizeForm:doNotAllowButton')) return permissionDenied(as, res, session);
  const client = as.store.client(session?.params.get('client_id'));
  if (!session || !client) return errorPage(as, res, LOGIN_MESSAGES.sessionInvalid);
  page(res, renderConsentPage(client, spaceList(session.params.get('scope')), form.get('authorizeForm:session_id') ?? ''));
}

/** GET login.htm: prepareAuthenticationForStep needs the unauthenticated session. */
export function loginPageGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  const session = cookieSession(as, req);
  if (!session || session.authenticated) return errorPage(as, res, LOGIN_MESSAGES.sessionInvalid);
  page(res, renderLoginPage());
}

export function loginPagePost(as: AsContext, req: Request, res: http.ServerResponse): void {
  const form = parseForm(req.body);
  if (!isPostback(form, 'loginForm') || !form.has('loginForm:loginButton')) return loginPageGet(as, req, res);
  const session = cookieSession(as, req);
  if (session?.authenticated) return errorPage(as, res, LOGIN_MESSAGES.alreadyAuthenticated);
  if (!session) return errorPage(as, res, LOGIN_MESSAGES.sessionInvalid);
  const username = form.get('loginForm:username') ?? '';
  if (username === '') return page(res, renderLoginPage([LOGIN_MESSAGES.usernameRequired]));
  const user = findUser(as, username);
  if (!user || !passwordMatches(user, form.get('loginForm:password') ?? '')) {
    as.log(`login failed for "${username}"`);
    return page(res, renderLoginPage([], username));
  }
  const next = authenticateSession(as, session, user.username);
  as.log(`login: ${user.username} authenticated`);
  // onSuccessfulLogin puts session_id and sid into the session attributes; only sid is an allowed parameter.
  next.params.set('session_id', next.id);
  next.params.set('sid', next.outsideSid);
  const params = allowedParams(next.params);
  redirect(res, `${as.urls.webContext}/authorize.htm?${parametersAsString(params)}`, sessionCookies(as, next));
}
