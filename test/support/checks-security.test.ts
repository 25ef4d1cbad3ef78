// The security probes' checks (support/checks/security.ts): a safe answer
// passes, the recorded weakness is a finding (KnownWeaknessAssertionError),
// and the recorded answer without a ledger entry fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConformanceAssertionError, KnownWeaknessAssertionError, type CheckContext, type CheckRecord } from '../../support/checks/core';
import * as security from '../../support/checks/security';
import { DivergenceLedger } from '../../support/divergences';
import { Secrets } from '../../support/mask';
import type { Exchange } from '../../support/http';
import { WeaknessLedger } from '../../support/weaknesses';
import type { FinalPage, Navigation } from '../../support/clients/website-browser';
import type { EchoedRequest } from '../../support/clients/echo-upstream';

const GG = 'http://127.0.0.1:8000/ucc-x';
const CLAIMS = 'https://as.example.org/oxauth/restv1/uma/gather_claims';
const AUTHORIZE = 'https://as.example.org/oxauth/restv1/authorize';

function context(weaknesses = WeaknessLedger.load()): CheckContext & { records: CheckRecord[] } {
  const records: CheckRecord[] = [];
  return { secrets: new Secrets(), ledger: new DivergenceLedger('d.json', []), weaknesses, records, record: (r) => records.push(r) };
}
const unrecorded = () => context(new WeaknessLedger('w.json', []));

function hop(url: string, status: number, location?: string): Exchange {
  return { target: 'Kong proxy', request: { method: 'GET', url, headers: {} }, response: { status, headers: location ? { location } : {}, text: '', json: undefined }, durationMs: 1 };
}
function nav(exchanges: Exchange[], final: Partial<FinalPage> = {}): Navigation {
  return { exchanges, pages: [], final: { url: exchanges[exchanges.length - 1]?.request.url ?? '', kind: 'website', title: '', text: '', headings: [], ...final } };
}
const finding = (id: string) => (err: unknown) => err instanceof KnownWeaknessAssertionError && err.weakness === id && /^KNOWN WEAKNESS SEC-/.test(err.message);
const outcomes = (ctx: { records: CheckRecord[] }) => ctx.records.map((r) => r.outcome);

test('the ledger holds the gateway and W-probe weaknesses, each with a severity', () => {
  const ids = new Set(WeaknessLedger.load().entries.map((w) => w.id));
  for (const id of ['SEC-GW-01', 'SEC-GW-02', 'SEC-GW-03', 'SEC-GW-04', 'SEC-GW-05', 'SEC-W1', 'SEC-W5', 'SEC-W11', 'SEC-W12']) assert.ok(ids.has(id), id);
});

test('SEC-GW-01 / SEC-GW-04: a 401 or 403 is safe, a 200 is the finding, a 502 fails', () => {
  const ctx = context();
  security.rptOfAnotherRouteRefused(ctx, hop(`${GG}/posts/1`, 403));
  assert.throws(() => security.rptOfAnotherRouteRefused(ctx, hop(`${GG}/posts/1`, 200)), finding('SEC-GW-01'));
  assert.throws(() => security.removedConsumerRefused(ctx, hop(`${GG}/posts/1`, 200), 3594), (e: unknown) => finding('SEC-GW-04')(e) && /about 3594 s more/.test((e as Error).message));
  assert.throws(() => security.rptOfAnotherRouteRefused(ctx, hop(`${GG}/posts/1`, 502)), ConformanceAssertionError);
  assert.throws(() => security.rptOfAnotherRouteRefused(unrecorded(), hop(`${GG}/posts/1`, 200)), ConformanceAssertionError);
  assert.deepEqual(outcomes(ctx), ['weakness not found', 'known weakness', 'known weakness', 'failed']);
});

test('SEC-GW-05: a 401 with a ticket or a refusal is safe, the API\'s 200 is the finding, a 404 fails', () => {
  const ctx = context();
  const challenged = hop(`${GG}/users/%23`, 401);
  challenged.response.headers['www-authenticate'] = 'UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope",ticket="T1"';
  security.hashElementProtected(ctx, challenged, '/users/?');
  security.hashElementProtected(ctx, hop(`${GG}/users/%23`, 403), '/users/?');
  assert.throws(() => security.hashElementProtected(ctx, hop(`${GG}/users/%23`, 200), '/users/?'), (e: unknown) => finding('SEC-GW-05')(e) && /GET \S*\/users\/%23 .* pattern \/users\/\? covers it/.test((e as Error).message));
  assert.throws(() => security.hashElementProtected(ctx, hop(`${GG}/users/%23`, 404), '/users/?'), ConformanceAssertionError);
  assert.throws(() => security.hashElementProtected(unrecorded(), hop(`${GG}/users/%23`, 200), '/users/?'), ConformanceAssertionError);
  assert.deepEqual(outcomes(ctx), ['weakness not found', 'weakness not found', 'known weakness', 'failed']);
});

