// Checks of the authorization server's answers, seen directly or through oxd
// (UMA Grant §2, §3.3; FedAuthz §2, §5; oxauth.md; oxd.md §5).
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import type { NeedInfoBody, RequiredClaim } from '../clients/oxd';
import type { GatheringOutcome } from '../clients/claims-browser';
import { show, verify, type CheckContext } from './core';

/** RFC 6749 §5.2 token endpoint error codes. */
export const OAUTH_TOKEN_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];
/** RFC 6749 §4.1.2.1 authorization error codes. */
export const OAUTH_AUTHORIZATION_ERRORS = ['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error', 'temporarily_unavailable'];

const errorOf = (x: Exchange): string | undefined => {
  const e = bodyObject(x).error;
  return typeof e === 'string' ? e : undefined;
};

const describe = (x: Exchange): string => `status ${x.response.status}, ${errorOf(x) ? `error ${errorOf(x)}` : bodyExcerpt(x.response.text, 160) || 'empty body'}`;

export interface NeedInfo {
  ticket: string;
  redirectUser?: string;
  requiredClaims: RequiredClaim[];
  body: NeedInfoBody;
}

/** A 403 need_info with a new ticket, the expected missing claims, and a redirect_user (README A3). */
export function needInfo(ctx: CheckContext, x: Exchange, sentTicket: string, claims: string[]): NeedInfo {
  const body = bodyObject(x) as unknown as NeedInfoBody;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-NEED-INFO-STATUS',
    aspect: 'need_info',
    failure: 'The authorization server did not ask for more information (need_info, 403) although the policy needs claims the client has not given.',
    expected: 'status 403, error need_info',
    actual: describe(x),
    pass: x.response.status === 403 && body.error === 'need_info',
    evidence: x,
  });
  const ticket = typeof body.ticket === 'string' ? body.ticket : '';
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-NEED-INFO-TICKET',
    aspect: 'need_info ticket',
    failure: 'The need_info answer carries no permission ticket to continue with.',
    expected: 'a non-empty ticket',
    actual: `ticket ${show(body.ticket)}`,
    pass: ticket.length > 0,
    evidence: x,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-NEED-INFO-NEW-TICKET',
    aspect: 'need_info new ticket',
    failure: 'The need_info answer hands back the ticket the client sent instead of a new one.',
    expected: `a ticket other than ${sentTicket}`,
    actual: `ticket ${ticket}`,
    pass: ticket !== sentTicket,
    evidence: x,
  });
  const names = Array.isArray(body.required_claims) ? body.required_claims.map((c) => c?.name) : [];
  verify(ctx, {
    aspect: 'required claims',
    failure: "The need_info answer does not ask for exactly the claims the tutorial's policy still needs.",
    expected: `required_claims named ${claims.join(', ')}`,
    actual: `required_claims named ${names.length ? names.join(', ') : '(none)'}`,
    pass: [...names].sort().join(',') === [...claims].sort().join(','),
    evidence: x,
  });
  const redirectUser = typeof body.redirect_user === 'string' ? body.redirect_user : undefined;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-NEED-INFO-HINTS',
    aspect: 'need_info hints',
    failure: 'The need_info answer gives the client no hint how to go on: neither required_claims nor redirect_user.',
    expected: 'required_claims or redirect_user (or both)',
    actual: `required_claims ${show(body.required_claims)}, redirect_user ${show(body.redirect_user)}`,
    pass: (Array.isArray(body.required_claims) && body.required_claims.length > 0) || redirectUser !== undefined,
    evidence: x,
  });
  // The tutorial's flow needs the redirect_user (the claims-gathering pages), not only the claim names.
  verify(ctx, {
    aspect: 'redirect_user',
    failure: 'The need_info answer has no redirect_user, so the client cannot send the user to gather claims.',
    expected: 'a redirect_user URL',
    actual: `redirect_user ${show(body.redirect_user)}`,
    pass: redirectUser !== undefined && /^https?:\/\//.test(redirectUser),
    evidence: x,
  });
  return { ticket, redirectUser, requiredClaims: (body.required_claims ?? []) as RequiredClaim[], body };
}

