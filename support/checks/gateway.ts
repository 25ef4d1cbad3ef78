// Checks of what the resource server (Kong + gluu-uma-auth/gluu-uma-pep)
// answers, and of what reaches the API behind it (gateway.md §6, UMA Grant §3.2, §3.5).
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import { gluuChallengeFormat, umaChallenge, type Challenge } from '../www-authenticate';
import type { EchoedRequest } from '../clients/echo-upstream';
import { show, verify, type CheckContext } from './core';

export interface TicketChallenge {
  ticket: string;
  asUri: string;
  challenge: Challenge;
}

/**
 * Issue 14 item 11: GG 4.2 answers 502 for a few seconds of every protection
 * token's life. kong-common.lua get_protection_token reuses the token until
 * 5 s after it expired (`expire > now - 5`, gateway.md §7); oxd refuses the
 * expired token (403 inactive_access_token, oxd.md §2.1 step 3) and the
 * plugins turn any non-200 from oxd into 502 "An unexpected error ocurred".
 * A check that meets that 502 names the window, so that a long run against a
 * sound deployment is not read as a broken gateway.
 */
export const PROTECTION_TOKEN_WINDOW_NOTE =
  'Gluu Gateway answered 502 "An unexpected error ocurred", which GG 4.2 also answers, for up to 5 s in every protection-token lifetime, ' +
  'when its plugin reuses its expired protection token: kong-common get_protection_token keeps the token until 5 s after it expired, ' +
  'oxd refuses it (403 inactive_access_token) and the plugin answers 502. The window comes once per token lifetime (the plugin ' +
  "client's access_token_lifetime when it was registered with one, else the AS's accessTokenLifetime, 300 s in CES 4.2) per Kong worker and plugin client; " +
  'if the same request passes a few seconds later, it was that window, not the configuration.';

/** GG's own 502 (kong-common `unexpected_error`), as the plugins answer a failed oxd call. */
export function isGatewayUnexpectedError(x: Exchange): boolean {
  return x.response.status === 502 && bodyObject(x).message === 'An unexpected error ocurred';
}

/** The failure's plain words, with the protection-token window named when the answer was GG's 502. */
function inWindow(failure: string, x: Exchange): string {
  return isGatewayUnexpectedError(x) ? `${failure} ${PROTECTION_TOKEN_WINDOW_NOTE}` : failure;
}

/** The response's WWW-Authenticate header (also read by the security probes). */
export function wwwAuthenticate(x: Exchange): string | undefined {
  return x.response.headers['www-authenticate'];
}

/**
 * Issue 14 item 11: once the window is over GG has taken a new protection
 * token. Still its 502 then (`waitedS` after the token's expiry, every Kong
 * worker's window included) means the gateway does not renew its token.
 */
export function renewedAfterWindow(ctx: CheckContext, x: Exchange, waitedS: number): void {
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2-TICKET-OBTAINED',
    aspect: 'protection token renewed',
    failure:
      `The gateway still answered 502 "An unexpected error ocurred" ${waitedS} s after its protection token expired, when GG 4.2 has renewed it (5 s after expiry): ` +
      'the gateway does not renew its protection token, or oxd or the AS refuse the new one.',
    expected: 'an answer other than GG\'s 502',
    actual: isGatewayUnexpectedError(x) ? 'status 502 {"message":"An unexpected error ocurred"}' : `status ${x.response.status}`,
    pass: !isGatewayUnexpectedError(x),
    evidence: x,
  });
}

/** UMA Grant §3.2.2: the header an RS adds when it could not obtain a ticket. */
const AS_UNREACHABLE_WARNING = /^199 - "UMA Authorization Server Unreachable"$/;

/**
 * Issue 14 item 11: a request without a token sent while the gateway's
 * protection token had expired at the AS but GG still reused it (the first
 * five seconds after its expiry). A gateway that renews in time answers 401
 * with a ticket; one that cannot get a ticket owes the client UMA Grant
 * §3.2.2's Warning header. GG 4.2 answers 502 without it (DIV-RS-02). Its own
 * aspect, so that the ledger entry applies to this request only.
 */
