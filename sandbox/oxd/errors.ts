// oxd's error vocabulary (oxd.md §2.2, §2.3) and the four body shapes a
// caller can see: the oxd error object, a JSON answer built by an operation
// (need_info pass-through, check-access invalid_request), the Dropwizard
// container error {"code","message"}, and the plain-text parse error.
import * as crypto from 'node:crypto';

export interface ErrorCodeSpec {
  status: number;
  error: string;
  description: string;
}

// CoreUtils.DOC_URL, appended to some descriptions (oxd.md §2.3).
export const DOC_URL = 'https://gluu.org/docs/oxd';

const TOKEN_PROTECTION_HINT =
  'Command is protected by access_token, please provide valid token or otherwise switch off protection in configuration with protect_commands_with_access_token=false';

/**
 * `ErrorResponseCode` (oxd.md §2.3). The names are the Java enum constants so
 * the handlers read like the operations they emulate. Rows marked "upstream"
 * are not in oxd.md's table but are thrown by the same 4.2.3 code paths the
 * sandbox reproduces (oxd-common ErrorResponseCode.java @ version_4.2.3).
 */
export const ERROR_CODES = {
  INTERNAL_ERROR_UNKNOWN: { status: 500, error: 'internal_error', description: 'Unknown internal server error occurs.' },
  FAILED_TO_GET_RPT: { status: 500, error: 'internal_error', description: 'Failed to get RPT.' },
  BAD_REQUEST_NO_OXD_ID: { status: 400, error: 'bad_request', description: 'oxd_id is empty or not specified or is otherwise invalid (not registered).' },
  INTERNAL_ERROR_NO_PARAMS: { status: 400, error: 'bad_request', description: 'Command parameters are not specified or otherwise malformed.' },
  INVALID_OXD_ID: {
    status: 400,
    error: 'invalid_oxd_id',
    description:
      'Invalid oxd_id. Unable to find the site for oxd_id. It does not exist or has been removed from the server. Please use the register_site command to register a site.',
  },
  INVALID_REQUEST: { status: 400, error: 'invalid_request', description: "Request is invalid. It doesn't contains all required parameters or otherwise is malformed." },
  BLANK_ACCESS_TOKEN: { status: 403, error: 'blank_access_token', description: `access_token is blank. ${TOKEN_PROTECTION_HINT}` },
  INVALID_ACCESS_TOKEN: { status: 403, error: 'invalid_access_token', description: `Invalid access_token. ${TOKEN_PROTECTION_HINT}` },
  INACTIVE_ACCESS_TOKEN: { status: 403, error: 'inactive_access_token', description: `Inactive access_token. ${TOKEN_PROTECTION_HINT}` },
  ACCESS_TOKEN_INSUFFICIENT_SCOPE: {
    status: 403,
    error: 'access_token_insufficient_scope',
    description:
      "access_token does not have `oxd` scope. Make sure a) scope exists on AS b) register_site is registered with 'oxd' scope c) get_client_token has 'oxd' scope in request",
  },
  OXD_ACCESS_DENIED: {
    status: 403,
    error: 'oxd_access_denied',
    description: 'The caller is not allowed to make request to oxd. To allow add ip_address of caller in `bind_ip_addresses` field of `oxd-server.yml`.',
  },
  INVALID_AUTHORIZATION_OXD_ID: {
    status: 400,
    error: 'invalid_authorization_oxd_id',
    description:
      '`oxd_id` in `AuthorizationOxdId` header is invalid. The `AuthorizationOxdId` header should contain `oxd_id` from `protect_commands_with_oxd_id` field in oxd-server.yml.',
  },
  AUTHORIZATION_OXD_ID_NOT_FOUND: { status: 400, error: 'authorization_oxd_id_not_found', description: '`oxd_id` in `AuthorizationOxdId` header is not registered in oxd.' },
  INVALID_CLIENT_SECRET_REQUIRED: {
    status: 400,
    error: 'invalid_client_secret',
    description: 'client_secret is required parameter in request (skip client_id if you wish to dynamically register client.).',
  },
  INVALID_CLIENT_ID_REQUIRED: {
    status: 400,
    error: 'invalid_client_id',
    description: 'client_id is required parameter in request (skip client_secret if you wish to dynamically register client.).',
  },
  INVALID_OP_HOST_AND_CONFIGURATION_ENDPOINT: {
    status: 400,
    error: 'invalid_op_host_and_configuration_endpoint',
    description: 'Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined.',
  },
  INVALID_REDIRECT_URI: { status: 400, error: 'invalid_redirect_uri', description: 'Invalid redirect_uri (empty, blank or invalid).' },
  INVALID_SCOPE: { status: 400, error: 'invalid_scope', description: 'Invalid scope parameter (empty or blank).' },
  NO_CONNECT_DISCOVERY_RESPONSE: {
    status: 500,
    error: 'no_connect_discovery_response',
    description: 'Unable to fetch Connect discovery response /.well-known/openid-configuration',
  },
  NO_UMA_DISCOVERY_RESPONSE: { status: 500, error: 'no_uma_discovery_response', description: 'Unable to fetch UMA discovery response /.well-known/uma2-configuration' },
  NO_UMA_RESOURCES_TO_PROTECT: {
    status: 400,
    error: 'invalid_uma_request',
    description: `Resources list to protect is empty or blank. Please check it according to protocol definition at ${DOC_URL}`,
  },
  NO_UMA_HTTP_METHOD: {
    status: 400,
    error: 'invalid_http_method',
    description: `http_method is not specified or otherwise not GET or POST or PUT or DELETE. Please check it according to protocol definition at ${DOC_URL}`,
  },
  NO_UMA_PATH_PARAMETER: { status: 400, error: 'invalid_path_parameter', description: 'path parameter is not specified or otherwise not valid' },
  NO_UMA_TICKET_PARAMETER: { status: 400, error: 'invalid_ticket_parameter', description: 'ticket parameter is not specified or otherwise is not valid' },
  NO_UMA_CLAIMS_REDIRECT_URI_PARAMETER: {
    status: 400,
    error: 'invalid_claims_redirect_uri_parameter',
    description: 'claims_redirect_uri parameter is not specified or otherwise is not valid',
  },
  // (sic) the code is truncated in the product (oxd.md §2.3).
  INVALID_CLAIM_TOKEN_OR_CLAIM_TOKEN_FORMAT: { status: 400, error: 'invalid_claim_token_or_claim_token_form', description: 'Claim token or claim token format is invalid.' },
  UMA_HTTP_METHOD_NOT_UNIQUE: {
    status: 400,
    error: 'http_method_not_unique',
    description: 'HTTP method defined in JSON must be unique within given PATH (but occurs more then one time).',
  },
  UMA_FAILED_TO_VALIDATE_SCOPE_EXPRESSION: {
    status: 400,
    error: 'invalid_scope_expression',
    description: 'The scope expression is invalid. Please check the documentation and make sure it is a valid JsonLogic expression.',
  },
  UMA_PROTECTION_FAILED_BECAUSE_RESOURCES_ALREADY_EXISTS: {
    status: 400,
    error: 'uma_protection_exists',
    description:
      'Server already has UMA Resources registered for this oxd_id. It is possible to overwrite it if provide overwrite=true for uma_rs_protect command (existing resources will be removed and new UMA Resources added).',
  },
  // upstream: thrown by the same code paths (see DEVIATIONS.part.md).
  INVALID_OP_CONFIGURATION_ENDPOINT: { status: 400, error: 'invalid_op_configuration_endpoint', description: 'Invalid op_configuration_endpoint (invalid or blank).' },
  REDIRECT_URI_HAS_FRAGMENT_COMPONENT: { status: 400, error: 'redirect_uri_has_fragment_component', description: 'Fragment component is not allowed in redirect uri.' },
  NO_CLIENT_ID_IN_INTROSPECTION_RESPONSE: {
    status: 500,
    error: 'invalid_introspection_response',
    description:
      'AS returned introspection response with empty/blank client_id which is required by oxd. Please check your AS installation and make sure AS return client_id for introspection call (CE 3.1.0 or later).',
  },
  NO_CLIENT_ID_RETURNED: {
    status: 500,
    error: 'no_client_id_returned',
    description: '`client_id` is not returned from OP host. Please check OP log file for error (oxauth.log).',
  },
  NO_CLIENT_SECRET_RETURNED: {
    status: 500,
    error: 'no_client_secret_returned',
    description:
      '`client_secret` is not returned from OP host. Please check: 1) OP log file for error (oxauth.log) 2) whether `returnClientSecretOnRead` configuration property is set to true on OP host.',
  },
  NO_REGISTRATION_ENDPOINT: {
    status: 500,
    error: 'invalid_request',
    description:
      'OP does not support dynamic client registration. Please register client manually and provide client_id and client_secret to register_site command.',
  },
  // OpenID Connect commands (ErrorResponseCode.java @ version_4.2.3 lines 26–118).
  BAD_REQUEST_NO_CODE: { status: 400, error: 'bad_request', description: "'code' is empty or not specified." },
  BAD_REQUEST_NO_STATE: { status: 400, error: 'bad_request', description: "'state' is empty or not specified." },
  BAD_REQUEST_STATE_NOT_VALID: { status: 400, error: 'bad_request', description: "'state' is not registered." },
  BAD_REQUEST_INVALID_CODE: { status: 400, error: 'bad_request', description: "'code' is invalid." },
  NO_ID_TOKEN_RETURNED: {
    status: 500,
    error: 'no_id_token',
    description: "id_token is not returned. Please check: 1) OP log file for error (oxauth.log) 2) whether 'openid' scope is present for 'get_authorization_url' command",
  },
  NO_ACCESS_TOKEN_RETURNED: { status: 500, error: 'no_access_token', description: 'access_token is not returned by OP. Please check OP configuration.' },
  INVALID_NONCE: { status: 400, error: 'invalid_nonce', description: 'Nonce value is not registered with oxd.' },
  INVALID_ID_TOKEN_NO_NONCE: { status: 500, error: 'invalid_id_token_no_nonce', description: 'Invalid id_token. Nonce claim is missing from id_token.' },
  INVALID_ID_TOKEN_BAD_AUDIENCE: {
    status: 500,
    error: 'invalid_id_token_bad_audience',
    description: 'Invalid id_token. Audience value from token does not match audience from request.',
  },
  INVALID_ID_TOKEN_NO_AUDIENCE: { status: 500, error: 'invalid_id_token_no_audience', description: 'Invalid id_token. Audience claim is missing from id_token.' },
  INVALID_ID_TOKEN_BAD_AUTHORIZED_PARTY: {
    status: 500,
    error: 'invalid_id_token_bad_authorized_party',
    description: 'Invalid id_token. Authorized party value from token does not match client_id of client.',
  },
  INVALID_ID_TOKEN_NO_AUTHORIZED_PARTY: {
    status: 500,
    error: 'invalid_id_token_no_authorized_party',
    description: 'Invalid id_token. Authorized party (`azp`) is missing in ID Token.',
  },
  INVALID_ID_TOKEN_EXPIRED: { status: 500, error: 'invalid_id_token_expired', description: 'Invalid id_token. id_token expired.' },
  INVALID_ID_TOKEN_NO_ISSUER: { status: 500, error: 'invalid_id_token_no_issuer', description: 'Invalid id_token. Issuer claim is missing from id_token.' },
  INVALID_ID_TOKEN_BAD_ISSUER: { status: 500, error: 'invalid_id_token_bad_issuer', description: 'Invalid id_token. Bad issuer.' },
  INVALID_ID_TOKEN_BAD_SIGNATURE: { status: 500, error: 'invalid_id_token_bad_signature', description: 'Invalid id_token. Bad signature.' },
  // (sic) two full stops in the product.
  INVALID_ID_TOKEN_INVALID_ALGORITHM: {
    status: 500,
    error: 'invalid_id_token_invalid_algorithm',
    description:
      'Invalid id_token. The algorithm used to sign the ID Token does not matches with `id_token_signed_response_alg` algorithm set during client registration..',
  },
  INVALID_ID_TOKEN_UNKNOWN: {
    status: 500,
    error: 'invalid_id_token_unknown',
    description: 'Invalid id_token, validation fail due to exception, please check oxd-server.log for details.',
  },
  INVALID_ID_TOKEN_ISSUED_AT: {
    status: 500,
    error: 'invalid_id_token_issued_at',
    description: '`ISSUED_AT` date is either invalid or missing from `ID_TOKEN`.',
  },
  INVALID_ID_TOKEN_OLD_ISSUED_AT: { status: 500, error: 'invalid_id_token_old_issued_at', description: 'Invalid ID_TOKEN. `ISSUED_AT` date too far in the past' },
  INVALID_ID_TOKEN_EXPIRATION_TIME: {
    status: 500,
    error: 'invalid_id_token_expiration_time',
    description: 'EXPIRATION_TIME (`exp`) is either invalid or missing from `ID_TOKEN`.',
  },
  NO_SUBJECT_IDENTIFIER: { status: 500, error: 'no_subject_identifier', description: 'ID Token is missing `sub` value.' },
  INVALID_ACCESS_TOKEN_BAD_HASH: {
    status: 500,
    error: 'invalid_access_token_bad_hash',
    description: 'access_token is invalid. Hash of access_token does not match hash from id_token (at_hash).',
  },
  S_HASH_NOT_FOUND: { status: 500, error: 's_hash_not_found', description: '`s_hash` is missing in `ID_TOKEN`.' },
  INVALID_STATE_BAD_HASH: { status: 500, error: 'invalid_state_bad_hash', description: 'State is invalid. Hash of state does not match hash from id_token (s_hash).' },
  INVALID_ALGORITHM: { status: 500, error: 'invalid_algorithm', description: 'Invalid algorithm provided (empty or null).' },
  ALGORITHM_NOT_SUPPORTED: { status: 500, error: 'algorithm_not_supported', description: 'Algorithm not supported.' },
  ID_TOKEN_WITHOUT_SIGNATURE_NOT_ALLOWED: {
    status: 400,
    error: 'id_token_without_signature_not_allowed',
    description:
      "`ID_TOKEN` without signature is not allowed. To allow `ID_TOKEN` without signature set `accept_id_token_without_signature` field to 'true' in oxd-server.yml.",
  },
  // The list is Arrays.toString(SignatureAlgorithm.values()) (unverified rendering of the enum names).
  INVALID_SIGNATURE_ALGORITHM: {
    status: 400,
    error: 'invalid_algorithm',
    description: 'Invalid algorithm provided. Valid algorithms are: [NONE, HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512]',
  },
  INVALID_SUBJECT_IDENTIFIER: {
    status: 500,
    error: 'invalid_subject_identifier',
    description: 'UserInfo `sub` value does not matches with `sub` value of ID_TOKEN.',
  },
  FAILED_TO_VERIFY_SUBJECT_IDENTIFIER: {
    status: 500,
    error: 'failed_to_verify_subject_identifier',
    description: 'Failed to verify subject identifier (`sub`) of UserInfo response. See oxd-server logs for details.',
  },
  REDIRECT_URI_IS_NOT_REGISTERED: { status: 400, error: 'redirect_uri_is_not_registered', description: 'The authorization redirect uri is not registered.' },
  FAILED_TO_GET_END_SESSION_ENDPOINT: {
    status: 500,
    error: 'no_end_session_endpoint_at_op',
    description: 'OP does not provide end_session_endpoint at /.well-known/openid-configuration.',
  },
  BAD_REQUEST_NO_REFRESH_TOKEN: { status: 400, error: 'bad_request', description: "'refresh token' is empty or not specified." },
  FAILED_TO_REMOVE_SITE: { status: 500, error: 'remove_site_failed', description: 'Failed to remove site.' },
  UNSUPPORTED_OPERATION: { status: 500, error: 'unsupported_operation', description: 'Operation is not supported by server error.' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** `HttpException`: an oxd error with its own JSON entity. */
export class OxdError extends Error {
  constructor(readonly code: ErrorCodeName) {
    super(ERROR_CODES[code].error);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** ErrorResponse: `{"error","error_description","details":null,"reason":null}`; the nulls left out once the mapper omits them (oxd.md §2.4). */
  get body(): { error: string; error_description: string; details: undefined; reason: undefined } {
    const spec = ERROR_CODES[this.code];
    return { error: spec.error, error_description: spec.description, details: undefined, reason: undefined };
  }
}

/** A `WebApplicationException` carrying a JSON entity built by the operation. */
export class JsonAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`json answer ${status}`);
  }
}

