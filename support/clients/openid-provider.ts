// The authorization server as an OpenID Provider: the members of its
// discovery document the second tutorial's checks use (OpenID Connect
// Discovery 1.0 §3; oxauth.md). The browser does everything else.
import type { HttpClient } from '../http';
import { SetupError } from '../errors';

export interface OpenIdConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  jwks_uri?: string;
  [member: string]: unknown;
}

export class OpenIdProvider {
  private configuration?: Promise<OpenIdConfiguration>;

  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
  ) {}

  discoveryUrl(): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  }

  /** The discovery document, fetched once per scenario. */
  config(): Promise<OpenIdConfiguration> {
    this.configuration ??= this.http.get(this.discoveryUrl()).then((x) => {
      const c = x.response.json as Partial<OpenIdConfiguration> | undefined;
      if (x.response.status !== 200 || !c || typeof c.issuer !== 'string' || typeof c.authorization_endpoint !== 'string') {
        throw new SetupError(`the OpenID discovery document ${this.discoveryUrl()} answered HTTP ${x.response.status} without issuer and authorization_endpoint`, x);
      }
      return c as OpenIdConfiguration;
    });
    return this.configuration;
  }
}