export function refusedInTokenWindow(ctx: CheckContext, x: Exchange): void {
  const challenge = umaChallenge(wwwAuthenticate(x));
  const ticketed = x.response.status === 401 && (challenge?.params.ticket ?? '') !== '';
  const warning = x.response.headers.warning;
  const warned = warning !== undefined && AS_UNREACHABLE_WARNING.test(warning);
  const body = x.response.json === undefined ? x.response.text.slice(0, 120) : JSON.stringify(x.response.json);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2.2-WARNING-HEADER',
    aspect: 'tokenless request in the protection-token window',
    failure: inWindow('The gateway neither refused a request without a token with 401 and a ticket nor said that it could not get one (Warning: 199) while it was renewing its protection token.', x),
    expected: 'status 401 with a permission ticket, or a Warning: 199 - "UMA Authorization Server Unreachable" header',
    actual: ticketed ? 'status 401 with a permission ticket' : warned ? `status ${x.response.status} with Warning: ${warning}` : `status ${x.response.status} ${body}, no Warning header`,
    pass: ticketed || warned,
    evidence: x,
  });
}

/**
 * R1/R3: 401 with a UMA challenge that carries a permission ticket and the
 * AS's URI. The 401 is UMA Grant §3.2 for a request without a token, §3.5
 * for one with a token that is not a valid RPT.
 */
export function refusedWithTicket(ctx: CheckContext, x: Exchange, why: string): TicketChallenge {
  const withToken = Object.keys(x.request.headers).some((h) => h.toLowerCase() === 'authorization');
  verify(ctx, {
    requirement: withToken ? 'UMA-GRANT-3.5-NO-ACCESS-INVALID-RPT' : 'UMA-GRANT-3.2-TICKET-OBTAINED',
    aspect: 'status',
    failure: inWindow(`The gateway did not refuse ${why} with 401.`, x),
    expected: 'status 401',
    actual: `status ${x.response.status}`,
    pass: x.response.status === 401,
    evidence: x,
  });
  const header = wwwAuthenticate(x);
  const challenge = umaChallenge(header);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2.1-WWW-AUTH-SCHEME',
    aspect: 'UMA challenge',
    failure: `The gateway's 401 for ${why} carries no UMA challenge (WWW-Authenticate with the UMA scheme).`,
    expected: 'WWW-Authenticate: UMA realm=…,as_uri=…,ticket=…',
    actual: header === undefined ? 'no WWW-Authenticate header' : `WWW-Authenticate: ${header}`,
    pass: challenge !== undefined,
    evidence: x,
  });
  const ticket = challenge?.params.ticket ?? '';
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2.1-TICKET-PARAM',
    aspect: 'ticket parameter',
    failure: `The gateway's UMA challenge for ${why} carries no permission ticket.`,
    expected: 'a non-empty ticket parameter',
    actual: `ticket ${show(challenge?.params.ticket)}`,
    pass: ticket.length > 0,
    evidence: x,
  });
  const asUri = challenge?.params.as_uri ?? '';
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2.1-AS-URI',
    aspect: 'as_uri parameter',
    failure: `The gateway's UMA challenge for ${why} does not name the authorization server (as_uri).`,
    expected: 'a non-empty as_uri parameter',
    actual: `as_uri ${show(challenge?.params.as_uri)}`,
    pass: asUri.length > 0,
    evidence: x,
  });
  return { ticket, asUri, challenge: challenge! };
}

/** gateway.md §6.4: GG copies oxd's header verbatim: fixed order, no spaces (the demo RqP depends on it). */
export function exactGluuChallenge(ctx: CheckContext, x: Exchange, c: TicketChallenge): void {
  const expected = gluuChallengeFormat(c.asUri, c.ticket);
  const actual = wwwAuthenticate(x) ?? '';
  verify(ctx, {
    aspect: 'Gluu challenge format',
    failure: 'The UMA challenge is not in Gluu Gateway\'s exact format (realm, as_uri, error, ticket; comma-separated, no spaces), which the tutorial\'s demo client parses by position.',
    expected,
    actual,
    pass: actual === expected,
    evidence: x,
  });
}

