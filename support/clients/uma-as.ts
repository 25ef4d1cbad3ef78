// Direct calls to the UMA authorization server, for the checks that need to
// see the AS's own answers rather than oxd's rendering of them
// (uma2-requirements.md "How to use": the consumer client at the token
// endpoint, a PAT for the protection API).
import type { Exchange, HttpClient } from '../http';
import { SetupError } from '../errors';

export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';

/** The members of /.well-known/uma2-configuration the suite uses (oxauth.md §2). */
export interface UmaConfiguration {
  issuer: string;
  token_endpoint: string;
  claims_interaction_endpoint?: string;
  permission_endpoint?: string;
  resource_registration_endpoint?: string;
  introspection_endpoint?: string;
  grant_types_supported?: string[];
  response_types_supported?: string[];
  [member: string]: unknown;
}

/** A successful UMA grant answer (oxauth.md §3.4). */
export interface UmaTokenResponse {
  access_token: string;
  token_type: string;
  pct?: string;
  upgraded?: boolean;
}

/** RPT introspection (UMA FedAuthz §5.1.1, oxauth.md §8). */
export interface RptIntrospection {
  active: boolean;
  exp?: number;
  iat?: number;
  client_id?: string;
  permissions?: Array<{ resource_id: string; resource_scopes: string[]; exp?: number }>;
  [member: string]: unknown;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

function basic(c: ClientCredentials): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`;
}

export class UmaAs {
  private configuration?: UmaConfiguration;

  constructor(
    private readonly http: HttpClient,
    readonly issuer: string,
  ) {}

  discoveryUrl(issuer = this.issuer): string {
    return `${issuer.replace(/\/+$/, '')}/.well-known/uma2-configuration`;
  }

  discover(issuer = this.issuer): Promise<Exchange> {
    return this.http.get(this.discoveryUrl(issuer));
  }

  /** The discovery document, fetched once per client. */
  async config(): Promise<UmaConfiguration> {
    if (!this.configuration) {
      const x = await this.discover();
      if (x.response.status !== 200 || typeof x.response.json !== 'object') {
        throw new SetupError(`the AS discovery document ${this.discoveryUrl()} answered HTTP ${x.response.status}`, x);
      }
      this.configuration = x.response.json as UmaConfiguration;
    }
    return this.configuration;
  }

  /** A UMA grant request straight to the token endpoint, as oxd would make it. */
  async requestRpt(client: ClientCredentials, form: Record<string, string | undefined>): Promise<Exchange> {
    const cfg = await this.config();
    return this.http.postForm(cfg.token_endpoint, { grant_type: UMA_TICKET_GRANT, ...form }, { Authorization: basic(client) });
  }

  /** A protection API token (PAT): client credentials with scope uma_protection. */
  async pat(client: ClientCredentials): Promise<string> {
    const cfg = await this.config();
    const x = await this.http.postForm(cfg.token_endpoint, { grant_type: 'client_credentials', scope: 'uma_protection' }, { Authorization: basic(client) });
    const token = (x.response.json as { access_token?: string } | undefined)?.access_token;
    if (x.response.status !== 200 || !token) throw new SetupError(`the AS did not issue a PAT: HTTP ${x.response.status}`, x);
    return token;
  }

  async introspectRpt(rpt: string, pat: string): Promise<Exchange> {
    const cfg = await this.config();
    const endpoint = cfg.introspection_endpoint;
    if (!endpoint) throw new SetupError('the AS discovery document has no introspection_endpoint');
    return this.http.postForm(endpoint, { token: rpt }, { Authorization: `Bearer ${pat}` });
  }

  /** Opens a claims-gathering URL without following redirects (what a browser would be told first). */
  openClaimsUrl(url: string): Promise<Exchange> {
    return this.http.get(url);
  }
}
