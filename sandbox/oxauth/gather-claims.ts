// The claims interaction endpoint GET {AS}/oxauth/restv1/uma/gather_claims
// (oxauth.md §4; UmaGatheringWS, UmaValidationService
// .validateClientAndClaimsRedirectUri / validateTicketWithRedirect /
// validatesGatheringScriptNames, UmaWebException, UmaSessionService.configure).
import type * as http from 'node:http';
import { headerValue, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { gatheringScript } from './as-context';
import { pageForStep, pagePath } from './claims-gathering-script';
import { OxAuthError, describe, sendOxAuthError, umaError, type ErrorCode } from './errors';
import { javaUrlEncode } from './policies';
import { ticketOfAnotherClient } from './uma-token-service';
import { cookieHeaders, getSession, getStep } from './uma-session';
import type { ClientRecord, PermissionRecord, UmaSession } from './store';

/** How a failed check is answered. */
export type GatherFailure =
  | { kind: 'json'; status: 400 | 500; error: ErrorCode<'uma'> }
  | { kind: 'redirect'; error: ErrorCode<'uma'>; to: 'given claims_redirect_uri' | 'claims_redirect_uri' }
  | { kind: 'accepted' };

/** The validation order of oxauth.md §4, as data. */
export const GATHER_CLAIMS_VALIDATION = {
  '1': { check: 'client_id blank or unknown', failure: { kind: 'json', status: 400, error: 'invalid_client_id' } },
  '2a': { check: 'claims_redirect_uri given, client has none registered', failure: { kind: 'json', status: 400, error: 'invalid_claims_redirect_uri' } },
  // DIV-AS-04: the open redirect to the unregistered URI.
  '2b': { check: 'claims_redirect_uri given, not matching a registered one', failure: { kind: 'redirect', error: 'invalid_claims_redirect_uri', to: 'given claims_redirect_uri' } },
  // DIV-AS-06: accepted, but the stored redirect URI stays null: no final redirect.
  '2c': { check: 'claims_redirect_uri blank, exactly one registered', failure: { kind: 'accepted' } },
  '2d': { check: 'claims_redirect_uri blank, zero or several registered', failure: { kind: 'json', status: 400, error: 'invalid_claims_redirect_uri' } },
  // Without a claims_redirect_uri the redirect cannot be built: 500 (createErrorUri).
  '3': { check: 'ticket blank or unknown', failure: { kind: 'redirect', error: 'invalid_ticket', to: 'claims_redirect_uri' } },
  '4': { check: 'ticket has no gathering_id, or no named script enabled', failure: { kind: 'redirect', error: 'invalid_claims_gathering_script_name', to: 'claims_redirect_uri' } },
  '5': { check: 'ticket has no pct attribute', failure: { kind: 'json', status: 500, error: 'server_error' } },
} as const satisfies Record<string, { check: string; failure: GatherFailure }>;

export type GatherCheck = keyof typeof GATHER_CLAIMS_VALIDATION;

/** A 302 answer oxAuth gives instead of an error body (UmaWebException). */
class RedirectAnswer extends Error {
  constructor(readonly location: string) {
    super(location);
  }
}

/** RedirectionUriService.getParams with the client QueryStringDecoder: split, not percent-decoded. */
function queryMap(uri: string): Map<string, string> {
  const map = new Map<string, string>();
  const q = uri.indexOf('?');
  if (q === -1) return map;
  for (const param of uri.slice(q + 1).split('&')) {
    const nv = param.split('=');
    const name = nv[0] ?? '';
    if (name.trim() !== '') map.set(name, nv[1] ?? '');
  }
  return map;
}

const withoutQuery = (uri: string) => (uri.includes('?') ? uri.slice(0, uri.indexOf('?')) : uri);

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/**
 * UmaValidationService.getEqualRedirectUri (oxauth.md §4 matching rule,
 * DIV-AS-05): exact string; or same base and neither side has a query; or
 * same base and the same parameter map when the registered URI has a query.
 */
export function matchClaimsRedirectUri(given: string, registered: readonly string[]): boolean {
  const base = withoutQuery(given);
  const givenParams = queryMap(given);
  return registered.some((uri) => {
    if (uri === given) return true;
    if (withoutQuery(uri) !== base) return false;
    const params = queryMap(uri);
    if (params.size === 0) return givenParams.size === 0;
    return sameMap(givenParams, params);
  });
}

/** java.net.URI accepts it (createErrorUri answers 500 otherwise). */
function isJavaUri(s: string): boolean {
  return !/[\s"<>\\^`{|}]/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s);
}

/** UmaWebException.createErrorUri. */
export function errorRedirectUri(redirectUri: string | undefined, error: ErrorCode<'uma'>, state: string | undefined): string {
  if (redirectUri === undefined || redirectUri === null) throw umaError(500, 'server_error', 'Failed to construct uri');
  let uri = redirectUri + (redirectUri.includes('?') ? '&' : '?');
  uri += `error=${error}&error_description=${javaUrlEncode(describe('uma', error) ?? error)}`;
  if (state && state.trim() !== '') uri += `&state=${state}`;
  if (!isJavaUri(uri)) throw umaError(500, 'server_error', 'Failed to construct uri');
  return uri;
}

function fail(check: GatherCheck, reason: string, redirectUri?: string, state?: string): Error {
  const f: GatherFailure = GATHER_CLAIMS_VALIDATION[check].failure;
  if (f.kind === 'json') return umaError(f.status, f.error, reason);
  if (f.kind === 'redirect') return new RedirectAnswer(errorRedirectUri(redirectUri, f.error, state));
  return new Error(`check ${check} does not fail`);
}

export interface GatherParams {
  clientId?: string;
  ticket?: string;
  claimsRedirectUri?: string;
  state?: string;
  authentication: boolean;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** Checks 1 and 2a–2d. */
function validateClientAndClaimsRedirectUri(as: AsContext, p: GatherParams): ClientRecord {
  if (blank(p.clientId)) throw fail('1', `Invalid clientId: ${p.clientId ?? null}`);
  const client = as.store.client(p.clientId);
  if (!client) throw fail('1', `Failed to find client with client_id:${p.clientId}`);
  const registered = client.claimRedirectUris;
  if (!blank(p.claimsRedirectUri)) {
    const given = p.claimsRedirectUri as string;
    if (registered.length === 0) throw fail('2a', `Client does not have claims_redirect_uri specified, clientId: ${client.clientId}`);
    if (matchClaimsRedirectUri(given, registered) || as.faults.on('unregistered-cru-followed')) return client;
    throw fail('2b', '', given, p.state);
  }
  if (registered.length === 1) return client;
  throw fail('2d', `claims_redirect_uri is blank and there is none or more then one registered claims_redirect_uri for clientId: ${client.clientId}`);
}

/** Checks 3–5, then the session is configured. Returns the page URL of step 1. */
function startGathering(as: AsContext, session: UmaSession, p: GatherParams): string {
  const client = validateClientAndClaimsRedirectUri(as, p);
  // Case 2c: nothing to redirect to, so the session keeps no claims_redirect_uri.
  const redirectUri = blank(p.claimsRedirectUri) ? undefined : p.claimsRedirectUri;
  // The error redirects of checks 3 and 4 use the parameter as sent (UmaGatheringWS 4.2.3 l. 94-95):
  // absent → 500 (createErrorUri cannot build it); "" → a relative "?error=…" Location.
  const errorUri = p.claimsRedirectUri;
  const permissions: PermissionRecord[] = blank(p.ticket) ? [] : as.store.permissionsByTicket(p.ticket as string);
  // validateTicketWithRedirect (UmaValidationService 4.2.3 l. 233-245) never compares the ticket with
  // client_id (SEC-AS-TICKET-ANY-CLIENT); fix-claims-ticket-client-bound does.
  if (permissions.length === 0 || ticketOfAnotherClient(as, 'fix-claims-ticket-client-bound', permissions, client.clientId)) throw fail('3', '', errorUri, p.state);
  const names = (permissions[0].attributes.gathering_id ?? '').split(' ').filter((n) => n !== '');
  if (names.length === 0) throw fail('4', '', errorUri, p.state);
  const script = names.map((n) => gatheringScript(as, n)).find((s) => s !== undefined);
  if (!script) throw fail('4', '', errorUri, p.state);
  const pct = permissions[0].attributes.pct;
  // configure() throws before persisting when the ticket has no PCT.
  if (blank(pct)) throw fail('5', 'Failed to handle call to UMA Claims Gathering Endpoint.');
  const a = session.attributes;
  a.set('step', '1');
  setOrDelete(a, 'state', p.state);
  setOrDelete(a, 'claims_redirect_uri', redirectUri);
  a.set('ticket', permissions[0].ticket);
  a.set('gather_script_name', script.name);
  a.set('pct', pct);
  a.set('client_id', client.clientId);
  return as.urls.issuer + pagePath(pageForStep(script, getStep(session)));
}

function setOrDelete(m: Map<string, string>, key: string, value: string | undefined): void {
  if (value === undefined) m.delete(key);
  else m.set(key, value);
}

function sendAnswer(as: AsContext, res: http.ServerResponse, setCookies: string[], run: () => string): void {
  const cookies = cookieHeaders(setCookies);
  try {
    send(res, 302, '', { Location: run(), ...cookies });
  } catch (e) {
    if (e instanceof RedirectAnswer) send(res, 302, '', { Location: e.location, ...cookies });
    else if (e instanceof OxAuthError) sendOxAuthError(res, new OxAuthError(e.status, e.list, e.error, e.reason, { ...e.headers, ...cookies }), as.settings.errorReasonEnabled);
    else throw e;
  }
}

/** JAX-RS Boolean query parameter: Boolean.valueOf. */
const bool = (v: string | null) => (v ?? '').toLowerCase() === 'true';
const opt = (v: string | null) => (v === null ? undefined : v);

export function gatherClaimsGet(as: AsContext, req: Request, res: http.ServerResponse): void {
  const p: GatherParams = {
    clientId: opt(req.query.get('client_id')),
    ticket: opt(req.query.get('ticket')),
    claimsRedirectUri: opt(req.query.get('claims_redirect_uri')),
    state: opt(req.query.get('state')),
    authentication: bool(req.query.get('authentication')),
  };
  gatherClaims(as, req, res, p);
}

function gatherClaims(as: AsContext, req: Request, res: http.ServerResponse, p: GatherParams): void {
  const { session, setCookies } = getSession(as, req);
  sendAnswer(as, res, setCookies, () => {
    if (p.authentication) {
      // Resume after an /authorize detour: everything comes from the session (oxauth.md §4).
      // UmaGatheringWS 4.2.3 l. 77-90 answers invalid_session when the session is null, but
      // UmaSessionService.getSession never returns null (it makes a new one): without a session
      // cookie the parameters come from an empty session and check 1 answers 400 invalid_client_id.
      const a = session.attributes;
      p = { clientId: a.get('client_id'), ticket: a.get('ticket'), claimsRedirectUri: a.get('claims_redirect_uri'), state: a.get('state'), authentication: true };
    }
    return startGathering(as, session, p);
  });
}

/**
 * The POST variant declares form parameters but consumes only
 * application/json (oxauth.md §4): a form POST gets 415; a JSON POST runs
 * with no readable parameters.
 */
export function gatherClaimsPost(as: AsContext, req: Request, res: http.ServerResponse): void {
  const type = (headerValue(req, 'content-type') ?? '').toLowerCase().split(';')[0].trim();
  if (type !== 'application/json') {
    send(res, 415, '', {});
    return;
  }
  gatherClaims(as, req, res, { authentication: false });
}
