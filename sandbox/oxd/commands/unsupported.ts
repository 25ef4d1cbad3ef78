// Endpoints the real oxd-server routes but the sandbox does not emulate
// (get-authorization-code, authorization-code-flow, uma-rs-modify,
// discovery helpers). They go through the same IP, parameter and token
// checks, then answer like an operation oxd cannot find: 500
// unsupported_operation (DEVIATIONS).
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
  '/get-authorization-code': unsupported('get_authorization_code', 'GetAuthorizationCodeParams'),
  '/uma-rs-modify': unsupported('uma_rs_modify', 'RsModifyParams'),
  '/authorization-code-flow': unsupported('authorization_code_flow', 'AuthorizationCodeFlowParams'),
  '/check-access-token': unsupported('access_token_status', 'CheckAccessTokenParams'),
  '/check-id-token': unsupported('id_token_status', 'CheckIdTokenParams'),
  '/get-discovery': unsupported('get_discovery', 'GetDiscoveryParams'),
  '/get-issuer': unsupported('issuer_discovery', 'GetIssuerParams'),
  '/get-request-object-uri': unsupported('get_request_uri', 'GetRequestObjectUriParams'),
};
