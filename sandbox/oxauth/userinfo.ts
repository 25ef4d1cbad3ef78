// GET/POST {AS}/oxauth/restv1/userinfo (oxAuth 4.2.3
// UserInfoRestWebServiceImpl.requestUserInfo). The token comes from
// `Authorization: Bearer`, else the access_token parameter (query for GET,
// form for POST). Answers:
// * no token → 400 invalid_request; unknown/expired/revoked → 401 invalid_token;
//   a client-credentials token → 403 insufficient_scope; a grant without
//   openid → 403 insufficient_scope. Error bodies are ErrorResponse JSON
//   (reason only with errorReasonEnabled), Content-Type application/json,
//   Cache-Control "private, no-store" and **no WWW-Authenticate** (the
//   endpoint sets none; RFC 6750 §3 asks for one).
// * 200: the claims of the grant's scopes plus sub, Content-Type
//   application/json;charset=UTF-8, Cache-Control "private, no-store",
//   Pragma no-cache. RESTEasy's rendering of the CacheControl is unverified.
import type * as http from 'node:http';
import { headerValue, parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { tokenOf } from './client-auth';
import { errorJson } from './errors';
import { orgJson, type JsonObject } from './java-json';
import { findUser, scopeClaims, subjectFor } from './users';

const CACHE = 'private, no-store';

function userInfoError(as: AsContext, res: http.ServerResponse, status: number, error: string, reason = ''): void {
  send(res, status, errorJson('userInfo', error, reason, as.settings.errorReasonEnabled), { 'Content-Type': 'application/json', 'Cache-Control': CACHE });
}

function answer(as: AsContext, req: Request, res: http.ServerResponse, paramToken: string | null): void {
  const bearer = tokenOf(headerValue(req, 'authorization'), ['Bearer']);
  const code = bearer ?? paramToken ?? '';
  if (code.trim() === '') return userInfoError(as, res, 400, 'invalid_request', 'access token is not valid.');
  const token = as.oidc.token(code, 'access_token');
  const grant = token ? as.oidc.grant(token.grantId) : undefined;
  if (!token || !grant) {
    if (as.store.accessToken(code)) return userInfoError(as, res, 403, 'insufficient_scope', 'Grant object has client_credentials grant_type which is not valid.');
    return userInfoError(as, res, 401, 'invalid_token');
  }
  if (!grant.scopes.includes('openid')) return userInfoError(as, res, 403, 'insufficient_scope', 'Missed openid scope.');
  const user = findUser(as, grant.userName);
  const client = as.store.client(grant.clientId);
  if (!user || !client) return userInfoError(as, res, 401, 'invalid_token');
  const body: JsonObject = { ...scopeClaims(user, grant.scopes), sub: subjectFor(user, client) };
  send(res, 200, orgJson(body), { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': CACHE, Pragma: 'no-cache' });
}

export function userInfoGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  answer(as, req, res, req.query.get('access_token'));
}

export function userInfoPost(as: AsContext, req: Request, res: http.ServerResponse): void {
  answer(as, req, res, parseForm(req.body).get('access_token'));
}