/** UMA Grant §3.3.6: required_claims items and redirect_user form. */
export function needInfoShape(ctx: CheckContext, x: Exchange, info: NeedInfo, claimsInteractionEndpoint: string | undefined): void {
  errorIsJson(ctx, x);
  const bad = info.requiredClaims.filter(
    (c) =>
      typeof c.name !== 'string' ||
      typeof c.friendly_name !== 'string' ||
      typeof c.claim_type !== 'string' ||
      !Array.isArray(c.claim_token_format) ||
      !Array.isArray(c.issuer),
  );
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-REQUIRED-CLAIMS-SHAPE',
    aspect: 'required claims shape',
    failure: 'Some required_claims items are not in UMA\'s shape (name, friendly_name, claim_type as strings; claim_token_format and issuer as arrays).',
    expected: 'every item well-formed',
    actual: bad.length ? `malformed: ${JSON.stringify(bad)}` : 'every item well-formed',
    pass: bad.length === 0,
    evidence: x,
  });
  const base = (u: string | undefined) => {
    try {
      const url = new URL(u ?? '');
      return `${url.origin}${url.pathname}`;
    } catch {
      return '(not a URL)';
    }
  };
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-REDIRECT-USER',
    aspect: 'redirect_user endpoint',
    failure: "The need_info redirect_user does not point at the authorization server's claims interaction endpoint.",
    expected: base(claimsInteractionEndpoint),
    actual: base(info.redirectUser),
    pass: claimsInteractionEndpoint !== undefined && base(info.redirectUser) === base(claimsInteractionEndpoint),
    evidence: x,
  });
}

export interface Rpt {
  rpt: string;
  pct?: string;
  body: Record<string, unknown>;
}

/** An RPT issued (oxd 200: access_token, token_type, pct, updated — oxd.md §4.9). */
export function rptIssued(ctx: CheckContext, x: Exchange, after: string): Rpt {
  const body = bodyObject(x);
  const rpt = typeof body.access_token === 'string' ? body.access_token : '';
  const error = errorOf(x);
  verify(ctx, {
    aspect: 'RPT issued',
    failure:
      error === 'need_info'
        ? `The authorization server asked for more information again ${after}, instead of issuing an RPT.`
        : `No RPT was issued ${after}.`,
    expected: 'status 200 with an access_token (the RPT)',
    actual: describe(x),
    pass: x.response.status === 200 && rpt.length > 0,
    evidence: x,
  });
  verify(ctx, {
    aspect: 'token type',
    failure: 'The RPT is not a bearer token.',
    expected: 'token_type Bearer',
    actual: `token_type ${show(body.token_type)}`,
    pass: typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'bearer',
    evidence: x,
  });
  return { rpt, pct: typeof body.pct === 'string' ? body.pct : undefined, body };
}

/** Flow B / C: the policy refuses; no RPT, and no need_info. Gluu: 403 forbidden_by_policy (oxd.md §5). */
export function policyRefused(ctx: CheckContext, x: Exchange): void {
  const body = bodyObject(x);
  verify(ctx, {
    aspect: 'no RPT for refused claims',
    failure: 'The authorization server issued an RPT for claims the policy must refuse (Country US and City NY, exactly, are the only ones it grants).',
    expected: 'no RPT',
    actual: typeof body.access_token === 'string' ? `an RPT was issued (status ${x.response.status})` : 'no RPT',
    pass: typeof body.access_token !== 'string',
    evidence: x,
  });
  verify(ctx, {
    aspect: 'refusal not need_info',
    failure: 'The authorization server asked for more information although the client already gave every claim the policy reads; it must refuse instead.',
    expected: 'a refusal, not need_info',
    actual: describe(x),
    pass: errorOf(x) !== 'need_info',
    evidence: x,
  });
  verify(ctx, {
    aspect: 'policy refusal',
    // The tutorial's flow only needs "refused"; which code is UMA's (request_denied) or
    // Gluu's (forbidden_by_policy, DIV-AS-02) is the authorization-server feature's check.
    failure: 'The refusal is not a policy refusal (403 request_denied, or Gluu\'s 403 forbidden_by_policy).',
    expected: 'status 403, error request_denied or forbidden_by_policy',
    actual: describe(x),
    pass: x.response.status === 403 && ['request_denied', 'forbidden_by_policy'].includes(errorOf(x) ?? ''),
    evidence: x,
  });
}

export type TicketSituation = 'replaced by need_info' | 'claims were gathered for' | 'presented at the claims endpoint' | 'already exchanged for an RPT' | 'refused by the policy' | 'never issued';

