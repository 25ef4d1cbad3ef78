// The oxd-server.yml knobs the emulation reads, with the values of the
// packaged 4.2 file (oxd-server/src/main/resources/oxd-server.yml @
// version_4.2.3). Only bind_ip_addresses comes from the sandbox settings;
// the rest stay at the shipped defaults unless a test overrides them.
import type { SandboxSettings } from '../settings';

export interface DefaultSiteConfig {
  scope: string[];
  grantTypes: string[];
  responseTypes: string[];
  /** `acr_values: ['']`: joins to an empty string, so no acr_values in authorization URLs. */
  acrValues: string[];
  uiLocales: string[];
  claimsLocales: string[];
}

export interface OxdServerConfig {
  /** Build version reported by /health-check (4.2.2 form, oxd.md §4.1). */
  version: string;
  /** bind_ip_addresses: empty = 127.0.0.1 only, "*" = everyone (oxd.md §1). */
  bindIpAddresses: string[];
  protectCommandsWithAccessToken: boolean;
  protectCommandsWithOxdId: string[];
  encodeStateFromRequestParameter: boolean;
  addClientCredentialsGrantTypeAutomatically: boolean;
  uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient: boolean;
  stateExpirationInMinutes: number;
  nonceExpirationInMinutes: number;
  dbCleanupIntervalInHours: number;
  publicOpKeyCacheExpirationInMinutes: number;
  acceptIdTokenWithoutSignature: boolean;
  idTokenValidationAtHashRequired: boolean;
  idTokenValidationSHashRequired: boolean;
  fapiEnabled: boolean;
  iatExpirationInHours: number;
  validateUserInfoWithIdToken: boolean;
  encodeNonceFromRequestParameter: boolean;
  encodeClientIdInAuthorizationUrl: boolean;
  defaultSiteConfig: DefaultSiteConfig;
  /**
   * Jetty sets no request-body limit; the sandbox needs one to stay up
   * (DEVIATIONS: oversized bodies).
   */
  bodyLimit: number;
}

export function shippedOxdConfig(): OxdServerConfig {
  return {
    version: '4.2.2',
    bindIpAddresses: [],
    protectCommandsWithAccessToken: true,
    protectCommandsWithOxdId: [],
    encodeStateFromRequestParameter: false,
    addClientCredentialsGrantTypeAutomatically: true,
    uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient: false,
    // OxdServerConfiguration.java defaults @ version_4.2.3 (lines 41–113) where the yml is silent.
    stateExpirationInMinutes: 5,
    nonceExpirationInMinutes: 5,
    dbCleanupIntervalInHours: 1,
    publicOpKeyCacheExpirationInMinutes: 60,
    acceptIdTokenWithoutSignature: false,
    idTokenValidationAtHashRequired: true,
    idTokenValidationSHashRequired: false,
    fapiEnabled: false,
    iatExpirationInHours: 1,
    validateUserInfoWithIdToken: false,
    encodeNonceFromRequestParameter: false,
    encodeClientIdInAuthorizationUrl: false,
    defaultSiteConfig: {
      scope: ['openid', 'profile', 'email'],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      acrValues: [''],
      uiLocales: ['en'],
      claimsLocales: ['en'],
    },
    bodyLimit: 4 * 1024 * 1024,
  };
}

/**
 * The oxd-server.yml GG's installer writes (gluu-gateway-setup
 * setup/templates/oxd-server.yml @ version_4.2.2): the packaged values plus
 * `uma2_auto_register_claims_gathering_endpoint_as_redirect_uri_of_client:
 * true` (oidc-uma.md §1.4 step 2). `trust_all_certs: true` is how the AS
 * client always runs in the sandbox (lib/http-client.ts).
 */
export function oxdConfigFromSettings(settings: SandboxSettings): OxdServerConfig {
  return { ...shippedOxdConfig(), uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient: true, bindIpAddresses: [...settings.oxd.bindIpAddresses] };
}
