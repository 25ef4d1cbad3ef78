// Checks of the second tutorial (oidc-uma.md): the gateway as OpenID Connect
// relying party (gluu-openid-connect) and as UMA client on the user's behalf
// (gluu-uma-pep with obtain_rpt and redirect_claim_gathering_url), judged
// from what the user's browser went through. The login part carries OpenID
// Connect Core 1.0 / RFC 6749 ids, the claims part UMA Grant ids
// (support/requirements.ts).
import type { Exchange } from '../http';
import type { AsPage, Navigation } from '../clients/website-browser';
import type { EchoedRequest } from '../clients/echo-upstream';
import { show, verify, type CheckContext } from './core';

/** Scheme, host, port and path. */
export function endpointOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.origin + u.pathname;
}

/** The last exchange of a navigation, the one a failure shows in full. */
export function lastOf(nav: Navigation): Exchange[] {
  return nav.exchanges;
}

/** "302 → https://as/oxauth/restv1/authorize" for each hop: what the browser went through, without queries. */
export function hops(nav: Navigation): string {
  if (!nav.exchanges.length) return '(no page was loaded)';
  return nav.exchanges
    .map((x) => {
      const location = x.response.headers.location;
      const at = endpointOf(x.request.url);
      return location ? `${at} ${x.response.status} → ${endpointOf(new URL(location, x.request.url))}` : `${at} ${x.response.status}`;
    })
    .join(', ');
}

/** Where the browser ended, in words: the page's kind, status and heading or text. */
export function ending(nav: Navigation): string {
  const f = nav.final;
  if (f.kind !== 'website') return `the authorization server's ${f.kind} page`;
  const what = f.headings.length ? `"${f.headings.join(' / ')}"` : f.text ? `${f.text.slice(0, 120)}` : '(an empty page)';
  return `status ${f.status ?? '(none)'} ${what}`;
}

/** The gateway's first answer: a redirect to the AS's authorization endpoint, if it is one. */
export function authorizationRedirect(nav: Navigation, authorizationEndpoint: string): URL | undefined {
  for (const x of nav.exchanges) {
    const location = x.response.headers.location;
    if (!location) continue;
    const target = new URL(location, x.request.url);
    if (endpointOf(target) === endpointOf(authorizationEndpoint)) return target;
  }
  return undefined;
}

const AUTH_REQUEST_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce'];

/**
 * OIDC Core §3.1.2.1: an unauthenticated browser is sent to the AS with an
 * authorization code request carrying state and nonce. Returns that request.
 */
export function sentToAuthorization(ctx: CheckContext, nav: Navigation, authorizationEndpoint: string, why: string): URL {
  const request = authorizationRedirect(nav, authorizationEndpoint);
  const missing = request ? AUTH_REQUEST_PARAMS.filter((p) => !request.searchParams.get(p)) : [];
  const codeFlow = request?.searchParams.get('response_type') === 'code' && (request.searchParams.get('scope') ?? '').split(' ').includes('openid');
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.2.1-AUTH-REQUEST',
    aspect: 'sent to the authorization endpoint',
    failure: `The gateway did not send ${why} to the authorization server to log in (an OpenID Connect authorization code request with state and nonce).`,
    expected: `a redirect to ${authorizationEndpoint}?response_type=code&scope=openid…&client_id&redirect_uri&state&nonce`,
    actual: !request ? `no redirect there: ${hops(nav)}; the browser ended at ${ending(nav)}` : missing.length ? `a request without ${missing.join(', ')}` : codeFlow ? 'a code request with state and nonce' : `response_type ${show(request.searchParams.get('response_type'))}, scope ${show(request.searchParams.get('scope'))}`,
    pass: request !== undefined && missing.length === 0 && codeFlow,
    evidence: lastOf(nav),
  });
  return request!;
}

/** The authorization server showed its login page (oidc-uma.md §2 F2). */
export function loginPageShown(ctx: CheckContext, nav: Navigation): void {
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.2.1-AUTH-REQUEST',
    aspect: 'login page',
    failure: "The browser was not shown the authorization server's login page.",
    expected: "the authorization server's login page (loginForm:username, loginForm:password)",
    actual: `${ending(nav)} after ${hops(nav)}`,
    pass: nav.final.kind === 'login',
    evidence: lastOf(nav),
  });
}

