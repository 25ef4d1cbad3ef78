// Security probes of the gateway (issue 12 items 1–4; gluu-uma-auth,
// gluu-uma-pep and kong-common.lua @ gluu-gateway version_4.2.2). Each states
// a property a safe deployment has; `probe` reports a failure that is exactly
// a recorded weakness (support/known-weaknesses.json) as a finding. The
// `actual` values are few and fixed, so that a ledger entry can name them;
// the details (which headers, how long) go in the failure's words.
import type { Exchange } from '../http';
import type { EchoedRequest } from '../clients/echo-upstream';
import type { Navigation } from '../clients/website-browser';
import { probe, show, type CheckContext } from './core';
import { authorizationRedirect, endpointOf, ending, hops, lastOf } from './oidc';
import { umaChallenge } from '../www-authenticate';
import { wwwAuthenticate } from './gateway';

/** A refusal is 401 or 403 (gateway.md §6.3 R5, R7); anything else is not a refusal. */
function refusal(x: Exchange): { refused: boolean; actual: string } {
  const status = x.response.status;
  const refused = status === 401 || status === 403;
  return { refused, actual: refused ? `refused (HTTP ${status})` : status < 300 ? `served (HTTP ${status})` : `neither served nor refused (HTTP ${status})` };
}

/** SEC-GW-01: an RPT granted on another route (another oxd site, another scope) opens nothing on this one. */
export function rptOfAnotherRouteRefused(ctx: CheckContext, x: Exchange): void {
  const r = refusal(x);
  probe(ctx, {
    requirement: 'SEC-GW-01',
    aspect: 'RPT granted on another route',
    failure:
      'The claims-gathering host served its resource to an RPT that was granted on the host without claims: the PEP found the grant in its cache (key METHOD:pattern:token, no route, no oxd site) and never asked oxd, so the Country/City policy was bypassed.',
    expected: 'refused (HTTP 401 or 403)',
    actual: r.actual,
    pass: r.refused,
    evidence: x,
  });
}

function headerValue(seen: EchoedRequest, name: string): string | undefined {
  const raw = seen.headers[name.toLowerCase()];
  return Array.isArray(raw) ? raw.join(', ') : raw;
}

/** SEC-GW-02: identity headers a client sends itself never reach the API with the client's value. */
export function clientIdentityHeadersDropped(ctx: CheckContext, seen: EchoedRequest, sent: Record<string, string>, request: 'anonymous' | 'authenticated', evidence: Exchange): void {
  const passed = Object.entries(sent).filter(([name, value]) => headerValue(seen, name) === value);
  probe(ctx, {
    requirement: 'SEC-GW-02',
    aspect: `client-sent identity headers, ${request} request`,
    failure: `The API behind the gateway received identity headers the client sent itself, with the client's values, on an ${request} request: ${passed.map(([n, v]) => `${n}: ${v}`).join(', ')}. An API that trusts them can be told any client, consumer or scope.`,
    expected: "none of the client's own identity headers reach the API",
    actual: passed.length ? "the client's own identity headers reached the API" : "none of the client's own identity headers reach the API",
    pass: passed.length === 0,
    evidence,
  });
}

/** SEC-GW-03: an anonymous request's x-consumer-id names this route's anonymous consumer. */
export function ownAnonymousConsumer(ctx: CheckContext, seen: EchoedRequest, header: string, anonymousId: string, evidence: Exchange): void {
  const value = headerValue(seen, header);
  const actual = value === anonymousId ? "this route's anonymous consumer" : value === undefined ? `no ${header} header` : "another route's anonymous consumer";
  probe(ctx, {
    requirement: 'SEC-GW-03',
    aspect: 'anonymous consumer in the headers',
    failure: `The API received, for a request without a token, ${header}: ${value ?? '(absent)'}, not this route's anonymous consumer ${anonymousId}: the gateway's header cache keeps the anonymous headers under one key ("nil") for every route of the worker, for an hour. Rate limits, logs and ACLs keyed by the consumer see the wrong one.`,
    expected: "this route's anonymous consumer",
    actual,
    pass: value === anonymousId,
    evidence,
  });
}

/** SEC-GW-04: an RPT of a client whose Kong consumer was deleted is refused. */
export function removedConsumerRefused(ctx: CheckContext, x: Exchange, remainingSeconds: number | undefined): void {
  const r = refusal(x);
  const howLong = remainingSeconds === undefined ? 'until the RPT expires' : `for about ${remainingSeconds} s more (the RPT's expiry minus 5 s)`;
  probe(ctx, {
    requirement: 'SEC-GW-04',
    aspect: 'RPT of a deleted consumer',
    failure: `The gateway still served the resource to an RPT whose client's Kong consumer had been deleted: the token's introspection and consumer stay cached, so removing a consumer does not cut its access ${howLong}.`,
    expected: 'refused (HTTP 401 or 403)',
    actual: r.actual,
    pass: r.refused,
    evidence: x,
  });
}

/**
 * SEC-GW-05: a path element "#" (sent as %23, decoded in ngx.var.uri) is protected by the pattern that
 * covers it. A 401 with a ticket is that protection; any other refusal is safe too; the API's 2xx is the finding.
 */
