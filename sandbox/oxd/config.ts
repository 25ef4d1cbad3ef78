// The oxd-server.yml knobs the emulation reads, with the values of the
// packaged 4.2 file (oxd-server/src/main/resources/oxd-server.yml @
// version_4.2.3). Only bind_ip_addresses comes from the sandbox settings;
// the rest stay at the shipped defaults unless a test overrides them.
import type { SandboxSettings } from '../settings';

export interface DefaultSiteConfig {
  scope: string[];
  grantTypes: string[];
  responseTypes: string[];
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
    defaultSiteConfig: {
      scope: ['openid', 'profile', 'email'],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      uiLocales: ['en'],
      claimsLocales: ['en'],
    },
    bodyLimit: 4 * 1024 * 1024,
  };
}

export function oxdConfigFromSettings(settings: SandboxSettings): OxdServerConfig {
  return { ...shippedOxdConfig(), bindIpAddresses: [...settings.oxd.bindIpAddresses] };
}
