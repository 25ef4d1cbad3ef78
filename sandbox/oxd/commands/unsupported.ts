// Endpoints the real oxd-server routes but the sandbox does not emulate
// (OpenID Connect RP flows, uma-rs-modify, discovery helpers). They go
// through the same IP, parameter and token checks, then answer like an
// operation oxd cannot find: 500 unsupported_operation (DEVIATIONS).
import type { CommandName } from '../command-auth';
import { OxdError } from '../errors';
import { opaqueParams } from '../param-classes';
import type { CommandDef } from '../processor';

function unsupported(command: CommandName, javaParams: string): CommandDef {
  return {
    command,
    params: opaqueParams(javaParams),
    needsOxdId: false,
    execute: async () => {
      throw new OxdError('UNSUPPORTED_OPERATION');
    },
  };
}

export const UNSUPPORTED_POST_COMMANDS: Record<string, CommandDef> = {
  '/get-authorization-url': unsupported('get_authorization_url', 'GetAuthorizationUrlParams'),
  '/get-authorization-code': unsupported('get_authorization_code', 'GetAuthorizationCodeParams'),
  '/get-tokens-by-code': unsupported('get_tokens_by_code', 'GetTokensByCodeParams'),
  '/get-user-info': unsupported('get_user_info', 'GetUserInfoParams'),
  '/get-logout-uri': unsupported('get_logout_uri', 'GetLogoutUrlParams'),
  '/uma-rs-modify': unsupported('uma_rs_modify', 'RsModifyParams'),
  '/authorization-code-flow': unsupported('authorization_code_flow', 'AuthorizationCodeFlowParams'),
  '/check-access-token': unsupported('access_token_status', 'CheckAccessTokenParams'),
  '/check-id-token': unsupported('id_token_status', 'CheckIdTokenParams'),
  '/get-discovery': unsupported('get_discovery', 'GetDiscoveryParams'),
  '/get-issuer': unsupported('issuer_discovery', 'GetIssuerParams'),
  '/get-request-object-uri': unsupported('get_request_uri', 'GetRequestObjectUriParams'),
};
