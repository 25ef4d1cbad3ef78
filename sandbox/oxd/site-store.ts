// oxd's registered sites (the `Rp` records of its H2 store): one per
// register-site, looked up by oxd_id, holding the client, the discovered
// issuer, the cached PAT / OAuth token and the UMA resources it protected.
import { OxdError } from './errors';

export interface CachedToken {
  token: string;
  /** ms since epoch. */
  createdAt: number;
  expiresIn: number;
}

/** `UmaResource` as oxd stores it after uma-rs-protect (oxd.md §4.6). */
export interface ProtectedResource {
  /** AS resource id (`_id`). */
  id: string;
  path: string;
  httpMethods: string[];
  scopes: string[];
  ticketScopes: string[];
  /** Compact JSON strings of the scope expressions. */
  scopeExpressions: string[];
  iat?: number;
  exp?: number;
}

export interface Site {
  oxdId: string;
  /** The discovered issuer (oxd.md §4.2), used as as_uri. */
  opHost: string;
  opConfigurationEndpoint?: string;
  opDiscoveryPath?: string;
  clientId: string;
  clientSecret: string;
  clientName?: string;
  registrationAccessToken?: string;
  registrationClientUri?: string;
  /** Seconds; 0 when unknown. */
  clientIdIssuedAt: number;
  clientSecretExpiresAt: number;
  metadata: ClientMetadata;
  resources: ProtectedResource[];
  pat?: CachedToken;
  oauthToken?: CachedToken;
  /** The Rp's rpt_* fields, set by every successful uma-rp-get-rpt (UmaTokenService.getRpt lines 143–149 @ 4.2.3). */
  cachedRpt?: StoredRpt;
}

export interface StoredRpt {
  accessToken: string;
  tokenType?: string;
  pct?: string;
  upgraded?: boolean;
  /** ms; the real expiry, used only by the rpt-cache-served fault. */
  expiresAt: number;
  /** `new Date(status.getIssuedAt() * 1000)`: Integer × int in 32 bits, so a wrapped value (ms), as get-rp shows it. */
  rptCreatedAt: number;
  /** `new Date(status.getExpiresAt() * 1000)`, wrapped the same way: always in the past, so the cache never hits. */
  rptExpiresAt: number;
}

/** What oxd sends to the AS at registration and on update (the Rp's client fields). */
export interface ClientMetadata {
  redirectUris: string[];
  claimsRedirectUris: string[];
  responseTypes: string[];
  grantTypes: string[];
  scope: string[];
  postLogoutRedirectUris: string[];
  contacts: string[];
  acrValues: string[];
  clientName?: string;
  accessTokenAsJwt?: boolean;
  rptAsJwt?: boolean;
  clientJwksUri?: string;
  tokenEndpointAuthMethod?: string;
  /** Checked against the id_token's alg by get-tokens-by-code (Validator.java line 335). */
  idTokenSignedResponseAlg?: string;
  initiateLoginUri?: string;
  /**
   * The client's own access-token lifetime (s): RegisterSiteOperation lines
   * 710–711 send it to the AS; the Rp keeps it (RegisterRequestMapper line 129),
   * so update-site sends it again (UpdateSiteOperation line 111).
   */
  accessTokenLifetime?: number;
}

export class SiteStore {
  private readonly sites = new Map<string, Site>();

  add(site: Site): void {
    this.sites.set(site.oxdId, site);
  }

  get(oxdId: string): Site | undefined {
    return this.sites.get(oxdId);
  }

  remove(oxdId: string): boolean {
    return this.sites.delete(oxdId);
  }

  all(): Site[] {
    return [...this.sites.values()];
  }

  /** ValidationService's lookup by client_id (first match). */
  byClientId(clientId: string): Site | undefined {
    return this.all().find((s) => s.clientId === clientId);
  }
}

/** Rp.umaResource: exact path ignoring case and method ignoring case, last registration wins (oxd.md §4.7). */
export function findResource(site: Site, path: string, httpMethod: string): ProtectedResource | undefined {
  const p = path.toLowerCase();
  const m = httpMethod.toLowerCase();
  for (let i = site.resources.length - 1; i >= 0; i--) {
    const r = site.resources[i];
    if (r.path.toLowerCase() === p && r.httpMethods.some((h) => h.toLowerCase() === m)) return r;
  }
  return undefined;
}

/** BaseOperation.getRp / RpService.getRp inside an operation: unknown → invalid_oxd_id. */
export function requireSite(store: SiteStore, oxdId: string | null | undefined): Site {
  if (oxdId === undefined || oxdId === null || oxdId === '') throw new TypeError('Preconditions: oxd_id is null or empty');
  const site = store.get(oxdId);
  if (!site) throw new OxdError('INVALID_OXD_ID');
  return site;
}
