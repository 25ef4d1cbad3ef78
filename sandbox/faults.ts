// Fault profiles: each one emulates a real defect or misconfiguration of
// Gluu Gateway, oxd or oxAuth, so that the suite can prove it goes red for
// the right reason (`npm run sandbox -- --fault NAME`, several allowed).
// Components ask `faults.on('name')` at the exact point where the real
// product would misbehave; the table is the single list of them.
//
// Fix profiles (security probes, issue 12). The sandbox reproduces each
// weakness of stock GG 4.2 / Gluu 4.2 by default; a fix profile removes one,
// so that `npm run test:self` proves its probe both ways. To declare one:
//   1. name it `fix-…` and start its description with exactly
//      "Removes weakness SEC-…: " (the id of its support/known-weaknesses.json
//      entry), e.g.
//        'fix-grant-cache-per-route': { component: 'kong', description:
//          'Removes weakness SEC-GW-01: the PEP grant cache key holds the route …' },
//   2. make the component behave safely where `faults.on('fix-…')`, and pin
//      both behaviours in a unit test under test/sandbox/;
//   3. the probe scenario carries @security (the extra runs select it).
// test:self then (scripts/lib/self-verify/weakness-proof.ts): (a) finds the
// finding "KNOWN WEAKNESS SEC-…" in the clean run, (b) runs @security once
// with UMA_WEAKNESSES_FILE pointing at a copy of the ledger without the
// proven entries: every such probe must fail, (c) runs @security with the
// fix profile on: the probe must pass and the run be green. A fix profile
// is never counted as a fault to catch. `--only fix-…` proves one weakness.

export interface FaultSpec {
  component: 'kong' | 'oxd' | 'oxauth';
  description: string;
}

