// IntrospectionService: OAuth introspection of access tokens (with the site's
// own OAuth token as bearer) and RPT introspection at rpt/status (with the
// PAT), each retried once with a fresh token when the AS rejects the bearer.
import { configurationEndpoint } from './as-client';
import type { OxdDeps } from './deps';
import { ClientResponseFailure } from './errors';
import type { Site } from './site-store';

/** The OAuth introspection answer as oxd reads it (oxAuth IntrospectionResponse). */
export interface AccessTokenIntrospection {
  active: boolean;
  scope?: string[];
  client_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
  iat?: number;
  sub?: string;
  aud?: string;
  iss?: string;
  jti?: string;
  acr_values?: string;
}

/** CorrectUmaPermission. */
export interface RptPermission {
  resource_id?: string;
  resource_scopes?: string[];
  exp?: number;
}

/** CorrectRptIntrospectionResponse, in its @JsonPropertyOrder (oxd.md §4.8); pct_claims is not a member. */
export interface RptIntrospection {
  active: boolean;
  exp?: number;
  iat?: number;
  nbf?: number;
  permissions?: RptPermission[];
  client_id?: string;
  sub?: string;
  aud?: string;
  iss?: string;
  jti?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

function asObject(json: unknown): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('introspection answer is not a JSON object');
  return json as Record<string, unknown>;
}

export function toAccessTokenIntrospection(json: unknown): AccessTokenIntrospection {
  const o = asObject(json);
  const scope = typeof o.scope === 'string' ? o.scope.split(/\s+/).filter((s) => s !== '') : strings(o.scope);
  return {
    active: o.active === true,
    scope,
    client_id: text(o.client_id),
    username: text(o.username),
    token_type: text(o.token_type),
    exp: num(o.exp),
    iat: num(o.iat),
    sub: text(o.sub),
    aud: text(o.aud),
    iss: text(o.iss),
    jti: text(o.jti),
    acr_values: text(o.acr_values),
  };
}

export function toRptIntrospection(json: unknown): RptIntrospection {
  const o = asObject(json);
  const permissions = Array.isArray(o.permissions)
    ? o.permissions.map((p): RptPermission => {
        const q = asObject(p);
        return { resource_id: text(q.resource_id), resource_scopes: strings(q.resource_scopes), exp: num(q.exp) };
      })
    : undefined;
  return {
    active: o.active === true,
    exp: num(o.exp),
    iat: num(o.iat),
    nbf: num(o.nbf),
    permissions,
    client_id: text(o.client_id),
    sub: text(o.sub),
    aud: text(o.aud),
    iss: text(o.iss),
    jti: text(o.jti),
  };
}

/** introspectToken(oxdId, accessToken): OIDC introspection_endpoint, bearer = the site's OAuth token. */
export async function introspectAccessToken(deps: OxdDeps, site: Site, token: string): Promise<AccessTokenIntrospection> {
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  if (!discovery.introspection_endpoint) throw new Error('no introspection_endpoint in discovery');
  let res = await deps.as.introspectToken(discovery.introspection_endpoint, await deps.tokens.getOAuthToken(site), token);
  if (res.status === 400 || res.status === 401) {
    // "Try maybe OAuthToken is lost on AS, force refresh OAuthToken and re-try"
    res = await deps.as.introspectToken(discovery.introspection_endpoint, await deps.tokens.obtainOAuthToken(site), token);
  }
  if (res.status !== 200) throw new ClientResponseFailure(res.status, res.text);
  return toAccessTokenIntrospection(res.json);
}

/** introspectRpt(oxdId, rpt): UMA introspection_endpoint (rpt/status), bearer = PAT. */
export async function introspectRpt(deps: OxdDeps, site: Site, rpt: string): Promise<RptIntrospection> {
  const uma = await deps.as.umaDiscovery(configurationEndpoint(site));
  if (!uma.introspection_endpoint) throw new Error('no introspection_endpoint in UMA discovery');
  let res = await deps.as.rptStatus(uma.introspection_endpoint, await deps.tokens.getPat(site), rpt);
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    res = await deps.as.rptStatus(uma.introspection_endpoint, await deps.tokens.obtainPat(site), rpt);
  }
  if (res.status !== 200) throw new ClientResponseFailure(res.status, res.text);
  return toRptIntrospection(res.json);
}
