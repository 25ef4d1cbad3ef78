// Security probes of the gateway (issue 12 items 1–4; gluu-uma-auth,
// gluu-uma-pep and kong-common.lua @ gluu-gateway version_4.2.2). Each states
// a property a safe deployment has; `probe` reports a failure that is exactly
// a recorded weakness (support/known-weaknesses.json) as a finding. The
// `actual` values are few and fixed, so that a ledger entry can name them;
// the details (which headers, how long) go in the failure's words.
import type { Exchange } from '../http';
import type { EchoedRequest } from '../clients/echo-upstream';
import { probe, type CheckContext } from './core';

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
