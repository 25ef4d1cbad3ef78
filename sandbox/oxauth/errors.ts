// oxAuth error answers as data: the descriptions of CES
// static/oxauth/oxauth-errors.json (lists `uma`, `token`, `register`,
// `authorize`), the UMA token endpoint error table (oxauth.md §3.6) and the
// body format of ErrorResponseFactory.errorAsJson: org.json toString(4),
// `reason` only with errorReasonEnabled (oxauth.md §3.6, §11).
import type * as http from 'node:http';
import { send, type Headers } from '../lib/http';
import { orgJson, type JsonObject } from './java-json';

export type ErrorList = 'uma' | 'token' | 'register' | 'authorize' | 'endSession' | 'userInfo';

export const ERROR_DESCRIPTIONS = {
  uma: {
    invalid_request: 'The request is missing a required parameter, includes an unsupported parameter or parameter value, or is otherwise malformed.',
    disabled_client: "The client is disabled and can't request an access token using this method.",
    unauthorized_client: 'The client is not authorized to request an access token using this method.',
    invalid_session: 'The provided session is invalid.',
    access_denied: 'The resource owner or AM server denied the request.',
    invalid_client_scope: 'The requested scope is invalid, unknown, or malformed.',
    server_error: 'The AM server encountered an unexpected condition which prevented it from fulfilling the request.',
    not_found: 'The resource set requested from the AM cannot be found.',
    invalid_resource_id: 'The provided resource id was not found at the AS.',
    forbidden_by_policy: 'Forbidden by policy (policy returned false).',
    invalid_permission_request: 'The provided permission request is not valid.',
    invalid_claims_gathering_script_name:
      'The claims-gathering script name is not provided or otherwise failed to load script with this name(s).',
    invalid_ticket: 'The provided ticket was not found at the AS.',
    // expired_ticket (UmaErrorResponseType) has no entry in CES 4.2's oxauth-errors.json: no description.
    invalid_client_id: 'The provided client_id is not valid.',
    invalid_claims_redirect_uri: 'The provided claims_redirect_uri is not valid.',
    invalid_claim_token_format:
      'The claim token format is blank or otherwise not supported (supported format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken).',
    invalid_claim_token:
      'The claim token is not valid or unsupported. (If format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken then claim token has to be ID Token).',
    invalid_pct: 'PCT is invalid (revoked, expired or does not exist anymore on AS)',
    invalid_rpt: 'RPT is invalid (revoked, expired or does not exist anymore on AS)',
    invalid_scope: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
  },
  token: {
    invalid_request:
      'The request is missing a required parameter, includes an unsupported parameter or parameter value, repeats a parameter, includes multiple credentials, utilizes more than one mechanism for authenticating the client, or is otherwise malformed.',
    disabled_client: "The client is disabled and can't request an access token using this method.",
    invalid_client:
      'Client authentication failed (e.g. unknown client, no client authentication included, or unsupported authentication method). The authorization server MAY return an HTTP 401 (Unauthorized) status code to indicate which HTTP authentication schemes are supported. If the client attempted to authenticate via the Authorization request header field, the authorization server MUST respond with an HTTP 401 (Unauthorized) status code, and include the WWW-Authenticate response header field matching the authentication scheme used by the client.',
    invalid_grant:
      'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    unauthorized_client: 'The authenticated client is not authorized to use this authorization grant type.',
    unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
    invalid_scope: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
  },
  register: {
    invalid_request: 'The request is missing a required parameter, includes an unsupported parameter or parameter value, or is otherwise malformed.',
    invalid_redirect_uri: 'Value of one or more redirect_uris is invalid.',
    invalid_claims_redirect_uri: 'Value of one or more claims_redirect_uris is invalid.',
    invalid_client_metadata:
      'The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client\'s Metadata.',
    invalid_token: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
    access_denied: 'The authorization server denied the request.',
  },
  // oxAuth Server/conf/oxauth-errors.json (copied by CES as static/oxauth/oxauth-errors.json).
  authorize: {
    invalid_request: 'The request is missing a required parameter, includes an unsupported parameter or parameter value, or is otherwise malformed.',
    disabled_client: "The client is disabled and can't request an access token using this method.",
    unauthorized_client: 'The client is not authorized to request an access token using this method.',
    access_denied: 'The resource owner or authorization server denied the request.',
    unsupported_response_type: 'The authorization server does not support obtaining an access token using this method.',
    invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
    server_error: 'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
    invalid_request_redirect_uri: "The redirect_uri in the Authorization Request does not match any of the Client's pre-registered redirect_uris.",
    login_required:
      'The Authorization Server requires End-User authentication. This error MAY be returned when the prompt parameter in the Authorization Request is set to none to request that the Authorization Server should not display any user interfaces to the End-User, but the Authorization Request cannot be completed without displaying a user interface for user authentication.',
    consent_required:
      'The Authorization Server requires End-User consent. This error MAY be returned when the prompt parameter in the Authorization Request is set to none to request that the Authorization Server should not display any user interfaces to the End-User, but the Authorization Request cannot be completed without displaying a user interface for End-User consent.',
  },
  endSession: {
    invalid_grant_and_session: 'The provided id token (or access token) or session state are invalid or were issued to another client.',
    session_not_passed: 'The provided session state is empty.',
    post_logout_uri_not_passed: 'The provided post logout uri is empty.',
    post_logout_uri_not_associated_with_client: 'The provided post logout uri is not associated with client.',
    invalid_grant: 'The provided access token is invalid, or was issued to another client.',
  },
  userInfo: {
    invalid_request:
      'The request is missing a required parameter, includes an unsupported parameter or parameter value, repeats the same parameter, uses more than one method for including an access token, or is otherwise malformed.',
    invalid_token:
      'The access token provided is expired, revoked, malformed, or invalid for other reasons. Try to request a new access token and retry the protected resource.',
    insufficient_scope: 'The request requires higher privileges than provided by the access token.',
  },
} as const;

