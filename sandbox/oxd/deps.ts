// What every oxd operation works with: the server configuration, the site
// store, the AS client and token cache, the state/nonce store, the AS keys,
// the fault profile and the log.
import type { Faults } from '../faults';
import type { AsClient } from './as-client';
import type { OxdServerConfig } from './config';
import type { OpKeys } from './op-keys';
import type { SharedMapper } from './serialize';
import type { SiteStore } from './site-store';
import type { SiteTokens } from './site-tokens';
import type { StateStore } from './state-store';

export interface OxdDeps {
  config: OxdServerConfig;
  store: SiteStore;
  /** oxd's shared Jackson mapper: writes nulls until the first RP save (serialize.ts). */
  mapper: SharedMapper;
  as: AsClient;
  tokens: SiteTokens;
  /** States and nonces: one store for the whole server (oidc-uma.md §3.8). */
  states: StateStore;
  /** The AS's public keys for id_token signatures. */
  opKeys: OpKeys;
  faults: Faults;
  log: (message: string) => void;
}

/** Tokens and secrets in log lines: first 4 characters only. */
export function mask(secret: string | undefined): string {
  if (!secret) return '<none>';
  return secret.length <= 4 ? '****' : `${secret.slice(0, 4)}…`;
}
