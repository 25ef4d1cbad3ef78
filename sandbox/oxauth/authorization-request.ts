// What the authorization endpoint and its Faces pages share: the request
// parameters, the client and redirect_uri checks, and the URLs oxAuth
// redirects to. Sources (oxAuth 4.2.3):
// * AuthorizeRestWebServiceValidator.validateClient/validateRedirectUri:
//   blank client_id → 400, unknown → 401 unauthorized_client, disabled → 401
//   disabled_client, all JSON with the internal reason in the body
//   (ErrorResponseFactory.getErrorAsJson(type, state, reason) sets it
//   whatever errorReasonEnabled says); a redirect_uri that matches none →
//   400 invalid_request_redirect_uri. No redirect is made before the
//   redirect_uri is known to be the client's.
// * RedirectionUriService.validateRedirectionUri/isUriEqual: exact, or the
//   same URI with equal query maps; a blank redirect_uri is the one
//   registered URI when there is exactly one.
// * common/…/util/RedirectUri: response parameters in a HashMap,
//   URLEncoder-encoded, appended with "?" or "&".
import { OxAuthError } from './errors';
import { describe as errorDescription } from './errors';
import type { AsContext } from './as-context';
import { matchClaimsRedirectUri } from './gather-claims';
import { javaHashOrder, orgJson, type JsonObject } from './java-json';
import { javaUrlEncode } from './policies';
import type { ClientRecord } from './store';

/** AuthorizeRequestParam names RequestParameterService.getAllowedParameters keeps (ALLOWED_PARAMETER). */
export const ALLOWED_PARAMETERS = [
  'scope', 'response_type', 'client_id', 'redirect_uri', 'state', 'response_mode', 'nonce', 'display', 'prompt',
  'max_age', 'ui_locales', 'id_token_hint', 'login_hint', 'acr_values', 'request', 'request_uri', 'origin_headers',
  'code_challenge', 'code_challenge_method', 'custom_response_headers', 'claims', 'auth_req_id', 'sid',
] as const;

export type Params = Map<string, string>;

/** HttpServletRequest parameters: the first value of each name, query first, then a form body. */
export function requestParams(query: URLSearchParams, form?: URLSearchParams): Params {
  const p: Params = new Map();
  for (const source of [query, form ?? new URLSearchParams()]) {
    for (const [k, v] of source) if (!p.has(k)) p.set(k, v);
  }
  return p;
}

export function allowedParams(p: Params): Params {
  const out: Params = new Map();
  for (const [k, v] of p) if ((ALLOWED_PARAMETERS as readonly string[]).includes(k)) out.set(k, v);
  return out;
}

export const isBlank = (s: string | undefined | null): boolean => s === undefined || s === null || s.trim() === '';

/** Util.splittedStringAsList(s, " "). */
export function spaceList(s: string | undefined): string[] {
  return (s ?? '').split(' ').map((x) => x.trim()).filter((x) => x !== '');
}

/** An /authorize error answered as JSON (`status`, ErrorResponse.toJSonString with state). */
export function authorizeJsonError(status: number, error: string, state: string | undefined, reason: string, contentType: string): OxAuthError {
  return new AuthorizeJsonError(status, error, state, reason, contentType);
}

export class AuthorizeJsonError extends OxAuthError {
  constructor(status: number, error: string, readonly state: string | undefined, reason: string, contentType: string) {
    super(status, 'authorize', error, reason, {}, contentType);
  }

  body(): string {
    const o: JsonObject = { error: this.error };
    const description = errorDescription('authorize', this.error);
    if (description) o.error_description = description;
    if (this.reason.trim() !== '') o.reason = this.reason;
    if (this.state) o.state = this.state;
    return orgJson(o, 4, true);
  }
}

/** validateClient. */
export function validateClient(as: AsContext, clientId: string | undefined, state: string | undefined): ClientRecord {
  if (isBlank(clientId)) throw authorizeJsonError(400, 'unauthorized_client', state, 'client_id is empty or blank.', 'application/json');
  const client = as.store.client(clientId);
  if (!client) throw authorizeJsonError(401, 'unauthorized_client', state, 'Unable to find client.', 'application/json');
  if (client.disabled) throw authorizeJsonError(401, 'disabled_client', state, 'Client is disabled.', 'application/json');
  return client;
}

/** RedirectionUriService.validateRedirectionUri: the URI to use, or undefined. */
export function validRedirectUri(client: ClientRecord, redirectUri: string | undefined): string | undefined {
  if (!isBlank(redirectUri)) return matchClaimsRedirectUri(redirectUri as string, client.redirectUris) ? redirectUri : undefined;
  return client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
}

/**
 * validateRedirectUri. The response has no media type of its own, so the
 * method's @Produces(text/plain) applies (RESTEasy; unverified on a live server).
 */
export function validateRedirectUri(client: ClientRecord, redirectUri: string | undefined, state: string | undefined): string {
  const uri = validRedirectUri(client, redirectUri);
  if (uri === undefined) throw authorizeJsonError(400, 'invalid_request_redirect_uri', state, '', 'text/plain');
  return uri;
}

/** RedirectUri.toString for query mode: non-blank parameters in HashMap order, URLEncoder-encoded. */
export function withQuery(base: string, params: ReadonlyArray<readonly [string, string | undefined | null]>): string {
  const values = new Map<string, string>();
  for (const [k, v] of params) if (v !== undefined && v !== null) values.set(k, v);
  const query = javaHashOrder([...values.keys()])
    .filter((k) => !isBlank(k) && !isBlank(values.get(k)))
    .map((k) => `${javaUrlEncode(k)}=${javaUrlEncode(values.get(k) as string)}`)
    .join('&');
  if (query === '') return base;
  return base + (base.includes('?') ? '&' : '?') + query;
}

/** An error redirect: ErrorResponse.toQueryString parsed back into RedirectUri (error, error_description, state). */
export function errorRedirect(redirectUri: string, error: string, state: string | undefined): string {
  return withQuery(redirectUri, [
    ['error', error],
    ['error_description', errorDescription('authorize', error)],
    ['state', state],
  ]);
}

/**
 * RequestParameterService.parametersAsString: name=URLEncoder(value) joined
 * with "&", blank values left out, in the map's (HashMap) order.
 */
export function parametersAsString(p: Params): string {
  return javaHashOrder([...p.keys()])
    .filter((k) => !isBlank(p.get(k)))
    .map((k) => `${k}=${javaUrlEncode(p.get(k) as string)}`)
    .join('&');
}

/** ScopeChecker.checkScopesPolicy: the requested scopes the client has, in HashSet order. */
export function grantedScopes(client: ClientRecord, scope: string | undefined): string[] {
  return javaHashOrder(spaceList(scope).filter((s) => client.scopes.includes(s)));
}