/**
 * A `WebApplicationException` without entity: Dropwizard's LoggingExceptionMapper
 * answers `{"code":<status>,"message":<exception message>}` (oxd.md §2.2).
 */
export class ContainerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Jackson could not bind the body: 400 plain text (oxd.md §1). */
export class ParamsError extends Error {
  constructor(readonly parserMessage: string) {
    super(parserMessage);
  }
}

export const PARSE_ERROR_PREFIX = 'Invalid parameters. Message: ';

export const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The message Jersey gives its own web exceptions, e.g. "HTTP 404 Not Found". */
export function jerseyMessage(status: number): string {
  return `HTTP ${status} ${REASON_PHRASES[status] ?? ''}`.trimEnd();
}

export function containerErrorBody(status: number, message: string): { code: number; message: string } {
  return { code: status, message };
}

/** LoggingExceptionMapper's answer to an unexpected exception: the id is a random long in %016x. */
export function unhandledErrorMessage(): string {
  return `There was an error processing your request. It has been logged (ID ${crypto.randomBytes(8).toString('hex')}).`;
}

/**
 * An AS answered a RESTEasy-proxy call with an error status
 * (`ClientResponseFailure`). oxd's Processor turns it into
 * `new WebApplicationException(entity, status)`, i.e. a container error
 * whose message is the AS body.
 */
export class ClientResponseFailure extends Error {
  constructor(
    readonly status: number,
    readonly entity: string,
  ) {
    super(`AS answered ${status}`);
  }
}
