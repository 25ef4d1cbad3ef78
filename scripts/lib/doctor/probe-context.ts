// What every probe gets: the settings, one HTTP client per component (each
// with the doctor's short timeout), and the secrets to keep out of the output.
import type { SuiteConfig } from '../../../support/config';
import { HttpClient } from '../../../support/http';
import { Secrets } from '../../../support/mask';

export interface ProbeClients {
  kongAdmin: HttpClient;
  kongProxy: HttpClient;
  oxd: HttpClient;
  as: HttpClient;
  echo: HttpClient;
}

export interface ProbeContext {
  config: SuiteConfig;
  timeoutMs: number;
  http: ProbeClients;
  secrets: Secrets;
}

/** The endpoints the AS discovery document names, for the probes that need them. */
export interface DiscoveredEndpoints {
  claimsInteractionEndpoint: string;
  scopeEndpoint?: string;
}

export function probeContext(config: SuiteConfig, timeoutMs: number, secrets: Secrets): ProbeContext {
  const options = { timeoutMs, tlsInsecure: config.tlsInsecure };
  // The names are the ones EnvironmentError messages start with.
  return {
    config,
    timeoutMs,
    secrets,
    http: {
      kongAdmin: new HttpClient('Kong Admin API', options),
      kongProxy: new HttpClient('Kong proxy', options),
      oxd: new HttpClient('oxd-server', options),
      as: new HttpClient('Gluu Server (AS)', options),
      echo: new HttpClient('Echo upstream', options),
    },
  };
}