/** uma2-requirements.md §5.5: a ticket gathered for is invalidated at the claims endpoint; one exchanged, at the token endpoint. */
const TICKET_SITUATION_REQUIREMENT: Record<TicketSituation, string> = {
  'never issued': 'UMA-GRANT-3.3.6-INVALID-GRANT',
  'replaced by need_info': 'UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN',
  'already exchanged for an RPT': 'UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN',
  'refused by the policy': 'UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN',
  'claims were gathered for': 'UMA-GRANT-5.5-SINGLE-USE-AT-CLAIMS',
  'presented at the claims endpoint': 'UMA-GRANT-5.5-SINGLE-USE-AT-CLAIMS',
};

/** UMA Grant §5.5 and §3.3.6: a ticket that is no longer (or never was) valid is refused with 400 invalid_grant. */
export function ticketRefused(ctx: CheckContext, x: Exchange, situation: TicketSituation): void {
  const body = bodyObject(x);
  const actual = typeof body.access_token === 'string' ? `${x.response.status} with an RPT` : errorOf(x) === 'need_info' ? '403 need_info' : x.response.status === 400 ? 'refused with 400' : describe(x);
  verify(ctx, {
    requirement: TICKET_SITUATION_REQUIREMENT[situation],
    aspect: `ticket ${situation} refused`,
    failure: `The authorization server accepted a ticket ${situation}; a permission ticket must not be usable again (or at all, if never issued).`,
    expected: 'refused with 400',
    actual,
    pass: actual === 'refused with 400',
    evidence: x,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT',
    aspect: 'ticket error code',
    failure: 'The authorization server refused the ticket with another error code than UMA 2.0\'s invalid_grant.',
    expected: 'error invalid_grant',
    actual: errorOf(x) ?? '(no error code)',
    pass: errorOf(x) === 'invalid_grant',
    evidence: x,
  });
}

/** RFC 6749 §5.2 (UMA Grant §3.3.6): an error answer is application/json with an `error` member. */
export function errorIsJson(ctx: CheckContext, x: Exchange): void {
  const contentType = x.response.headers['content-type'] ?? '';
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-ERROR-JSON',
    aspect: 'error is JSON',
    failure: 'The token endpoint\'s error answer is not a JSON object with an error member.',
    expected: 'application/json with an "error" member',
    actual: `${contentType || 'no content type'}, error ${show(errorOf(x))}`,
    pass: /^application\/json/i.test(contentType) && errorOf(x) !== undefined,
    evidence: x,
  });
}

/** A refusal with a given status and error (UMA Grant §3.3.6; RFC 6749 §5.2). */
export function refusedWith(ctx: CheckContext, x: Exchange, c: { status: number; error: string; requirement: string; aspect: string; failure: string }): void {
  errorIsJson(ctx, x);
  verify(ctx, {
    requirement: c.requirement,
    aspect: 'status',
    failure: c.failure,
    expected: `status ${c.status}`,
    actual: `status ${x.response.status}`,
    pass: x.response.status === c.status,
    evidence: x,
  });
  verify(ctx, {
    requirement: c.requirement,
    aspect: c.aspect,
    failure: c.failure,
    expected: `error ${c.error}`,
    actual: errorOf(x) ?? '(no error code)',
    pass: errorOf(x) === c.error,
    evidence: x,
  });
}

export function refusedWithOAuthCode(ctx: CheckContext, x: Exchange, requirement: string, failure: string): void {
  verify(ctx, {
    requirement,
    aspect: 'status',
    failure,
    expected: 'status 400',
    actual: `status ${x.response.status}`,
    pass: x.response.status === 400,
    evidence: x,
  });
  verify(ctx, {
    requirement,
    aspect: 'token error code',
    failure: `${failure} The error code is not one of OAuth 2.0's token error codes.`,
    expected: `one of ${OAUTH_TOKEN_ERRORS.join(', ')}`,
    actual: errorOf(x) ?? '(no error code)',
    pass: OAUTH_TOKEN_ERRORS.includes(errorOf(x) ?? ''),
    evidence: x,
  });
}

/** The tutorial's pages: Country first, then City (oxauth.md §5). */
export function pagesInOrder(ctx: CheckContext, outcome: GatheringOutcome, expected: string[][]): void {
  const actual = outcome.pages.map((p) => p.asks);
  verify(ctx, {
    aspect: 'claims pages',
    failure: "The authorization server's claims-gathering pages did not ask for Country and then City, as the tutorial's sample script does.",
    expected: expected.map((a) => a.join('+')).join(' → ') || '(no page)',
    actual: actual.map((a) => a.join('+') || '(nothing)').join(' → ') || `no claims page; the browser ended at ${outcome.finalUrl}: ${outcome.finalText.slice(0, 200)}`,
    pass: JSON.stringify(actual) === JSON.stringify(expected),
  });
}

