// oxd-server 4.2 REST client (oxd.md). Every command is a JSON POST; the
// protected ones carry the caller's own access token (§2.1).
import type { Exchange, HttpClient } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import { SetupError } from '../errors';

export const ID_TOKEN_CLAIM_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

export interface RegisterSiteRequest {
  op_host: string;
  redirect_uris: string[];
  claims_redirect_uri?: string[];
  post_logout_redirect_uris?: string[];
  acr_values?: string[];
  scope: string[];
  grant_types: string[];
  client_name?: string;
  /** The client's own access-token lifetime at the AS, s (oxd RegisterSiteOperation lines 710–711). */
  access_token_lifetime?: number;
}

export interface RegisterSiteResponse {
  oxd_id: string;
  op_host: string;
  client_id: string;
  client_secret: string;
}

export interface ClientTokenResponse {
  access_token: string;
  expires_in: number;
  scope?: string[];
}

/** A resource of uma-rs-protect (oxd.md §4.6). */
export interface RsResource {
  path: string;
  conditions: Array<{ httpMethods: string[]; scope_expression?: { rule: unknown; data: string[] }; scopes?: string[] }>;
}

export interface GetRptRequest {
  oxd_id: string;
  ticket: string;
  claim_token?: string;
  claim_token_format?: string;
  pct?: string;
  rpt?: string;
  state?: string;
}

/** 200 answer of uma-rp-get-rpt (oxd.md §4.9: `updated` mirrors the AS's `upgraded`). */
export interface GetRptResponse {
  access_token: string;
  token_type: string;
  pct: string;
  updated: boolean;
}

/** The flat need_info / AS-error body oxd re-emits (oxd.md §5). */
export interface NeedInfoBody {
  error: string;
  ticket?: string | null;
  required_claims?: RequiredClaim[] | null;
  redirect_user?: string | null;
}

export interface RequiredClaim {
  issuer: string[];
  name: string;
  claim_token_format: string[];
  claim_type: string;
  friendly_name: string;
}

export class Oxd {
  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
  ) {}

  healthCheck(): Promise<Exchange> {
    return this.http.get(`${this.baseUrl}/health-check`);
  }

  command(name: string, body: unknown, accessToken?: string): Promise<Exchange> {
    const headers: Record<string, string> = accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` };
    return this.http.postJson(`${this.baseUrl}/${name}`, body, headers);
  }

  private async setupStep<T>(what: string, x: Promise<Exchange>): Promise<T> {
    const done = await x;
    if (done.response.status !== 200) {
      const b = bodyObject(done);
      const why = b.error ? `${String(b.error)}: ${String(b.error_description ?? '')}` : bodyExcerpt(done.response.text, 200);
      throw new SetupError(`oxd refused ${what}: HTTP ${done.response.status} ${why}`, done);
    }
    return done.response.json as T;
  }

  registerSite(req: RegisterSiteRequest): Promise<RegisterSiteResponse> {
    return this.setupStep('register-site', this.command('register-site', req));
  }

  /**
   * update-site (oxd.md §4.3), the body as given: the tutorial's documented
   * form is tried as written. 4.2 checks no token for it (CommandType
   * UPDATE_SITE, authorizationRequired false); one is sent as the tutorial does.
   */
  updateSite(body: Record<string, unknown>, accessToken?: string): Promise<Exchange> {
    return this.command('update-site', body, accessToken);
  }

  removeSite(oxdId: string, accessToken: string): Promise<Exchange> {
    return this.command('remove-site', { oxd_id: oxdId }, accessToken);
  }

  /** Client-credentials token for a registered client (oxd.md §4.4). */
  clientToken(clientId: string, clientSecret: string, opHost: string, scope = ['openid', 'oxd']): Promise<ClientTokenResponse> {
    return this.setupStep('get-client-token', this.command('get-client-token', { client_id: clientId, client_secret: clientSecret, op_host: opHost, scope }));
  }

  protect(oxdId: string, resources: RsResource[], accessToken: string): Promise<unknown> {
    return this.setupStep('uma-rs-protect', this.command('uma-rs-protect', { oxd_id: oxdId, resources }, accessToken));
  }

  getRpt(req: GetRptRequest, accessToken: string): Promise<Exchange> {
    return this.command('uma-rp-get-rpt', req, accessToken);
  }

  claimsGatheringUrl(
    req: { oxd_id: string; ticket: string; claims_redirect_uri: string; state?: string; custom_parameters?: Record<string, string> },
    accessToken: string,
  ): Promise<Exchange> {
    return this.command('uma-rp-get-claims-gathering-url', req, accessToken);
  }

  introspectRpt(oxdId: string, rpt: string, accessToken: string): Promise<Exchange> {
    return this.command('introspect-rpt', { oxd_id: oxdId, rpt }, accessToken);
  }
}