export type ErrorCode<L extends ErrorList> = keyof (typeof ERROR_DESCRIPTIONS)[L] & string;

/** An answer oxAuth gives as a WebApplicationException (status + error JSON). */
export class OxAuthError extends Error {
  constructor(
    readonly status: number,
    readonly list: ErrorList,
    readonly error: string,
    /** The internal message; on the wire only with errorReasonEnabled. */
    readonly reason = '',
    readonly headers: Headers = {},
    readonly contentType = 'application/json',
  ) {
    super(`${status} ${error}${reason ? `: ${reason}` : ''}`);
  }
}

export function umaError(status: number, error: ErrorCode<'uma'>, reason = ''): OxAuthError {
  return new OxAuthError(status, 'uma', error, reason);
}

export function describe(list: ErrorList, error: string): string | undefined {
  return (ERROR_DESCRIPTIONS[list] as Record<string, string>)[error];
}

/** ErrorResponse.toJSonString with the `.replace("\\/", "/")` oxAuth applies. */
export function errorJson(list: ErrorList, error: string, reason: string, errorReasonEnabled: boolean): string {
  const body: JsonObject = { error };
  const description = describe(list, error);
  if (description) body.error_description = description;
  if (errorReasonEnabled && reason.trim() !== '') body.reason = reason;
  return orgJson(body, 4, true);
}

export function sendOxAuthError(res: http.ServerResponse, err: OxAuthError, errorReasonEnabled: boolean): void {
  send(res, err.status, errorJson(err.list, err.error, err.reason, errorReasonEnabled), {
    'Content-Type': err.contentType,
    ...err.headers,
  });
}

/** The UMA token endpoint error table (oxauth.md §3.6), condition → answer. */
export const UMA_TOKEN_ERRORS = {
  requiredClaimsMissing: { status: 403, error: 'need_info' },
  policyFalseOrThrew: { status: 403, error: 'forbidden_by_policy' },
  noPolicyAndNoGrant: { status: 403, error: 'forbidden_by_policy' },
  ticketNotFound: { status: 400, error: 'invalid_ticket' },
  // Bug kept by Gluu: invalid_grant_type exists but is unused (DIV-AS-03).
  wrongGrantType: { status: 400, error: 'invalid_resource_id' },
  wrongClaimTokenFormat: { status: 400, error: 'invalid_claim_token_format' },
  badClaimToken: { status: 400, error: 'invalid_claim_token' },
  pctInvalid: { status: 401, error: 'invalid_pct' },
  rptInvalid: { status: 400, error: 'invalid_rpt' },
  clientDisabled: { status: 403, error: 'disabled_client' },
  noScopes: { status: 400, error: 'invalid_scope' },
  unexpected: { status: 500, error: 'server_error' },
} as const satisfies Record<string, { status: number; error: ErrorCode<'uma'> | 'need_info' }>;

export type UmaTokenCondition = Exclude<keyof typeof UMA_TOKEN_ERRORS, 'requiredClaimsMissing'>;

export function umaTokenError(condition: UmaTokenCondition, reason: string): OxAuthError {
  const row = UMA_TOKEN_ERRORS[condition];
  return new OxAuthError(row.status, 'uma', row.error, reason);
}

/** The filter's answer to failed client authentication (AuthenticationFilter.sendError). */
export function invalidClientError(): OxAuthError {
  return new OxAuthError(401, 'token', 'invalid_client', 'Unable to authenticate client.', { 'WWW-Authenticate': 'Basic realm="oxAuth"' }, 'application/json;charset=UTF-8');
}