export const FAULTS = {
  // Kong + gluu-uma-auth / gluu-uma-pep
  'pep-lets-tokenless-through': { component: 'kong', description: 'The PEP proxies token-less requests on protected paths to the upstream instead of answering 401 with a ticket.' },
  'no-anonymous-consumer': { component: 'kong', description: 'gluu-uma-auth runs as if no anonymous consumer were configured: token-less requests get 401 without a ticket.' },
  'www-authenticate-reformatted': { component: 'kong', description: 'The UMA challenge is rewritten with spaces after the commas and the ticket first.' },
  'www-authenticate-without-ticket': { component: 'kong', description: 'The UMA challenge carries no ticket parameter.' },
  'same-ticket-every-denial': { component: 'kong', description: 'The PEP replays the first challenge it got for a path, so every denial carries the same ticket.' },
  'invalid-rpt-accepted': { component: 'kong', description: 'gluu-uma-auth treats an inactive or unknown RPT as valid and the request reaches the upstream.' },
  'consumer-mapping-off': { component: 'kong', description: 'gluu-uma-auth skips the consumer lookup, so RPTs of clients without a Kong consumer are accepted.' },
  'upstream-on-deny': { component: 'kong', description: 'The PEP forwards a denied request to the upstream before answering 403.' },
  'deny-by-default-ignored': { component: 'kong', description: 'The PEP proxies paths that no expression covers although deny_by_default is true.' },
  'method-ignored': { component: 'kong', description: 'The PEP matches paths whatever the HTTP method, so methods the expression does not cover are treated as protected.' },
  'anonymous-header-on-authenticated': { component: 'kong', description: 'The upstream receives X-Anonymous-Consumer: true on requests that carry a valid RPT.' },
  'protection-token-never-renewed': { component: 'kong', description: 'The UMA plugins never renew their protection token: once it expires, oxd refuses it and every request gets 502 "An unexpected error ocurred" (GG renews it 5 s after expiry).' },
  'challenge-names-another-as': { component: 'kong', description: 'The UMA challenge names another authorization server in as_uri (a gateway whose oxd site points at a staging AS).' },
  // Kong + gluu-openid-connect (tutorial 2)
  'session-cookie-script-readable': { component: 'kong', description: 'The session cookies (gluu_openid_connect_session, gluu_uma_pep_session) are set without HttpOnly, so page scripts can read them ($session_cookie_httponly off).' },
  'pep-serves-without-gathering': { component: 'kong', description: 'In obtain_rpt mode the PEP proxies a protected path for a logged-in user without obtaining an RPT, so no claims are gathered.' },
  'logout-keeps-session': { component: 'kong', description: 'The logout path redirects to the end_session URL but does not delete the gluu_openid_connect_session cookie.' },
  'session-cookie-sent-upstream': { component: 'kong', description: 'gluu-openid-connect does not hide its session cookie, so the upstream receives gluu_openid_connect_session (GG before the fix of issue #424, branch 424_hide_cookie_from_upstream).' },
  'callback-skips-session-check': { component: 'kong', description: 'The OIDC callback redeems code and state without a session cookie (a browser that never started the login is logged in) and then redirects to /.' },
  // oxd
  'check-access-ignores-resource': { component: 'oxd', description: 'uma-rs-check-access grants any active RPT, whatever resource its permissions are for.' },
  'rpt-cache-served': { component: 'oxd', description: 'uma-rp-get-rpt answers with the RPT it got last time for the oxd_id, without asking the AS for the new ticket (the RPT cache works instead of always missing).' },
  'update-site-keeps-claims-redirect-uris': { component: 'oxd', description: "update-site answers 200 but leaves claims_redirect_uri out of the client update it sends the AS, so the client keeps its old claims redirect URIs and gathering for the new one ends in invalid_claims_redirect_uri." },
  'callback-accepts-any-state': { component: 'oxd', description: 'get-tokens-by-code accepts a state it never issued (the state lookup is skipped), so a callback with a made-up state logs the browser in.' },
  // oxAuth
  'policy-disabled': { component: 'oxauth', description: 'The RPT policy is not evaluated: any gathered or pushed claims are granted.' },
  'policy-case-insensitive': { component: 'oxauth', description: 'The RPT policy compares country and city ignoring case.' },
  'policy-country-only': { component: 'oxauth', description: 'The RPT policy checks the country and ignores the city.' },
  'need-info-without-redirect-user': { component: 'oxauth', description: 'need_info answers carry no redirect_user.' },
  'need-info-same-ticket': { component: 'oxauth', description: 'need_info answers hand back the ticket that was sent instead of a new one.' },
  'ticket-reusable': { component: 'oxauth', description: 'Tickets are never retired: the ticket sent before need_info and the one used for gathering stay valid.' },
  'gathering-same-ticket': { component: 'oxauth', description: 'The redirect after claims gathering returns the ticket that was gathered for, not a new one.' },
  'state-dropped': { component: 'oxauth', description: 'The redirect after claims gathering leaves out the state parameter.' },
  'state-altered': { component: 'oxauth', description: 'The redirect after claims gathering returns a different state value.' },
  'cru-query-dropped': { component: 'oxauth', description: "The redirect after claims gathering drops the query of the registered claims redirect URI and adds only state and ticket." },
  'unregistered-cru-followed': { component: 'oxauth', description: 'An unregistered claims_redirect_uri is accepted as valid; gathering completes and redirects there with a ticket.' },
  'city-page-skipped': { component: 'oxauth', description: 'Claims gathering ends after the Country page and never asks for the City.' },
  'introspection-has-scope': { component: 'oxauth', description: 'RPT introspection answers carry a scope member.' },
  'upgrade-without-upgraded': { component: 'oxauth', description: 'An RPT upgrade answers without upgraded:true.' },
  'pct-ignored': { component: 'oxauth', description: 'A PCT sent with a new ticket is ignored, so the client is asked to gather claims again.' },
  // oxAuth, OpenID Connect side
  'id-token-nonce-from-another-request': { component: 'oxauth', description: "The code grant's id_token carries the nonce of an earlier authorization request (any client), or a fresh random one, instead of the request's own nonce." },
  'end-session-keeps-session': { component: 'oxauth', description: 'end_session redirects to the post-logout URI but neither ends the OP session nor deletes its cookies, so the next authorization request in that browser logs the user in without the login page.' },
  // oxAuth fix profiles (issue 12 items 5, 6, 7, 11): each removes one weakness of stock oxAuth 4.2.3.
  'fix-pct-client-bound': { component: 'oxauth', description: 'Removes weakness SEC-AS-PCT-ANY-CLIENT: a PCT sent by a client other than the one it was issued to is refused with 401 invalid_pct.' },
  'fix-rpt-client-bound': { component: 'oxauth', description: 'Removes weakness SEC-AS-RPT-UPGRADE-ANY-CLIENT: an RPT sent for upgrade by a client other than the one it was issued to is refused with 400 invalid_rpt.' },
  'fix-ticket-client-bound': { component: 'oxauth', description: "Removes weakness SEC-AS-TICKET-ANY-CLIENT: at the token endpoint, a ticket that names another client's PCT is refused with 400 invalid_ticket." },
  'fix-claims-ticket-client-bound': { component: 'oxauth', description: "Removes weakness SEC-AS-TICKET-ANY-CLIENT-AT-CLAIMS: the claims-gathering endpoint answers a ticket that names another client's PCT with the invalid_ticket redirect." },
  'fix-gathering-keeps-granted': { component: 'oxauth', description: "Removes weakness SEC-AS-REGATHER-REVOKES-RPT: gathering claims again with a ticket already exchanged for an RPT leaves that ticket's permission entries in place, so the RPT keeps its permissions." },
  // Fix profiles of the gateway's weaknesses (security probes, features/security/gateway.feature)
  'fix-grant-cache-per-route': { component: 'kong', description: "Removes weakness SEC-GW-01: the PEP's grant cache key also holds the plugin's oxd_id, so a grant check-access gave on one route is never reused on a route of another oxd site." },
  'fix-client-identity-headers-dropped': { component: 'kong', description: 'Removes weakness SEC-GW-02: gluu-uma-auth removes from the request every header its custom_headers name, and X-Anonymous-Consumer, before it sets its own, so a client cannot supply them.' },
  'fix-header-cache-per-consumer': { component: 'kong', description: 'Removes weakness SEC-GW-03: the custom-header cache key also holds the plugin instance and the consumer, so an anonymous request gets its own route\'s anonymous consumer and a changed custom_headers takes effect.' },
  'fix-removed-consumer-refused': { component: 'kong', description: "Removes weakness SEC-GW-04: gluu-uma-auth looks the cached token's consumer up again on every request, so an RPT of a client whose Kong consumer was deleted is refused at once (401 Unknown consumer)." },
  'fix-hash-element-protected': { component: 'kong', description: 'Removes weakness SEC-GW-05: gluu-uma-pep looks a request path element up among the path elements only, never as its tree\'s own "#" rule key, so /users/%23 is protected by /users/? also when /users is a rule of its own.' },
  // Fix profiles of tutorial 2's weaknesses (oidc-uma.md §6, features/oidc-uma/security.feature)
  'fix-state-bound-to-browser': { component: 'kong', description: "Removes weakness SEC-W1: gluu-openid-connect keeps the authorization request's state in its session cookie at the redirect to the OP and refuses a callback whose state is not that one (400 state does not match the session), so a callback URL made for one browser logs no other browser in." },
  'fix-logout-server-side': { component: 'kong', description: "Removes weakness SEC-W5: logout also ends the session on the gateway (the ended sessions' ids are kept until their cookies expire and refused), so a copy of the session cookie taken before the logout is sent to log in again." },
  'fix-path-variants-protected': { component: 'kong', description: "Removes weakness SEC-W11: gluu-uma-pep matches the request path against the UMA expression the way the website routes it (literal elements case-insensitively, one trailing slash optional), so /Settings/ and /settings need the claims as /settings/ does." },
  'fix-userinfo-headers-dropped': { component: 'kong', description: "Removes weakness SEC-W12: gluu-openid-connect removes every client-sent header its custom_headers could produce (the exact names, and for {*} names every header with that prefix and suffix) before it sets its own, so a browser cannot supply http-kong-userinfo-* or http-kong-id-token-* values." },
} satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(FAULTS, name);
}

export class Faults {
  private readonly active: ReadonlySet<FaultName>;

  constructor(names: Iterable<FaultName> = []) {
    this.active = new Set(names);
  }

  on(name: FaultName): boolean {
    return this.active.has(name);
  }

  list(): FaultName[] {
    return [...this.active];
  }
}
