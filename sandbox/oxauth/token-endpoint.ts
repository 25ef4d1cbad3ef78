// POST {AS}/oxauth/restv1/token (TokenRestWebServiceImpl behind
// AuthenticationFilter). Client authentication comes first; then a non-blank
// `ticket` selects the UMA grant whatever the grant_type (oxauth.md §3.1);
// everything else is the plain OAuth path: client_credentials (oxd, the
// PEP), authorization_code and refresh_token (code-grant.ts). Plain-path answers carry
// Cache-Control: no-store and Pragma: no-cache; UMA answers carry none (DIV-AS-10).
import type * as http from 'node:http';
import { headerValue, parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { authenticateTokenClient } from './client-auth';
import { authorizationCodeGrant, refreshTokenGrant } from './code-grant';
import { OxAuthError, errorJson, sendOxAuthError } from './errors';
import { javaHashOrder, orgJson } from './java-json';
import type { ClientRecord } from './store';
import { accessTokenLifetime } from './token-lifetime';
import { requestRptSafely } from './uma-token-service';

const PLAIN_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function isForm(req: Request): boolean {
  return (headerValue(req, 'content-type') ?? '').toLowerCase().split(';')[0].trim() === 'application/x-www-form-urlencoded';
}

function plainError(as: AsContext, res: http.ServerResponse, status: number, error: string, reason: string): void {
  send(res, status, errorJson('token', error, reason, as.settings.errorReasonEnabled), { 'Content-Type': 'application/json', ...PLAIN_HEADERS });
}

/** TokenParamsValidator.validateParams: the parameters each grant type needs. */
function paramsValid(form: URLSearchParams): boolean {
  const has = (n: string) => (form.get(n) ?? '') !== '';
  switch (form.get('grant_type') ?? '') {
    case 'authorization_code':
      return has('code') && has('redirect_uri');
    case 'refresh_token':
      return has('refresh_token');
    case 'password':
      return has('username') && has('password');
    case 'client_credentials':
    case 'urn:ietf:params:oauth:grant-type:device_code':
      return true;
    default:
      // Blank, unknown, and uma-ticket without ticket (oxauth.md §3.1).
      return false;
  }
}

/** ScopeChecker.checkScopesPolicy: requested ∩ the client's scopes, in HashSet order. */
function grantedScopes(client: ClientRecord, scope: string): string[] {
  const requested = scope.split(' ').filter((s) => s.trim() !== '');
  return javaHashOrder(requested.filter((s) => client.scopes.includes(s)));
}

function clientCredentials(as: AsContext, res: http.ServerResponse, client: ClientRecord, scopeParam: string | null): void {
  if (!client.grantTypes.includes('client_credentials')) {
    plainError(as, res, 400, 'invalid_grant', 'grant_type is not present in client.');
    return;
  }
  const scope = scopeParam === null ? null : decodeScope(scopeParam);
  const granted = scope !== null && scope !== '' ? grantedScopes(client, scope) : [];
  const lifetime = accessTokenLifetime(as.settings.accessTokenLifetime, client);
  const token = as.store.issueAccessToken(client.clientId, granted, lifetime);
  const body: Record<string, string | number> = { access_token: token.code, token_type: 'bearer', expires_in: lifetime };
  // getJSonResponse adds scope whenever the request had one, even when nothing was granted.
  if (scope !== null) body.scope = scope === '' ? '' : granted.join(' ');
  send(res, 200, orgJson(body), { 'Content-Type': 'application/json', ...PLAIN_HEADERS });
}

/** ServerUtil.urlDecode on the scope ("it may be encoded in uma case"). */
function decodeScope(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

async function plainOAuth(as: AsContext, res: http.ServerResponse, client: ClientRecord, form: URLSearchParams): Promise<void> {
  if (!paramsValid(form)) {
    plainError(as, res, 400, 'invalid_request', 'Failed to validate request parameters');
    return;
  }
  if (client.disabled) {
    plainError(as, res, 403, 'disabled_client', 'Client is disabled.');
    return;
  }
  if (form.get('grant_type') === 'client_credentials') {
    clientCredentials(as, res, client, form.get('scope'));
    return;
  }
  if (form.get('grant_type') === 'authorization_code') {
    await authorizationCodeGrant(as, res, client, form);
    return;
  }
  if (form.get('grant_type') === 'refresh_token') {
    refreshTokenGrant(as, res, client, form);
    return;
  }
  // The password and device-code grants are not emulated.
  plainError(as, res, 400, 'invalid_grant', 'Unable to find grant object.');
}

export async function tokenEndpoint(as: AsContext, req: Request, res: http.ServerResponse): Promise<void> {
  const form = isForm(req) ? parseForm(req.body) : new URLSearchParams();
  const param = (name: string) => form.get(name) ?? req.query.get(name) ?? undefined;
  let client: ClientRecord;
  try {
    client = authenticateTokenClient(as.store, headerValue(req, 'authorization'), param);
  } catch (e) {
    if (e instanceof OxAuthError) {
      sendOxAuthError(res, e, as.settings.errorReasonEnabled);
      return;
    }
    throw e;
  }
  // @Consumes(application/x-www-form-urlencoded) is checked after the servlet filter.
  if (!isForm(req)) {
    send(res, 415, '', {});
    return;
  }
  const ticket = form.get('ticket') ?? '';
  if (ticket.trim() === '') {
    await plainOAuth(as, res, client, form);
    return;
  }
  const answer = requestRptSafely(as, client, {
    grantType: form.get('grant_type') ?? '',
    ticket,
    claimToken: form.get('claim_token') ?? '',
    claimTokenFormat: form.get('claim_token_format') ?? '',
    pct: form.get('pct') ?? '',
    rpt: form.get('rpt') ?? '',
    scope: form.get('scope') ?? '',
  });
  if (answer instanceof OxAuthError) {
    sendOxAuthError(res, answer, as.settings.errorReasonEnabled);
    return;
  }
  send(res, answer.status, answer.body, { 'Content-Type': 'application/json' });
}