/** The browser went through the AS's login: a redirect to the authorization endpoint, or a login or consent page. */
function loggedInAgain(nav: Navigation, authorizationEndpoint: string): boolean {
  return authorizationRedirect(nav, authorizationEndpoint) !== undefined || nav.pages.some((p) => p.kind === 'login' || p.kind === 'consent') || nav.final.kind === 'login' || nav.final.kind === 'consent';
}

/** The browser ended on the AS's claims pages, reached through its claims interaction endpoint. */
function atClaimsGathering(nav: Navigation, claimsEndpoint: string): boolean {
  return nav.final.kind === 'claims' && nav.exchanges.some((x) => endpointOf(x.request.url) === endpointOf(claimsEndpoint));
}

/** How a logged-in browser's second visit was served. */
export type SessionVisit = 'served' | 'gathering again';

/**
 * OIDC Core §1: a logged-in browser is served from the gateway's session,
 * without a new login. The UMA grant, though, is a per-worker cache in GG
 * 4.2 (lib/gluu/kong-common.lua @ version_4.2.2 lines 23–25: "it is shared
 * by all the requests served by each nginx worker process", lrucache of
 * 10000), and the RPT and PCT are thrown away (oidc-uma.md §3.9, W9). A
 * visit that a multi-worker GG (nginx_worker_processes auto) hands to
 * another worker is therefore sent to the claims pages again, without a
 * login: that is a correct GG 4.2, so it passes here ("gathering again"),
 * and the step finishes the gathering. The login itself lives in the cookie
 * (lua-resty-session 3.5: one secret per Kong start, shared by the workers,
 * oidc-uma.md §1.5), so a new login on any worker is a failure.
 */
export function servedFromSession(ctx: CheckContext, nav: Navigation, authorizationEndpoint: string, claimsEndpoint: string, heading: string): SessionVisit {
  const again = loggedInAgain(nav, authorizationEndpoint);
  const served = nav.final.kind === 'website' && nav.final.status === 200 && nav.final.headings.includes(heading);
  const gathering = atClaimsGathering(nav, claimsEndpoint);
  verify(ctx, {
    requirement: 'OIDC-CORE-1-SESSION',
    aspect: 'served from the session',
    failure: `The gateway did not serve "${heading}" from the browser's session: it sent the browser to the authorization server to log in again, or did not serve the page.`,
    expected: `"${heading}" (status 200) without a new login (the claims pages again only when another gateway worker holds no grant)`,
    actual: again ? `sent to log in again: ${hops(nav)}` : gathering ? 'no new login; sent to the claims pages again' : ending(nav),
    pass: !again && (served || gathering),
    evidence: lastOf(nav),
  });
  return served ? 'served' : 'gathering again';
}

/**
 * UMA Grant §3.3.6 need_info with a redirect_user, gateway-driven: after the
 * login, the gateway (as the user's client) sends the browser to the AS's
 * claims-gathering pages before it serves the protected page.
 */
export function sentToClaimsGathering(ctx: CheckContext, nav: Navigation, claimsEndpoint: string): void {
  const viaEndpoint = nav.exchanges.some((x) => endpointOf(x.request.url) === endpointOf(claimsEndpoint));
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.6-REDIRECT-USER',
    aspect: 'sent to claims gathering',
    failure: "After the login, the gateway did not send the browser to the authorization server's claims-gathering pages, although the settings page needs the Country and City claims.",
    expected: `a claims page reached through ${claimsEndpoint}`,
    actual: nav.final.kind === 'claims' ? (viaEndpoint ? 'a claims page' : `a claims page, but not through the claims interaction endpoint: ${hops(nav)}`) : `${ending(nav)} after ${hops(nav)}`,
    pass: nav.final.kind === 'claims' && viaEndpoint,
    evidence: lastOf(nav),
  });
}

