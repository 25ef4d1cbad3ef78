// The authorization endpoint GET/POST {AS}/oxauth/restv1/authorize,
// response_type=code (AuthorizeRestWebServiceImpl.requestAuthorization,
// oxAuth 4.2.3 lines ~200–560). Order of decisions:
//  1. client (JSON 400/401), redirect_uri (JSON 400); from here on errors
//     are redirects to the redirect_uri with error, error_description, state;
//  2. response_type blank, or prompt=none with another prompt → invalid_request;
//     a response type the client did not register → JSON 400 unsupported_response_type;
//  3. no authenticated OP session: prompt=none → login_required; otherwise
//     302 to {AS}/oxauth/authorize.htm?<request parameters> (the login page);
//  4. max_age passed since auth_time → the session is unauthenticated and
//     the browser goes back to authorize.htm, prompt=none included (line 398);
//  5. trusted client, or a stored consent covering the granted scopes →
//     permission; prompt=login → unauthenticate + authorize.htm; no permission
//     for the client in this session → authorize.htm (the consent page);
//  6. a code: 302 to the redirect_uri with code, [acr_values], session_id,
//     sid, session_state, state, scope, in HashMap order (RedirectUri).
import type * as http from 'node:http';
import { parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import {
  allowedParams,
  authorizeJsonError,
  errorRedirect,
  grantedScopes,
  isBlank,
  requestParams,
  spaceList,
  validateClient,
  validateRedirectUri,
  withQuery,
  type Params,
} from './authorization-request';
import { issueAuthorizationCode } from './authorization-code';
import { authenticatedSession, sessionStateFor, unauthenticateSession } from './op-session';
import type { OpSession } from './oidc-store';
import type { ClientRecord } from './store';

/** OAuth/OIDC parameters redirectTo copies onto authorize.htm, in the order it adds them (a HashMap anyway). */
const PAGE_PARAMETERS = [
  'response_type', 'scope', 'client_id', 'redirect_uri', 'state', 'response_mode', 'nonce', 'display', 'prompt', 'max_age',
  'ui_locales', 'id_token_hint', 'login_hint', 'acr_values', 'amr_values', 'request', 'request_uri', 'code_challenge',
  'code_challenge_method', 'claims', 'auth_req_id', 'origin_headers',
] as const;

/** CES authorizationRequestCustomAllowedParameters: passed on to the page too. */
const CUSTOM_PARAMETERS = ['customParam1', 'customParam2', 'customParam3'];

/** Prompt.fromString: known values only. */
const PROMPTS = ['none', 'login', 'consent', 'select_account'];

function prompts(p: Params): string[] {
  return spaceList(p.get('prompt')).filter((x) => PROMPTS.includes(x));
}

/** redirectTo("/authorize"): {issuer}/oxauth/authorize.htm with the request's parameters. */
export function authorizePageUrl(as: AsContext, p: Params, redirectUri: string, remainingPrompts: string[]): string {
  const values: [string, string | undefined][] = PAGE_PARAMETERS.map((k) => [k, p.get(k)]);
  const set = (k: string, v: string | undefined) => {
    const i = values.findIndex(([name]) => name === k);
    values[i] = [k, v];
  };
  set('redirect_uri', redirectUri);
  set('response_type', spaceList(p.get('response_type')).join(' '));
  set('prompt', remainingPrompts.join(' '));
  for (const c of CUSTOM_PARAMETERS) values.push([c, p.get(c)]);
  return withQuery(`${as.urls.webContext}/authorize.htm`, values);
}

/** validateAuthnMaxAge: false once auth_time + max_age is not after now. */
function maxAgeValid(as: AsContext, p: Params, s: OpSession): boolean {
  const raw = p.get('max_age');
  if (raw === undefined || !/^-?\d+$/.test(raw.trim())) return true;
  return (s.authTime ?? 0) + Number(raw.trim()) * 1000 > as.oidc.now();
}

/** Trusted client, or a ClientAuthorization holding every granted scope. */
function preAuthorized(as: AsContext, client: ClientRecord, userName: string, scopes: string[]): boolean | 'partial' {
  if (client.trusted) return true;
  const stored = as.oidc.consent(userName, client.clientId);
  if (!stored) return false;
  return scopes.every((s) => stored.includes(s)) ? true : 'partial';
}

/** The answer for one authorization request: a Location. Throws JSON errors. */
export function authorizationAnswer(as: AsContext, req: Request, p: Params): string {
  const state = p.get('state');
  const nonce = p.get('nonce');
  if (!isBlank(nonce) && !as.oidc.nonces.includes(nonce as string)) as.oidc.rememberNonce(nonce as string);
  const client = validateClient(as, p.get('client_id'), state);
  const redirectUri = validateRedirectUri(client, p.get('redirect_uri'), state);
  const responseTypes = spaceList(p.get('response_type'));
  const ps = prompts(p);
  // AuthorizeParamsValidator.validateParams (code flow: no nonce needed).
  if (responseTypes.length === 0 || (ps.includes('none') && ps.length > 1)) return errorRedirect(redirectUri, 'invalid_request', state);
  if (!responseTypes.every((t) => client.responseTypes.includes(t)) || !client.grantTypes.includes('authorization_code')) {
    throw authorizeJsonError(400, 'unsupported_response_type', state, '', 'text/plain');
  }
  if (!responseTypes.includes('code')) return errorRedirect(redirectUri, 'unsupported_response_type', state);

  const toPage = (remaining: string[]) => authorizePageUrl(as, p, redirectUri, remaining);
  const session = authenticatedSession(as, req);
  if (!session) {
    if (ps.includes('none')) return errorRedirect(redirectUri, 'login_required', state);
    return toPage(ps.filter((x) => x !== 'login'));
  }
  if (!maxAgeValid(as, p, session)) {
    unauthenticateSession(session);
    return toPage(ps);
  }
  // The pages after this point (consent, Allow) work from the session's
  // attributes; oxAuth refreshes them per request (SessionIdService #34).
  session.params = allowedParams(p);
  if (isBlank(p.get('redirect_uri'))) session.params.set('redirect_uri', redirectUri);
  const userName = session.userName as string;
  const scopes = grantedScopes(client, p.get('scope'));
  if (scopes.length > 0) {
    if (ps.includes('consent')) return toPage(ps);
    const pre = preAuthorized(as, client, userName, scopes);
    if (pre === 'partial') return toPage(ps);
    if (pre) session.permissions.set(client.clientId, true);
  }
  if (ps.includes('login')) {
    unauthenticateSession(session);
    return toPage(ps.filter((x) => x !== 'login'));
  }
  if (ps.includes('consent') || session.permissions.get(client.clientId) !== true) {
    return toPage(ps.filter((x) => x !== 'consent'));
  }
  const code = issueAuthorizationCode(as, client, session, scopes, p);
  return withQuery(redirectUri, [
    ['code', code],
    ['acr_values', isBlank(p.get('acr_values')) ? undefined : p.get('acr_values')],
    ['session_id', session.id],
    ['sid', session.outsideSid],
    ['session_state', sessionStateFor(as, session, client.clientId, redirectUri)],
    ['state', state],
    ['scope', isBlank(p.get('scope')) ? undefined : scopes.join(' ')],
  ]);
}

function answer(as: AsContext, req: Request, res: http.ServerResponse, p: Params): void {
  send(res, 302, '', { Location: authorizationAnswer(as, req, p) });
}

export function authorizeGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  answer(as, req, res, requestParams(req.query));
}

export function authorizePost(as: AsContext, req: Request, res: http.ServerResponse): void {
  answer(as, req, res, requestParams(req.query, parseForm(req.body)));
}
