// Discovery documents.
// * UMA (oxauth.md §2, UmaMetadataWS): exactly the default install's document,
//   Jackson pretty printer ("key" : value), nulls kept, `[ ]` for the empty
//   profile list (DIV-AS-14); `introspection_endpoint` is the RPT endpoint.
// * OpenID Connect (servlet OpenIdConfiguration): org.json toString(4) of the
//   CES defaults; the members oxd needs are those of the brief's contract.
import type { Endpoints } from './as-context';
import { jacksonPretty, orgJson, type JsonObject } from './java-json';

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth',
];
const SIGNING_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
export const GRANT_TYPES_SUPPORTED = [
  'authorization_code', 'implicit', 'password', 'client_credentials', 'refresh_token',
  'urn:ietf:params:oauth:grant-type:uma-ticket', 'urn:ietf:params:oauth:grant-type:device_code',
];

export function umaDiscovery(u: Endpoints): JsonObject {
  return {
    issuer: u.issuer,
    authorization_endpoint: u.authorization,
    token_endpoint: u.token,
    jwks_uri: u.jwks,
    registration_endpoint: u.registration,
    response_types_supported: ['code', 'id_token', 'token'],
    grant_types_supported: ['authorization_code', 'implicit', 'client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
    service_documentation: 'http://gluu.org/docs',
    ui_locales_supported: ['en', 'bg', 'de', 'es', 'fr', 'it', 'ru', 'tr'],
    op_policy_uri: 'http://ox.gluu.org/doku.php?id=oxauth:policy',
    op_tos_uri: 'http://ox.gluu.org/doku.php?id=oxauth:tos',
    introspection_endpoint: u.rptStatus,
    code_challenge_methods_supported: null,
    claims_interaction_endpoint: u.claimsInteraction,
    uma_profiles_supported: [],
    permission_endpoint: u.permission,
    resource_registration_endpoint: u.resourceRegistration,
    scope_endpoint: u.scopes,
  };
}

export function umaDiscoveryText(u: Endpoints): string {
  return jacksonPretty(umaDiscovery(u));
}

export function openIdDiscovery(u: Endpoints, scopes: string[]): JsonObject {
  return {
    issuer: u.issuer,
    authorization_endpoint: u.authorization,
    token_endpoint: u.token,
    token_revocation_endpoint: u.revocation,
    revocation_endpoint: u.revocation,
    session_revocation_endpoint: `${u.base}/revoke_session`,
    userinfo_endpoint: u.userinfo,
    clientinfo_endpoint: u.clientinfo,
    check_session_iframe: u.checkSessionIframe,
    end_session_endpoint: u.endSession,
    jwks_uri: u.jwks,
    registration_endpoint: u.registration,
    id_generation_endpoint: `${u.base}/id`,
    introspection_endpoint: u.introspection,
    device_authorization_endpoint: `${u.base}/device_authorization`,
    response_types_supported: ['code', 'code id_token', 'token', 'token id_token', 'code token', 'code token id_token', 'id_token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    acr_values_supported: ['simple_password_auth'],
    subject_types_supported: ['public', 'pairwise'],
    userinfo_signing_alg_values_supported: SIGNING_ALGS,
    id_token_signing_alg_values_supported: ['none', ...SIGNING_ALGS],
    request_object_signing_alg_values_supported: ['none', ...SIGNING_ALGS],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
    display_values_supported: ['page', 'popup'],
    claim_types_supported: ['normal'],
    service_documentation: 'http://gluu.org/docs',
    ui_locales_supported: ['en', 'bg', 'de', 'es', 'fr', 'it', 'ru', 'tr'],
    scopes_supported: scopes,
    claims_parameter_supported: false,
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    require_request_uri_registration: false,
    op_policy_uri: 'http://ox.gluu.org/doku.php?id=oxauth:policy',
    op_tos_uri: 'http://ox.gluu.org/doku.php?id=oxauth:tos',
    tls_client_certificate_bound_access_tokens: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
  };
}

export function openIdDiscoveryText(u: Endpoints, scopes: string[]): string {
  return orgJson(openIdDiscovery(u, scopes), 4, true);
}
