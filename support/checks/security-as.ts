// Security probes of the authorization server (issue 12, items 5, 6, 7, 11).
// Each states a property a safe UMA AS has; a stock oxAuth 4.2.3 lacks it
// (support/known-weaknesses.json says where in its source), which `probe`
// reports as a finding. The `actual` values are fixed phrases so that the
// ledger's `observed` can name them; the details go to the failure text and
// the evidence.
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import { probe, type CheckContext } from './core';

const errorOf = (x: Exchange): string | undefined => {
  const e = bodyObject(x).error;
  return typeof e === 'string' ? e : undefined;
};

/** How the AS answered a token request another client should not be able to make. */
function tokenAnswer(x: Exchange): string {
  const b = bodyObject(x);
  if (x.response.status === 200 && typeof b.access_token === 'string' && b.access_token) return b.upgraded === true ? 'an RPT, upgraded' : 'an RPT';
  if (x.response.status >= 400 && x.response.status < 500) return `refused (HTTP ${x.response.status}${errorOf(x) ? ` ${errorOf(x)}` : ''})`;
  return `HTTP ${x.response.status} ${bodyExcerpt(x.response.text, 120)}`;
}

/** A refusal of any 4xx kind is safe: an error, or need_info asking for claims of the client's own. */
const refused = (x: Exchange) => x.response.status >= 400 && x.response.status < 500;

export const SEC_AS = {
  pct: { requirement: 'UMA-GRANT-5.2-PCT-BINDING', aspect: "another client's PCT" },
  rptUpgrade: { requirement: 'SEC-AS-RPT-UPGRADE-ANY-CLIENT', aspect: "upgrade of another client's RPT" },
  ticketAtToken: { requirement: 'SEC-AS-TICKET-ANY-CLIENT', aspect: "another client's ticket at the token endpoint" },
  ticketAtClaims: { requirement: 'SEC-AS-TICKET-ANY-CLIENT', aspect: "another client's ticket at the claims-gathering endpoint" },
  regather: { requirement: 'SEC-AS-REGATHER-REVOKES-RPT', aspect: 'RPT permissions after gathering again' },
} as const;

/** Item 5: client B presents client A's PCT (no claims of its own) with its own ticket. */
export function pctOnlyForItsClient(ctx: CheckContext, x: Exchange): void {
  const actual = tokenAnswer(x);
  probe(ctx, {
    ...SEC_AS.pct,
    failure:
      "The authorization server issued an RPT to a client that presented another client's PCT: the claims gathered for one client (here country US, city NY) satisfy the policy for any client that learns the PCT.",
    expected: 'refused (invalid_pct, or need_info asking the client for its own claims)',
    actual: actual === 'an RPT' || actual === 'an RPT, upgraded' ? 'an RPT' : actual,
    pass: refused(x),
    evidence: x,
  });
}

/** Item 6: client B sends client A's RPT for upgrade, with a ticket and claims of its own. */
export function rptUpgradeOnlyByItsClient(ctx: CheckContext, x: Exchange, othersRpt: string): void {
  const b = bodyObject(x);
  const sameRpt = b.access_token === othersRpt;
  const actual = tokenAnswer(x);
  probe(ctx, {
    ...SEC_AS.rptUpgrade,
    failure: sameRpt
      ? "The authorization server upgraded another client's RPT at this client's request: a client can add permissions to, and thereby change the reach of, a token it does not own."
      : "The authorization server did not refuse an upgrade request that named another client's RPT.",
    expected: 'refused (invalid_rpt)',
    actual: sameRpt && actual === 'an RPT, upgraded' ? "the other client's RPT, upgraded" : actual,
    pass: refused(x),
    evidence: x,
  });
}

/** Item 7, token endpoint: client B sends the ticket need_info handed to client A. */
export function ticketOnlyForItsClientAtToken(ctx: CheckContext, x: Exchange): void {
  const actual = tokenAnswer(x);
  probe(ctx, {
    ...SEC_AS.ticketAtToken,
    failure:
      "The authorization server issued an RPT to a client for a ticket that need_info had handed to another client: a ticket (and the claims already gathered for it) works for whoever holds it.",
    expected: 'refused (invalid_ticket)',
    actual: actual === 'an RPT, upgraded' ? 'an RPT' : actual,
    pass: refused(x),
    evidence: x,
  });
}

/** Item 7, claims endpoint: client B opens gather_claims with client A's ticket and its own client_id. */
export function ticketOnlyForItsClientAtClaims(ctx: CheckContext, x: Exchange, claimsRedirectUri: string): void {
  const location = x.response.headers.location ?? '';
  const base = claimsRedirectUri.replace(/[?#].*$/, '');
  const backWithError = location.startsWith(base) && new URL(location).searchParams.has('error');
  const started = x.response.status === 302 && location !== '' && !location.startsWith(base);
  probe(ctx, {
    ...SEC_AS.ticketAtClaims,
    failure:
      "The claims-gathering endpoint started gathering for a client with a ticket that need_info had handed to another client: the other client's user can be made to answer for this one, and the ticket that comes back works for it.",
    expected: `refused (an error, or a redirect to ${claimsRedirectUri} with error=invalid_ticket)`,
    actual: started ? 'gathering started (302 to a claims-gathering page)' : backWithError ? 'refused (error redirect)' : `HTTP ${x.response.status}${location ? ` to ${location}` : ''}`,
    pass: backWithError || (x.response.status >= 400 && x.response.status < 500),
    evidence: x,
  });
}

interface Introspected {
  active?: boolean;
  permissions?: Array<{ resource_id?: string }>;
}

/** Item 11: after the user was sent to gather again with the redirect ticket, the RPT issued for it still has its permission. */
export function rptKeepsPermissionsAfterRegathering(ctx: CheckContext, before: Exchange, after: Exchange): void {
  const was = (before.response.json ?? {}) as Introspected;
  const now = (after.response.json ?? {}) as Introspected;
  const count = (i: Introspected) => (Array.isArray(i.permissions) ? i.permissions.length : 0);
  let actual: string;
  if (now.active !== true) actual = 'the RPT is inactive';
  else if (count(now) === 0) actual = 'active with no permissions';
  else if (count(now) < count(was)) actual = 'active with fewer permissions';
  else actual = 'active with its permissions';
  probe(ctx, {
    ...SEC_AS.regather,
    failure: `Sending the user to gather claims again with the ticket an RPT was issued for changed that RPT: it had ${count(was)} permission(s), it now has ${count(now)}. Anyone who holds the redirect ticket can silently take away what the requesting party was granted.`,
    expected: `active with its ${count(was)} permission(s)`,
    actual,
    pass: now.active === true && count(now) >= count(was) && count(was) > 0,
    evidence: after,
  });
}