/** The sample script asks Country, then City (oxauth.md §5). */
export function claimsPagesInOrder(ctx: CheckContext, pages: AsPage[], expected: string[][], nav: Navigation): void {
  const actual = pages.filter((p) => p.kind === 'claims').map((p) => p.asks);
  verify(ctx, {
    aspect: 'claims pages',
    failure: "The authorization server's claims-gathering pages did not ask for Country and then City, as the tutorial's sample script does.",
    expected: expected.map((a) => a.join('+')).join(' → '),
    actual: actual.map((a) => a.join('+') || '(nothing)').join(' → ') || '(no claims page)',
    pass: JSON.stringify(actual) === JSON.stringify(expected),
    evidence: lastOf(nav),
  });
}

/** The browser ended on a page of the website with the given heading (status 200). */
export function landedOn(ctx: CheckContext, nav: Navigation, heading: string, requirement: string, why: string): void {
  verify(ctx, {
    requirement,
    aspect: `website page "${heading}"`,
    failure: why,
    expected: `status 200 "${heading}"`,
    actual: `${ending(nav)} after ${hops(nav)}`,
    pass: nav.final.kind === 'website' && nav.final.status === 200 && nav.final.headings.includes(heading),
    evidence: lastOf(nav),
  });
}

/** No claims page on the way: the page needs the login only. */
export function noClaimsGathering(ctx: CheckContext, nav: Navigation, pages: AsPage[]): void {
  const claims = pages.filter((p) => p.kind === 'claims').length + (nav.final.kind === 'claims' ? 1 : 0);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2-REASONABLE-SCOPES',
    aspect: 'no claims gathering',
    failure: 'The gateway sent the browser to the claims-gathering pages for a path its UMA expression does not protect.',
    expected: 'no claims page',
    actual: claims ? `${claims} claims page(s)` : 'no claims page',
    pass: claims === 0,
    evidence: lastOf(nav),
  });
}

/**
 * RFC 9110 §15.5.4 / UMA Grant §3.3.6 request_denied: a request the policy
 * refuses is a 403 from the gateway, not 502 (an invalid answer from an
 * inbound server, §15.6.3). GG 4.2 answers 502 (DIV-GW-01).
 */
export function deniedAsForbidden(ctx: CheckContext, nav: Navigation): void {
  const f = nav.final;
  verify(ctx, {
    requirement: 'RFC9110-15.5.4-FORBIDDEN',
    aspect: 'policy denial status',
    failure: 'The gateway did not answer the policy\'s refusal with 403 Forbidden: the user is not told that access was refused.',
    expected: 'status 403',
    actual: `status ${f.status ?? '(none)'} ${f.text.slice(0, 120) || '(empty body)'}`,
    pass: f.status === 403,
    evidence: lastOf(nav),
  });
}

/** The protected page was not served. */
export function pageNotShown(ctx: CheckContext, nav: Navigation, heading: string, requirement: string, why: string): void {
  verify(ctx, {
    requirement,
    aspect: `no "${heading}" page`,
    failure: why,
    expected: `no "${heading}" page`,
    actual: nav.final.headings.includes(heading) ? `"${heading}" shown (status ${nav.final.status})` : ending(nav),
    pass: !nav.final.headings.includes(heading),
    evidence: lastOf(nav),
  });
}

/**
 * The gateway refused an authorization response at its callback: an error
 * status, and no redirect on to the page the user asked for.
 */
export function callbackRefused(ctx: CheckContext, nav: Navigation, callbackUrl: string, requirement: string, aspect: string, why: string): void {
  const atCallback = nav.exchanges.find((x) => endpointOf(x.request.url) === endpointOf(callbackUrl));
  const status = atCallback?.response.status;
  verify(ctx, {
    requirement,
    aspect,
    failure: why,
    expected: 'the callback refused with an error status (4xx or 5xx), nobody logged in',
    actual: !atCallback ? `the callback was not reached: ${hops(nav)}` : status! >= 400 ? 'refused' : status! >= 300 && status! < 400 ? 'accepted: redirected on, logged in' : `accepted: status ${status}`,
    pass: status !== undefined && status >= 400,
    evidence: atCallback ? [...nav.exchanges.filter((x) => x !== atCallback), atCallback] : lastOf(nav),
  });
}

/**
 * OIDC Core §3.1.2.6: the AS's error answer (access_denied after Don't
 * Allow) is the RP's to report as such. GG 4.2 never reads `error` and
 * answers 400 "missed code or state argument(s)" (DIV-OIDC-03).
 */