export interface RedirectBack {
  ticket: string;
  url: URL;
}

/** Scheme, host, port and path: what must match a registered claims redirect URI exactly. */
function endpointOf(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.origin + u.pathname;
}

/** The redirect is to the registered URI itself (same endpoint, its own query parameters kept). */
function atRegistered(url: URL | undefined, registered: string): boolean {
  if (!url || endpointOf(url) !== endpointOf(registered)) return false;
  const own = new URL(registered).searchParams;
  return [...own.keys()].every((k) => url.searchParams.getAll(k).includes(own.get(k)!));
}

/** UMA Grant §3.3.3: back at the claims redirect URI with a new ticket, and state echoed iff sent. */
export function redirectedBack(ctx: CheckContext, outcome: GatheringOutcome, claimsRedirectUri: string, gatheredTicket: string, state: string | undefined): RedirectBack {
  const url = outcome.redirect;
  verify(ctx, {
    aspect: 'redirect back',
    failure: 'After claims gathering the browser was not sent back to the client\'s claims redirect URI.',
    expected: `a redirect to ${endpointOf(claimsRedirectUri)}`,
    actual: url ? `a redirect to ${url.href}` : `no redirect; the browser ended at ${outcome.finalUrl}: ${outcome.finalText.slice(0, 200)}`,
    pass: url !== undefined && endpointOf(url) === endpointOf(claimsRedirectUri),
  });
  const own = [...new URL(claimsRedirectUri).searchParams];
  if (own.length) {
    const lost = own.filter(([k, v]) => !url!.searchParams.getAll(k).includes(v)).map(([k, v]) => `${k}=${v}`);
    verify(ctx, {
      requirement: 'UMA-GRANT-3.3.2-CRU-QUERY-RETAINED',
      aspect: 'claims redirect URI query kept',
      failure: 'The redirect back dropped or changed the query the registered claims redirect URI carries; the AS must add its parameters to it, not replace it.',
      expected: own.map(([k, v]) => `${k}=${v}`).join('&') + ' kept',
      actual: lost.length ? `lost ${lost.join('&')} (${url!.href})` : `${own.map(([k, v]) => `${k}=${v}`).join('&')} kept`,
      pass: lost.length === 0,
    });
  }
  const params = url!.searchParams;
  const ticket = params.get('ticket') ?? '';
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-TICKET-PRESENT',
    aspect: 'redirect ticket',
    failure: 'The redirect back from claims gathering carries no ticket.',
    expected: 'a ticket parameter',
    actual: `ticket ${show(params.get('ticket') ?? undefined)}`,
    pass: ticket.length > 0,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-NEW-TICKET',
    aspect: 'redirect new ticket',
    failure: 'The redirect back from claims gathering returns the ticket claims were gathered for instead of a new one.',
    expected: `a ticket other than ${gatheredTicket}`,
    actual: `ticket ${ticket}`,
    pass: ticket !== gatheredTicket,
  });
  const returned = params.has('state') ? (params.get('state') ?? '') : undefined;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-STATE-ECHO',
    aspect: 'state echo',
    failure: state === undefined ? 'The redirect back carries a state although the client sent none.' : 'The redirect back does not return the state the client sent, unchanged.',
    expected: state === undefined ? 'no state parameter' : `state ${state}`,
    actual: returned === undefined ? 'no state parameter' : `state ${returned}`,
    pass: returned === state,
  });
  return { ticket, url: url! };
}

/** UMA Grant §3.3.3: no claims travel back; only ticket and state. */
export function onlyTicketAndState(ctx: CheckContext, url: URL, claimsRedirectUri: string): void {
  const own = new URL(claimsRedirectUri).searchParams;
  const extra = [...url.searchParams.keys()].filter((k) => k !== 'ticket' && k !== 'state' && !own.has(k));
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-NO-CLAIMS-BACK',
    aspect: 'redirect parameters',
    failure: 'The redirect back from claims gathering carries parameters other than the ticket and the state (claims must not be returned to the client).',
    expected: 'only ticket and state',
    actual: extra.length ? `also ${extra.join(', ')}` : 'only ticket and state',
    pass: extra.length === 0,
  });
}

/** What a redirect to a URI the client never registered brought there (the ledger records these words). */
function arrivedThere(url: URL): string {
  const error = url.searchParams.get('error');
  if (url.searchParams.get('ticket')) return 'redirected there with a ticket';
  return error ? `redirected there with error=${error}` : 'redirected there';
}