export function hashElementProtected(ctx: CheckContext, x: Exchange, pattern: string): void {
  const s = x.response.status;
  const r = refusal(x);
  const challenged = s === 401 && Boolean(umaChallenge(wwwAuthenticate(x))?.params.ticket);
  probe(ctx, {
    requirement: 'SEC-GW-05',
    aspect: 'path element "#" under the UMA expression',
    failure: `The gateway passed ${x.request.method} ${new URL(x.request.url).pathname} to the API without a token, although its pattern ${pattern} covers it: the PEP looked the decoded element "#" up as its path tree's own rule key and found the rule of the shorter path, which ends the match without a rule, so the UMA expression was skipped.`,
    expected: `protected as ${pattern} says (401 with a ticket), or refused`,
    actual: challenged ? 'protected (HTTP 401 with a ticket)' : s >= 200 && s < 300 ? `served without UMA (HTTP ${s})` : r.actual,
    pass: r.refused,
    evidence: x,
  });
}

// ---- Tutorial 2's W-probes (oidc-uma.md §6), judged from the user's browser ----
// Each carries its standard's requirement id; the weakness ids are SEC-W<n>.

/** W1: an authorization response made for one browser does not log another browser in (login CSRF). */
export function anotherBrowsersResponseRefused(ctx: CheckContext, nav: Navigation, callbackUrl: string): void {
  const atCallback = nav.exchanges.find((x) => endpointOf(x.request.url) === endpointOf(callbackUrl));
  const status = atCallback?.response.status;
  probe(ctx, {
    requirement: 'RFC6749-10.12-CSRF',
    aspect: 'authorization response of another browser refused',
    failure: "The gateway logged a browser in with an authorization response made for another browser's login (login CSRF: the state is not bound to the browser).",
    expected: 'the callback refused with an error status (4xx or 5xx), nobody logged in',
    actual: !atCallback ? `the callback was not reached: ${hops(nav)}` : status! >= 400 ? 'refused' : status! >= 300 ? 'accepted: redirected on, logged in' : `accepted: status ${status}`,
    pass: status !== undefined && status >= 400,
    evidence: atCallback ? [...nav.exchanges.filter((x) => x !== atCallback), atCallback] : lastOf(nav),
  });
}

/** W5: after logout, a copy of the session cookie taken before it does not open the page. */
export function copiedSessionEnded(ctx: CheckContext, nav: Navigation, authorizationEndpoint: string, heading: string): void {
  const toLogin = authorizationRedirect(nav, authorizationEndpoint) !== undefined;
  const served = nav.final.headings.includes(heading);
  // Sent to log in again, or refused outright: either way the copy opens nothing.
  const refused = !served && (nav.final.status ?? 0) >= 400;
  probe(ctx, {
    requirement: 'OIDC-RPLOGOUT-2-END-SESSION',
    aspect: 'session cookie copied before logout refused',
    failure: `A copy of the session cookie taken before the logout still opens "${heading}": the logout did not end the gateway's session.`,
    expected: 'sent to the authorization server to log in, or refused',
    // A multi-worker GG whose worker holds no grant for the id_token sends the copy to the
    // claims pages instead: still logged in, no login asked (oidc-uma.md §3.9, W9).
    actual: toLogin
      ? 'sent to the authorization server'
      : served
        ? `served "${heading}"`
        : refused
          ? `refused (HTTP ${nav.final.status})`
          : nav.final.kind === 'claims'
            ? 'still logged in: sent to the claims pages without a login'
            : ending(nav),
    pass: toLogin || refused,
    evidence: lastOf(nav),
  });
}

/**
 * W11: another spelling of the protected path (the website routes
 * case-insensitively) needs the claims too. Claims gathering is the safe
 * answer, and so is not serving the variant at all (a 404 or a refusal).
 */
export function pathVariantProtected(ctx: CheckContext, nav: Navigation, claimsEndpoint: string, heading: string): void {
  const gathered = nav.final.kind === 'claims' && nav.exchanges.some((x) => endpointOf(x.request.url) === endpointOf(claimsEndpoint));
  const served = nav.final.headings.includes(heading);
  const status = nav.final.status ?? 0;
  const notServed = !served && nav.final.kind === 'website' && status >= 400 && status < 500;
  probe(ctx, {
    requirement: 'UMA-GRANT-3.3.6-REDIRECT-USER',
    aspect: 'path variant sent to claims gathering',
    failure: `Another spelling of the protected path opened "${heading}" without claims gathering: the UMA expression can be bypassed.`,
    expected: 'sent to the claims-gathering pages, or not served (4xx)',
    actual: gathered ? 'sent to the claims-gathering pages' : notServed ? `not served (HTTP ${status})` : served ? `served "${heading}" without claims gathering` : ending(nav),
    pass: gathered || notServed,
    evidence: lastOf(nav),
  });
}

/**
 * W12: a header the browser sends in the gateway's identity namespace does
 * not reach the website as if the gateway had set it. A gateway that refuses
 * the request (nothing reaches the website) is safe too.
 */
export function spoofedHeaderKeptFromWebsite(ctx: CheckContext, seen: EchoedRequest | undefined, name: string, sent: string, echo: Exchange): void {
  const got = seen ? headerValue(seen, name) : undefined;
  probe(ctx, {
    requirement: 'RFC7239-8.1-HEADER-INTEGRITY',
    aspect: 'spoofed identity header dropped',
    failure: `A header the browser sent in the gateway's identity namespace (${name}) reached the website unchanged: the website cannot tell it from what the gateway vouches for.`,
    expected: `${name} removed or set by the gateway, or the request refused`,
    actual: !seen ? 'the gateway did not pass the request on' : got === sent ? "the browser's value reached the upstream" : `${name}: ${show(got)}`,
    pass: !seen || got !== sent,
    evidence: echo,
  });
}