export function bodyMessage(ctx: CheckContext, x: Exchange, message: string): void {
  const body = bodyObject(x);
  const contentType = x.response.headers['content-type'] ?? '';
  verify(ctx, {
    aspect: 'refusal body',
    failure: `The gateway's refusal body is not the JSON message "${message}" Gluu Gateway sends.`,
    expected: `JSON {"message":${JSON.stringify(message)}} (application/json)`,
    actual: `${contentType || 'no content type'}: ${bodyExcerpt(x.response.text, 200) || '(empty body)'}`,
    pass: body.message === message && /^application\/json/.test(contentType),
    evidence: x,
  });
}

/** R5, R7, R8, R9: a refusal with a fixed message; `challenge` says whether a WWW-Authenticate is expected. */
export function refusedWithMessage(ctx: CheckContext, x: Exchange, status: number, message: string, why: string): void {
  verify(ctx, {
    aspect: 'status',
    failure: inWindow(`The gateway did not refuse ${why} with ${status}.`, x),
    expected: `status ${status}`,
    actual: `status ${x.response.status}`,
    pass: x.response.status === status,
    evidence: x,
  });
  bodyMessage(ctx, x, message);
}

/** Refused at all: 401 or 403, whatever the body. */
export function refused(ctx: CheckContext, x: Exchange, why: string): void {
  verify(ctx, {
    aspect: 'refused',
    failure: inWindow(`The gateway did not refuse ${why}.`, x),
    expected: 'status 401 or 403',
    actual: `status ${x.response.status}`,
    pass: x.response.status === 401 || x.response.status === 403,
    evidence: x,
  });
}

export function noChallenge(ctx: CheckContext, x: Exchange, why: string): void {
  const header = wwwAuthenticate(x);
  verify(ctx, {
    aspect: 'no challenge',
    failure: `The gateway sent a UMA challenge with its refusal of ${why}, which Gluu Gateway does not.`,
    expected: 'no WWW-Authenticate header',
    actual: header === undefined ? 'no WWW-Authenticate header' : `WWW-Authenticate: ${header}`,
    pass: header === undefined,
    evidence: x,
  });
}

/** UMA Grant §3.5: a failed RPT is answered like a tokenless request (DIV-RS-01 on Gluu). */
export function insufficientRptChallenged(ctx: CheckContext, x: Exchange, previousTickets: string[]): void {
  const challenge = umaChallenge(wwwAuthenticate(x));
  const ticket = challenge?.params.ticket;
  const actual =
    x.response.status === 401 && ticket ? (previousTickets.includes(ticket) ? '401 with a reused ticket' : '401 with a new ticket') : `${x.response.status} ${challenge ? 'with a challenge without a usable ticket' : 'without a challenge'}`;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.5-FAIL-AS-TOKENLESS',
    aspect: 'challenge on insufficient RPT',
    failure: 'The gateway refused an RPT that lacks the needed permission without a UMA challenge and a new ticket, so the client cannot ask for more permissions.',
    expected: '401 with a new ticket',
    actual,
    pass: actual === '401 with a new ticket',
    evidence: x,
  });
}

export function ticketsAllDifferent(ctx: CheckContext, tickets: string[], evidence: Exchange[]): void {
  const distinct = new Set(tickets).size;
  verify(ctx, {
    aspect: 'new ticket on each refusal',
    failure: 'The gateway handed out the same permission ticket for different refusals; every refusal must register a new ticket at the AS.',
    expected: `${tickets.length} different tickets`,
    actual: `${distinct} different ticket${distinct === 1 ? '' : 's'}: ${tickets.join(', ')}`,
    pass: distinct === tickets.length,
    evidence,
  });
  // UMA Grant §5.4: tickets must be unguessable; a UUID v4 or 128+ bits of random-looking text passes.
  const weak = tickets.filter((t) => t.replace(/[^A-Za-z0-9]/g, '').length < 22);
  verify(ctx, {
    requirement: 'UMA-GRANT-5.4-UNGUESSABLE',
    aspect: 'ticket length',
    failure: 'The permission tickets are too short to be unguessable (UMA Grant §5.4).',
    expected: 'at least 22 alphanumeric characters (about 128 bits)',
    actual: weak.length ? `short tickets: ${weak.join(', ')}` : 'all long enough',
    pass: weak.length === 0,
    evidence,
  });
}

