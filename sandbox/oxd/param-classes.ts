// The JSON shapes of oxd's parameter classes (oxd-common `params/*`, the
// swagger request schemas), as data for the binder. Only the declared field
// types matter: unknown fields are ignored by every oxd params class.
import type { ClassSpec, FieldKind } from './params';

const P = 'org.gluu.oxd.common.params.';

/** Client metadata fields shared by register-site and update-site. */
const CLIENT_METADATA: Record<string, FieldKind> = {
  redirect_uris: 'stringList',
  post_logout_redirect_uris: 'stringList',
  response_types: 'stringList',
  grant_types: 'stringList',
  scope: 'stringList',
  acr_values: 'stringList',
  client_name: 'string',
  client_jwks_uri: 'string',
  client_token_endpoint_auth_method: 'string',
  client_token_endpoint_auth_signing_alg: 'string',
  client_request_uris: 'stringList',
  client_frontchannel_logout_uris: 'stringList',
  client_sector_identifier_uri: 'string',
  contacts: 'stringList',
  ui_locales: 'stringList',
  claims_locales: 'stringList',
  claims_redirect_uri: 'stringList',
  access_token_as_jwt: 'boolean',
  access_token_signing_alg: 'string',
  rpt_as_jwt: 'boolean',
  logo_uri: 'string',
  client_uri: 'string',
  policy_uri: 'string',
  front_channel_logout_session_required: 'boolean',
  tos_uri: 'string',
  jwks: 'string',
  id_token_binding_cnf: 'string',
  tls_client_auth_subject_dn: 'string',
  run_introspection_script_beforeaccess_token_as_jwt_creation_and_include_claims: 'boolean',
  id_token_signed_response_alg: 'string',
  id_token_encrypted_response_alg: 'string',
  id_token_encrypted_response_enc: 'string',
  user_info_signed_response_alg: 'string',
  user_info_encrypted_response_alg: 'string',
  user_info_encrypted_response_enc: 'string',
  request_object_signing_alg: 'string',
  request_object_encryption_alg: 'string',
  request_object_encryption_enc: 'string',
  default_max_age: 'integer',
  require_auth_time: 'boolean',
  initiate_login_uri: 'string',
  authorized_origins: 'stringList',
  access_token_lifetime: 'integer',
  software_id: 'string',
  software_version: 'string',
  software_statement: 'string',
  custom_attributes: 'stringMap',
  sync_client_from_op: 'boolean',
  sync_client_period_in_seconds: 'integer',
  allow_spontaneous_scopes: 'boolean',
  spontaneous_scopes: 'stringList',
  subject_type: 'string',
};

const OP_LOCATION: Record<string, FieldKind> = {
  op_configuration_endpoint: 'string',
  op_host: 'string',
  op_discovery_path: 'string',
};

export const CONDITION: ClassSpec = {
  javaClass: 'org.gluu.oxd.rs.protect.Condition',
  fields: { httpMethods: 'stringList', scopes: 'stringList', scope_expression: 'node', ticketScopes: 'stringList' },
};

export const RS_RESOURCE: ClassSpec = {
  javaClass: 'org.gluu.oxd.rs.protect.RsResource',
  fields: { path: 'string', conditions: { listOf: CONDITION }, iat: 'integer', exp: 'integer' },
};

export const PARAM_CLASSES = {
  RegisterSiteParams: { javaClass: `${P}RegisterSiteParams`, fields: { ...OP_LOCATION, ...CLIENT_METADATA, client_id: 'string', client_secret: 'string' } },
  UpdateSiteParams: { javaClass: `${P}UpdateSiteParams`, fields: { oxd_id: 'string', ...CLIENT_METADATA } },
  RemoveSiteParams: { javaClass: `${P}RemoveSiteParams`, fields: { oxd_id: 'string' } },
  GetRpParams: { javaClass: `${P}GetRpParams`, fields: { oxd_id: 'string', list: 'boolean' } },
  GetClientTokenParams: {
    javaClass: `${P}GetClientTokenParams`,
    fields: { ...OP_LOCATION, scope: 'stringList', client_id: 'string', client_secret: 'string', authentication_method: 'string', algorithm: 'string', key_id: 'string' },
  },
  IntrospectAccessTokenParams: { javaClass: `${P}IntrospectAccessTokenParams`, fields: { oxd_id: 'string', access_token: 'string' } },
  GetAccessTokenByRefreshTokenParams: {
    javaClass: `${P}GetAccessTokenByRefreshTokenParams`,
    fields: { oxd_id: 'string', refresh_token: 'string', scope: 'stringList' },
  },
  RsProtectParams: { javaClass: `${P}RsProtectParams`, fields: { oxd_id: 'string', overwrite: 'boolean', resources: { listOf: RS_RESOURCE } } },
  RsCheckAccessParams: {
    javaClass: `${P}RsCheckAccessParams`,
    fields: { oxd_id: 'string', rpt: 'string', path: 'string', http_method: 'string', scopes: 'stringList' },
  },
  IntrospectRptParams: { javaClass: `${P}IntrospectRptParams`, fields: { oxd_id: 'string', rpt: 'string' } },
  RpGetRptParams: {
    javaClass: `${P}RpGetRptParams`,
    fields: {
      oxd_id: 'string',
      ticket: 'string',
      claim_token: 'string',
      claim_token_format: 'string',
      pct: 'string',
      rpt: 'string',
      scope: 'stringList',
      state: 'string',
      params: 'stringMap',
    },
  },
  RpGetClaimsGatheringUrlParams: {
    javaClass: `${P}RpGetClaimsGatheringUrlParams`,
    fields: { oxd_id: 'string', ticket: 'string', claims_redirect_uri: 'string', state: 'string', custom_parameters: 'stringMap' },
  },
  GetAuthorizationUrlParams: {
    javaClass: `${P}GetAuthorizationUrlParams`,
    fields: {
      oxd_id: 'string',
      acr_values: 'stringList',
      prompt: 'string',
      scope: 'stringList',
      hd: 'string',
      state: 'string',
      nonce: 'string',
      custom_parameters: 'stringMap',
      params: 'stringMap',
      redirect_uri: 'string',
      response_types: 'stringList',
    },
  },
  GetTokensByCodeParams: {
    javaClass: `${P}GetTokensByCodeParams`,
    fields: { oxd_id: 'string', code: 'string', state: 'string', authentication_method: 'string', algorithm: 'string' },
  },
  GetUserInfoParams: { javaClass: `${P}GetUserInfoParams`, fields: { oxd_id: 'string', access_token: 'string', id_token: 'string' } },
  GetLogoutUrlParams: {
    javaClass: `${P}GetLogoutUrlParams`,
    fields: { oxd_id: 'string', id_token_hint: 'string', post_logout_redirect_uri: 'string', state: 'string', session_state: 'string' },
  },
  GetJwksParams: { javaClass: `${P}GetJwksParams`, fields: { ...OP_LOCATION } },
} satisfies Record<string, ClassSpec>;

/** For the commands the sandbox routes but does not emulate: only the oxd_id is read. */
export function opaqueParams(javaName: string): ClassSpec {
  return { javaClass: `${P}${javaName}`, fields: { oxd_id: 'string' } };
}