/** UMA Grant §3.3.3 / §3.3.2: the browser must never be sent to an untrusted claims redirect URI. */
export function notSentTo(ctx: CheckContext, outcome: GatheringOutcome, uri: string, requirement: string, registered: string): void {
  const url = outcome.redirect;
  const there = url !== undefined && endpointOf(url) === endpointOf(uri);
  const actual = !url || atRegistered(url, registered) ? 'no redirect' : !there ? `redirected to ${url.href}, another URI the client never registered` : arrivedThere(url);
  verify(ctx, {
    requirement,
    aspect: 'no redirect to an untrusted URI',
    failure: `The authorization server sent the user's browser to ${there ? uri : url?.href}, a claims redirect URI the client never registered.`,
    expected: 'no redirect (or one to the registered claims redirect URI only)',
    actual,
    pass: actual === 'no redirect',
  });
}

/**
 * UMA Grant §3.3.2: a claims redirect URI matches a registered one by simple
 * string comparison, so the registered URI with its query reordered is not
 * it: the AS must not complete gathering and send the browser there.
 */
export function inexactUriNotAccepted(ctx: CheckContext, outcome: GatheringOutcome, uri: string): void {
  const url = outcome.redirect;
  const there = url !== undefined && url.href.startsWith(uri);
  const actual = !url ? 'no redirect' : !there ? `redirected to ${url.href}` : arrivedThere(url);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.2-CRU-EXACT-MATCH',
    aspect: 'inexact claims redirect URI not accepted',
    failure: `The authorization server accepted ${uri}, which is not the registered claims redirect URI character for character, and sent the browser there.`,
    expected: 'no redirect',
    actual,
    pass: actual === 'no redirect',
  });
}

/** UMA Grant §3.3.2: a bad client_id gets an error and no redirect (Gluu: 400 JSON invalid_client_id). */
export function claimsEndpointRefusedClient(ctx: CheckContext, x: Exchange): void {
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-NO-REDIRECT-INVALID-CLIENT',
    aspect: 'no redirect for an invalid client',
    failure: 'The claims interaction endpoint redirected although the client_id is missing or unknown.',
    expected: 'no redirect (no 3xx)',
    actual: x.response.status >= 300 && x.response.status < 400 ? `${x.response.status} to ${x.response.headers.location}` : `status ${x.response.status}`,
    pass: x.response.status < 300 || x.response.status >= 400,
    evidence: x,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.2-CLIENT-ID-REQUIRED',
    aspect: 'invalid client error',
    failure: 'The claims interaction endpoint did not refuse the missing or unknown client_id with Gluu\'s 400 invalid_client_id.',
    expected: 'status 400, error invalid_client_id',
    actual: describe(x),
    pass: x.response.status === 400 && errorOf(x) === 'invalid_client_id',
    evidence: x,
  });
}

/** UMA Grant §3.3.3: other failures go back to the claims redirect URI with an RFC 6749 error and the state. */
export function errorRedirect(ctx: CheckContext, outcome: GatheringOutcome, claimsRedirectUri: string, state: string): string {
  const url = outcome.redirect;
  const ok = atRegistered(url, claimsRedirectUri) && Boolean(url!.searchParams.get('error'));
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-ERROR-REDIRECT',
    aspect: 'error redirect',
    failure: 'The claims interaction endpoint did not send the browser back to the claims redirect URI with an error for a ticket it never issued.',
    expected: `a redirect to ${claimsRedirectUri} with an error parameter`,
    actual: url ? `a redirect to ${url.href}` : `no redirect; the browser ended at ${outcome.finalUrl}`,
    pass: ok,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-ERROR-REDIRECT',
    aspect: 'error redirect state',
    failure: 'The error redirect does not return the state the client sent.',
    expected: `state ${state}`,
    actual: `state ${show(url!.searchParams.get('state') ?? undefined)}`,
    pass: url!.searchParams.get('state') === state,
  });
  return url!.searchParams.get('error') ?? '';
}

export function authorizationErrorCode(ctx: CheckContext, error: string): void {
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.3-ERROR-REDIRECT',
    aspect: 'error code in the redirect',
    failure: 'The error in the redirect is not one of OAuth 2.0\'s authorization error codes.',
    expected: `one of ${OAUTH_AUTHORIZATION_ERRORS.join(', ')}`,
    actual: error,
    pass: OAUTH_AUTHORIZATION_ERRORS.includes(error),
  });
}