/** Whether a request reached the upstream, from the echo upstream's record. */
export function reachedUpstream(ctx: CheckContext, seen: EchoedRequest | undefined, shouldHave: boolean, why: string, evidence: Exchange[]): void {
  verify(ctx, {
    aspect: shouldHave ? 'reached upstream' : 'kept from upstream',
    failure: shouldHave ? `${why} did not reach the API behind the gateway.` : `${why} reached the API behind the gateway although the gateway refused it.`,
    expected: shouldHave ? 'the upstream received the request' : 'the upstream never received the request',
    actual: seen ? `the upstream received ${seen.method} ${seen.path}` : 'the upstream never received the request',
    pass: (seen !== undefined) === shouldHave,
    evidence,
  });
}

export function upstreamHeader(ctx: CheckContext, seen: EchoedRequest, name: string, expected: string | undefined, evidence: Exchange): void {
  const raw = seen.headers[name.toLowerCase()];
  const actual = Array.isArray(raw) ? raw.join(', ') : raw;
  verify(ctx, {
    aspect: `upstream header ${name}`,
    failure:
      expected === undefined
        ? `The API behind the gateway received the header "${name}", which it must not get here.`
        : `The API behind the gateway did not receive the header "${name}" with the expected value.`,
    expected: expected === undefined ? `no ${name} header` : `${name}: ${expected}`,
    actual: actual === undefined ? `no ${name} header` : `${name}: ${actual}`,
    pass: actual === expected,
    evidence,
  });
}

/** The tutorial's demo API answer (gateway.md §10): a post with id, title and body. */
export function tutorialApiData(ctx: CheckContext, x: Exchange): void {
  verify(ctx, {
    aspect: 'status',
    failure: inWindow('The protected resource did not answer 200 to a request with a valid RPT.', x),
    expected: 'status 200',
    actual: `status ${x.response.status}`,
    pass: x.response.status === 200,
    evidence: x,
  });
  const body = bodyObject(x);
  // The demo API's /posts/<n> answers post n: the data must be the one asked for, not any post.
  const asked = /\/posts\/(\d+)\/?$/.exec(new URL(x.request.url).pathname)?.[1];
  verify(ctx, {
    aspect: 'API data',
    failure: "The protected resource's answer is not the tutorial API's data (the post asked for, with id, title and body).",
    expected: `JSON {"id":${asked ?? '<number>'},"title":<text>,"body":<text>}`,
    actual: bodyExcerpt(x.response.text, 300) || '(empty body)',
    pass: typeof body.id === 'number' && (asked === undefined || body.id === Number(asked)) && typeof body.title === 'string' && typeof body.body === 'string',
    evidence: x,
  });
}

export type PathOutcome = 'protected' | 'outside the expression, refused' | 'outside the expression, passed on';

/** gateway.md §6.3 R1 / R9 / R10 for a request without a token. */
export function pathOutcome(ctx: CheckContext, x: Exchange, outcome: PathOutcome, request: string): void {
  const s = x.response.status;
  const message = bodyObject(x).message;
  const hasTicket = Boolean(umaChallenge(wwwAuthenticate(x))?.params.ticket);
  const actual =
    s === 401 && hasTicket
      ? 'protected'
      : s === 403 && message === 'Invalid request, no token and no protected path'
        ? 'outside the expression, refused'
        : s >= 200 && s < 300
          ? 'outside the expression, passed on'
          : `status ${s} ${bodyExcerpt(x.response.text, 120)}`;
  const words: Record<PathOutcome, string> = {
    protected: '401 with a UMA challenge and a ticket',
    'outside the expression, refused': '403 "Invalid request, no token and no protected path"',
    'outside the expression, passed on': 'the upstream\'s 2xx answer',
  };
  verify(ctx, {
    aspect: 'path protection',
    failure: inWindow(`The gateway did not treat ${request} as ${outcome}.`, x),
    expected: `${outcome}: ${words[outcome]}`,
    actual,
    pass: actual === outcome,
    evidence: x,
  });
}
