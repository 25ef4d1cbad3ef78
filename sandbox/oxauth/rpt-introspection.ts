// RPT introspection {AS}/oxauth/restv1/rpt/status (oxauth.md §8;
// UmaRptIntrospectionWS). PAT-protected; form `token`. Active answers are
// the Jackson document re-read into an org.json JSONObject (HashMap order,
// compact); `pct_claims` values are string lists and there is no `scope`
// member. Both answers carry Cache-Control from ServerUtil.cacheControl(true).
import type * as http from 'node:http';
import { headerValue, parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { jacksonCompact, orgJson, type JsonObject } from './java-json';
import { isJsonContentType } from './json-body';
import { assertHasProtectionScope } from './pat';
import type { RptRecord } from './store';

/**
 * JAX-RS CacheControl defaults to no-transform; cacheControl(true) adds
 * no-store, rendered by RESTEasy in this order.
 */
export const RPT_STATUS_CACHE_CONTROL = 'no-store, no-transform';

/** RptIntrospectionResponse(false) as the JAX-RS Jackson provider writes it. */
export const INACTIVE_RPT: JsonObject = {
  active: false, exp: null, iat: null, nbf: null, permissions: null, client_id: null, sub: null, aud: null, iss: null, jti: null, pct_claims: null,
};

export function rptStatusJson(as: AsContext, rpt: RptRecord): JsonObject {
  const now = as.store.now();
  const existing = rpt.permissionDns.map((dn) => as.store.permissionByDn(dn)).filter((p) => p !== undefined);
  const permissions = existing
    .filter((p) => p.expiresAt > now)
    .map((p) => ({ resource_id: p.resourceId, resource_scopes: [...p.scopes], exp: Math.floor(p.expiresAt / 1000), params: null }));
  // pct_claims come from the PCT named by the first permission entry still stored.
  const pctCode = existing[0]?.attributes.pct;
  const pct = pctCode ? as.store.pct(pctCode) : undefined;
  const body: JsonObject = {
    active: true,
    exp: Math.floor(rpt.expiresAt / 1000),
    iat: Math.floor(rpt.createdAt / 1000),
    nbf: null,
    permissions,
    client_id: rpt.clientId,
    sub: null,
    aud: rpt.clientId,
    iss: null,
    jti: null,
    pct_claims: pct ? pct.claims.toStringLists() : null,
  };
  if (as.faults.on('introspection-has-scope')) {
    body.scope = [...new Set(permissions.flatMap((p) => p.resource_scopes))].join(' ');
  }
  return body;
}

function introspect(as: AsContext, req: Request, res: http.ServerResponse, token: string | null): void {
  assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const rpt = as.store.rpt(token);
  const headers = { 'Content-Type': 'application/json', 'Cache-Control': RPT_STATUS_CACHE_CONTROL };
  if (!rpt) {
    send(res, 200, jacksonCompact(INACTIVE_RPT), headers);
    return;
  }
  send(res, 200, orgJson(rptStatusJson(as, rpt)), headers);
}

export function rptStatusPost(as: AsContext, req: Request, res: http.ServerResponse): void {
  const form = (headerValue(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ? parseForm(req.body) : new URLSearchParams();
  introspect(as, req, res, form.get('token'));
}

/** Two GET mappings: the one consuming application/json refuses with 405 (oxauth.md §8). */
export function rptStatusGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  if (isJsonContentType(req)) {
    send(res, 405, 'Introspection of RPT is not allowed by GET HTTP method.', { 'Content-Type': 'application/json' });
    return;
  }
  introspect(as, req, res, req.query.get('token'));
}