export function authorizationErrorReported(ctx: CheckContext, nav: Navigation, callbackUrl: string, error: string): void {
  const atCallback = nav.exchanges.find((x) => endpointOf(x.request.url) === endpointOf(callbackUrl));
  const text = atCallback?.response.text ?? '';
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.2.6-AUTH-ERROR',
    aspect: 'authorization error reported',
    failure: `The gateway did not handle the authorization server's error answer (${error}) as such: the user is not told that the login was refused.`,
    expected: `an answer that names the authorization server's error "${error}"`,
    actual: atCallback ? `status ${atCallback.response.status} ${text.slice(0, 120) || '(empty body)'}` : `the callback was not reached: ${hops(nav)}`,
    pass: atCallback !== undefined && atCallback.response.status >= 400 && text.includes(error),
    evidence: atCallback ? [...nav.exchanges.filter((x) => x !== atCallback), atCallback] : lastOf(nav),
  });
}

/**
 * UMA Grant §5.1: the client (here the gateway) checks the claims redirect's
 * state and refuses one it did not issue. GG 4.2 never compares it (DIV-CL-01).
 */
export function claimsRedirectRefused(ctx: CheckContext, nav: Navigation, claimsCallbackUrl: string): void {
  const atCallback = nav.exchanges.find((x) => endpointOf(x.request.url) === endpointOf(claimsCallbackUrl));
  const status = atCallback?.response.status;
  verify(ctx, {
    requirement: 'UMA-GRANT-5.1-CLIENT-STATE',
    aspect: 'claims redirect with another state refused',
    failure: "The gateway accepted a claims redirect whose state is not the one it sent to the authorization server for this browser's gathering.",
    expected: 'the claims redirect refused with an error status (4xx or 5xx)',
    actual: !atCallback ? `the claims redirect was not reached: ${hops(nav)}` : status! >= 400 ? 'refused' : status! >= 300 && status! < 400 ? 'accepted: redirected back to the protected page' : `accepted: status ${status}`,
    pass: status !== undefined && status >= 400,
    evidence: atCallback ? [...nav.exchanges.filter((x) => x !== atCallback), atCallback] : lastOf(nav),
  });
}

/** A URL's path with percent-escapes decoded where they decode, so %7E and ~ compare equal. */
function decodedPath(u: URL): string {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return u.pathname;
  }
}

/**
 * Two absolute URIs name the same page of the website, compared as URLs:
 * - origin as the browser has it (WHATWG URL: scheme and host lower-cased,
 *   the default port dropped). GG builds the post-logout URI from
 *   `scheme://$host[:port]<path>`, leaving out :80 for http and :443 for
 *   https (kong-common.lua get_path_with_base_url @ version_4.2.2, lines
 *   388–403), and nginx's $host is lower-case, while a setting may say
 *   https://GG.example.org:443;
 * - path with one trailing slash ignored: the website (Express 4, not
 *   strict) serves /logout_redirect_uri/ as /logout_redirect_uri. Whether the
 *   value matches the client's registration is the OP's call, and oxAuth 4.2
 *   makes it exactly (RedirectionUriService.validatePostLogoutRedirectUri
 *   @ version_4.2.3: `uri.equals(postLogoutRedirectUri)`): a mismatch is
 *   answered 400 post_logout_uri_not_associated_with_client and the browser
 *   never reaches the page, which the check sees;
 * - query parameters as a set of name=value pairs, in any order;
 * - the fragment ignored (never sent by a browser).
 */
export function sameWebsiteUrl(a: string, b: string, options: { query: boolean } = { query: true }): boolean {
  let x: URL;
  let y: URL;
  try {
    x = new URL(a);
    y = new URL(b);
  } catch {
    return false;
  }
  const trimmed = (u: URL) => decodedPath(u).replace(/(.)\/$/, '$1');
  const pairs = (u: URL) => [...u.searchParams].map(([k, v]) => `${k}=${v}`).sort().join('&');
  return x.origin === y.origin && trimmed(x) === trimmed(y) && (!options.query || pairs(x) === pairs(y));
}

