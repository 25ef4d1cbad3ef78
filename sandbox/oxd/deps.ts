// What every oxd operation works with: the server configuration, the site
// store, the AS client and token cache, the fault profile and the log.
import type { Faults } from '../faults';
import type { AsClient } from './as-client';
import type { OxdServerConfig } from './config';
import type { SiteStore } from './site-store';
import type { SiteTokens } from './site-tokens';

export interface OxdDeps {
  config: OxdServerConfig;
  store: SiteStore;
  as: AsClient;
  tokens: SiteTokens;
  faults: Faults;
  log: (message: string) => void;
}

/** Tokens and secrets in log lines: first 4 characters only. */
export function mask(secret: string | undefined): string {
  if (!secret) return '<none>';
  return secret.length <= 4 ? '****' : `${secret.slice(0, 4)}…`;
}
