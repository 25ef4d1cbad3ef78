// OAuth token introspection {AS}/oxauth/restv1/introspection (brief
// contract; IntrospectionWebService). Authorised by `Bearer <any valid
// access token>` or client Basic auth (then only the client's own tokens).
// The answer is the Jackson IntrospectionResponse re-read into org.json
// (HashMap order, compact, nulls kept) with `scope` as one string.
import type * as http from 'node:http';
import { headerValue, parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { basicCredentials, tokenOf } from './client-auth';
import { OxAuthError } from './errors';
import { orgJson, type JsonObject } from './java-json';
import type { AccessTokenRecord } from './store';

function authorizeError(status: number, error: 'invalid_request' | 'access_denied', reason: string): OxAuthError {
  return new OxAuthError(status, 'authorize', error, reason);
}

/** getAuthorizationGrant: undefined = no grant (401); `basic` marks client authentication. */
function callerGrant(as: AsContext, authorization: string, token: string): { grant: AccessTokenRecord | undefined; basic: boolean } | undefined {
  const bearer = tokenOf(authorization, ['Bearer']);
  if (bearer !== undefined) {
    const grant = as.store.accessToken(bearer);
    return grant ? { grant, basic: false } : undefined;
  }
  const credentials = basicCredentials(authorization);
  if (!credentials) return undefined;
  const { id, secret } = credentials;
  const client = as.store.client(id);
  if (!client || client.clientSecret !== secret) return undefined;
  const grant = as.store.accessToken(token);
  if (grant && grant.clientId !== id) return undefined;
  return { grant, basic: true };
}

export function introspectionJson(as: AsContext, t: AccessTokenRecord | undefined): JsonObject {
  if (!t) {
    return { active: false, scope: null, client_id: null, username: null, token_type: null, exp: null, iat: null, sub: null, aud: null, iss: null, jti: null, acr_values: null };
  }
  return {
    active: true,
    scope: t.scopes.join(' '),
    client_id: t.clientId,
    username: null,
    token_type: 'bearer',
    exp: Math.floor(t.expiresAt / 1000),
    iat: Math.floor(t.createdAt / 1000),
    // SectorIdentifierService.getSub: a client-credentials grant has no user: "".
    sub: '',
    aud: t.clientId,
    iss: as.urls.issuer,
    jti: null,
    acr_values: null,
  };
}

function introspect(as: AsContext, req: Request, res: http.ServerResponse, token: string): void {
  const authorization = headerValue(req, 'authorization') ?? '';
  if (authorization.trim() === '' || token.trim() === '') {
    throw authorizeError(400, 'invalid_request', '');
  }
  const caller = callerGrant(as, authorization, token);
  if (!caller?.grant) throw authorizeError(401, 'access_denied', 'Authorization grant is null.');
  send(res, 200, orgJson(introspectionJson(as, as.store.accessToken(token))), { 'Content-Type': 'application/json' });
}

export function introspectionPost(as: AsContext, req: Request, res: http.ServerResponse): void {
  const isForm = (headerValue(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  introspect(as, req, res, (isForm ? parseForm(req.body) : new URLSearchParams()).get('token') ?? '');
}

export function introspectionGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  introspect(as, req, res, req.query.get('token') ?? '');
}