/** RP-initiated logout: through the AS's end_session_endpoint to the post-logout page. */
export function loggedOutThroughEndSession(ctx: CheckContext, nav: Navigation, endSessionEndpoint: string, postLogoutUrl: string): void {
  const endSession = nav.exchanges.find((x) => endpointOf(x.request.url) === endpointOf(endSessionEndpoint));
  const asked = endSession ? new URL(endSession.request.url).searchParams.get('post_logout_redirect_uri') : undefined;
  const askedRight = typeof asked === 'string' && sameWebsiteUrl(asked, postLogoutUrl);
  const landed = sameWebsiteUrl(nav.final.url, postLogoutUrl, { query: false });
  verify(ctx, {
    requirement: 'OIDC-RPLOGOUT-2-END-SESSION',
    aspect: 'logout through end_session',
    failure: "The gateway's logout did not send the browser through the authorization server's end_session_endpoint back to the post-logout page.",
    expected: `${endSessionEndpoint}?post_logout_redirect_uri=${postLogoutUrl}, then that page`,
    actual: !endSession ? `no request to the end_session_endpoint: ${hops(nav)}` : !askedRight ? `post_logout_redirect_uri ${show(asked)}` : landed ? `${hops(nav)}` : `ended at ${nav.final.url || "(no page)"}: ${hops(nav)}`,
    pass: endSession !== undefined && askedRight && landed,
    evidence: lastOf(nav),
  });
}

/** RFC 6265 §4.1.2.6: the gateway's session cookies are HttpOnly and invisible to the page's scripts. */
export function sessionCookiesHttpOnly(ctx: CheckContext, names: Array<{ name: string; httpOnly: boolean }>, scriptVisible: string, evidence: Exchange[]): void {
  const readable = names.filter((c) => !c.httpOnly || scriptVisible.split(/;\s*/).some((pair) => pair.split('=')[0] === c.name)).map((c) => c.name);
  verify(ctx, {
    requirement: 'RFC6265-4.1.2.6-HTTPONLY',
    aspect: 'session cookie HttpOnly',
    failure: "The gateway's session cookie can be read by the website's scripts (no HttpOnly): any script injected into the site can steal the session.",
    expected: `${names.map((c) => c.name).join(', ') || 'the session cookies'} HttpOnly`,
    actual: !names.length ? 'the gateway set no cookie' : readable.length ? `readable by scripts: ${readable.join(', ')}` : 'all HttpOnly',
    pass: names.length > 0 && readable.length === 0,
    evidence,
  });
}

/** The id_token claims the gateway passes upstream, read from the UI's default headers. */
export interface UpstreamIdToken {
  /** From the `http-kong-id-token-<claim>` headers. */
  headers: Record<string, string | undefined>;
  /** The alg-none JWT of `http-kong-id-token`, decoded; undefined when absent or not a JWT. */
  jwt?: Record<string, unknown>;
}