test("SEC-GW-02: the client's values reaching the API are the finding; replaced or absent ones are safe", () => {
  const seen = (headers: Record<string, string>): EchoedRequest => ({ method: 'GET', path: '/', query: '', headers, body: '' });
  const sent = { 'x-oauth-client-id': 'admin-client' };
  const x = hop(`${GG}/health`, 200);
  security.clientIdentityHeadersDropped(context(), seen({ 'x-oauth-client-id': 'real' }), sent, 'anonymous', x);
  security.clientIdentityHeadersDropped(context(), seen({}), sent, 'authenticated', x);
  assert.throws(() => security.clientIdentityHeadersDropped(context(), seen({ 'x-oauth-client-id': 'admin-client' }), sent, 'anonymous', x), finding('SEC-GW-02'));
  assert.throws(() => security.clientIdentityHeadersDropped(context(), seen({ 'x-oauth-client-id': 'admin-client' }), sent, 'authenticated', x), finding('SEC-GW-02'));
});

test("SEC-GW-03: this route's anonymous consumer passes, another's is the finding, none fails", () => {
  const seen = (id?: string): EchoedRequest => ({ method: 'GET', path: '/', query: '', headers: id ? { 'x-consumer-id': id } : {}, body: '' });
  const x = hop(`${GG}/health`, 200);
  security.ownAnonymousConsumer(context(), seen('A'), 'x-consumer-id', 'A', x);
  assert.throws(() => security.ownAnonymousConsumer(context(), seen('B'), 'x-consumer-id', 'A', x), finding('SEC-GW-03'));
  assert.throws(() => security.ownAnonymousConsumer(context(), seen(), 'x-consumer-id', 'A', x), ConformanceAssertionError);
});

test("SEC-W1: another browser's authorization response refused passes; redirected on is the finding", () => {
  const callback = `${GG}/callback`;
  security.anotherBrowsersResponseRefused(context(), nav([hop(`${callback}?code=C&state=X`, 400)]), callback);
  assert.throws(() => security.anotherBrowsersResponseRefused(context(), nav([hop(`${callback}?code=C&state=X`, 302, '/settings/')]), callback), finding('SEC-W1'));
});

test('SEC-W5: sent to log in or refused is safe; the page served to the copied cookie is the finding', () => {
  security.copiedSessionEnded(context(), nav([hop(`${GG}/settings/`, 302, `${AUTHORIZE}?x=1`)]), AUTHORIZE, 'Profile settings');
  security.copiedSessionEnded(context(), nav([hop(`${GG}/settings/`, 401)], { status: 401 }), AUTHORIZE, 'Profile settings');
  assert.throws(() => security.copiedSessionEnded(context(), nav([hop(`${GG}/settings/`, 200)], { status: 200, headings: ['Profile settings'] }), AUTHORIZE, 'Profile settings'), finding('SEC-W5'));
});

test('SEC-W11: claims gathering or "not served" (404, 403) is safe; the page served without claims is the finding', () => {
  const gathered = nav([hop(`${GG}/Settings/`, 302, CLAIMS), hop(`${CLAIMS}?ticket=t`, 302)], { kind: 'claims' });
  security.pathVariantProtected(context(), gathered, CLAIMS, 'Profile settings');
  const ctx = context();
  security.pathVariantProtected(ctx, nav([hop(`${GG}/Settings/`, 404)], { status: 404 }), CLAIMS, 'Profile settings');
  security.pathVariantProtected(ctx, nav([hop(`${GG}/Settings/`, 403)], { status: 403 }), CLAIMS, 'Profile settings');
  assert.deepEqual(ctx.records.map((r) => r.actual), ['not served (HTTP 404)', 'not served (HTTP 403)']);
  assert.throws(() => security.pathVariantProtected(context(), nav([hop(`${GG}/Settings/`, 200)], { status: 200, headings: ['Profile settings'] }), CLAIMS, 'Profile settings'), finding('SEC-W11'));
  assert.throws(() => security.pathVariantProtected(context(), nav([hop(`${GG}/Settings/`, 502)], { status: 502 }), CLAIMS, 'Profile settings'), ConformanceAssertionError);
});

test('SEC-W12: a request the gateway refused (nothing upstream) is safe, not a set-up error; the browser\'s value upstream is the finding', () => {
  const echo = hop('http://echo/__received/1', 404);
  security.spoofedHeaderKeptFromWebsite(context(), undefined, 'http-kong-userinfo-role', 'admin', echo);
  const seen: EchoedRequest = { method: 'GET', path: '/', query: '', headers: { 'http-kong-userinfo-role': 'admin' }, body: '' };
  assert.throws(() => security.spoofedHeaderKeptFromWebsite(context(), seen, 'http-kong-userinfo-role', 'admin', echo), finding('SEC-W12'));
});