function header(seen: EchoedRequest, name: string): string | undefined {
  const v = seen.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Reads what the upstream got of the id_token (oidc-uma.md §2, "Upstream request at F10"). */
export function upstreamIdToken(seen: EchoedRequest): UpstreamIdToken {
  const headers: Record<string, string | undefined> = {};
  for (const claim of ['iss', 'aud', 'sub', 'nonce']) headers[claim] = header(seen, `http-kong-id-token-${claim}`);
  const raw = header(seen, 'http-kong-id-token');
  let jwt: Record<string, unknown> | undefined;
  const parts = raw?.split('.');
  if (parts && parts.length === 3) {
    try {
      // GG encodes with ngx.encode_base64 (standard alphabet, no padding), not base64url,
      // so jose's decodeJwt does not apply; Node's base64 decoder reads both alphabets.
      jwt = JSON.parse(Buffer.from(parts[1], 'base64').toString('utf8')) as Record<string, unknown>;
    } catch {
      jwt = undefined;
    }
  }
  return { headers, jwt };
}

export interface ExpectedIdToken {
  issuer: string;
  clientId: string;
  /** The nonce of the authorization request this browser was sent with. */
  nonce: string;
}

/** OIDC Core §2 and §3.1.3.7: iss, aud, sub and nonce of the id_token the gateway accepted and passes on. */
export function idTokenPassedUpstream(ctx: CheckContext, token: UpstreamIdToken, expected: ExpectedIdToken, echo: Exchange): void {
  const h = token.headers;
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.3.7-ISS',
    aspect: 'id_token iss',
    failure: "The id_token the gateway accepted and passes upstream was not issued by the configured authorization server (iss).",
    expected: `http-kong-id-token-iss: ${expected.issuer}`,
    actual: `http-kong-id-token-iss: ${show(h.iss)}`,
    pass: h.iss === expected.issuer,
    evidence: echo,
  });
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.3.7-AUD',
    aspect: 'id_token aud',
    failure: "The id_token the gateway accepted is not meant for the gateway's OP client (aud).",
    expected: `http-kong-id-token-aud containing ${expected.clientId}`,
    actual: `http-kong-id-token-aud: ${show(h.aud)}`,
    pass: (h.aud ?? '').split(/[ ,]+/).includes(expected.clientId),
    evidence: echo,
  });
  verify(ctx, {
    requirement: 'OIDC-CORE-2-SUB',
    aspect: 'id_token sub',
    failure: 'The id_token the gateway passes upstream names no user (sub).',
    expected: 'a non-empty http-kong-id-token-sub',
    actual: `http-kong-id-token-sub: ${show(h.sub)}`,
    pass: typeof h.sub === 'string' && h.sub.length > 0,
    evidence: echo,
  });
  verify(ctx, {
    requirement: 'OIDC-CORE-3.1.3.7-NONCE',
    aspect: 'id_token nonce',
    failure: "The gateway accepted an id_token whose nonce is not the nonce of this browser's authorization request: a replayed or injected id_token would be accepted too.",
    expected: `http-kong-id-token-nonce: ${expected.nonce}`,
    actual: `http-kong-id-token-nonce: ${show(h.nonce)}`,
    pass: h.nonce === expected.nonce,
    evidence: echo,
  });
  const j = token.jwt;
  const same = j !== undefined && ['iss', 'sub', 'nonce'].every((c) => j[c] === h[c]) && (Array.isArray(j.aud) ? j.aud.join(' ') : j.aud) === h.aud;
  verify(ctx, {
    aspect: 'id_token JWT header',
    failure: 'The http-kong-id-token header (the id_token claims as an unsigned JWT, a GG UI default) is missing or disagrees with the per-claim headers.',
    expected: 'http-kong-id-token: a JWT with the same iss, aud, sub and nonce',
    actual: j === undefined ? 'absent or not a JWT' : same ? 'the same claims' : `iss ${show(j.iss)}, aud ${show(j.aud)}, sub ${show(j.sub)}, nonce ${show(j.nonce)}`,
    pass: same,
    evidence: echo,
  });
}

/** The upstream's own answer reached the browser (the echo: status 200, no page heading). */
export function servedByUpstream(ctx: CheckContext, nav: Navigation, why: string): void {
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.4-ASSESSMENT',
    aspect: 'served by the upstream',
    failure: why,
    expected: "status 200, the upstream's answer",
    actual: `${ending(nav)} after ${hops(nav)}`,
    pass: nav.final.kind === 'website' && nav.final.status === 200,
    evidence: lastOf(nav),
  });
}

// The W-probes of oidc-uma.md §6 (W1, W5, W11, W12) are security probes: support/checks/security.ts.

/**
 * Each plugin removes its own session cookie from the request it passes
 * upstream (lua-resty-session hide(), oidc-uma.md §1.5): the website never
 * sees the gateway's session, which would let it act as the user.
 */
export function sessionCookiesKeptFromUpstream(ctx: CheckContext, seen: EchoedRequest, browserCookies: string[], echo: Exchange): void {
  const cookieLine = header(seen, 'cookie') ?? '';
  const names = cookieLine.split(/;\s*/).map((pair) => pair.split('=')[0].trim()).filter(Boolean);
  const leaked = names.filter((n) => browserCookies.includes(n));
  verify(ctx, {
    aspect: 'session cookies kept from the upstream',
    failure: "The website behind the gateway received the gateway's session cookie: it could replay the user's session.",
    expected: `no ${browserCookies.join(', ') || 'gateway session'} cookie in the upstream request`,
    actual: leaked.length ? `the upstream received ${leaked.join(', ')}` : names.length ? `other cookies only (${names.join(', ')})` : 'no cookie',
    pass: leaked.length === 0,
    evidence: echo,
  });
}
