// The UMA grant at the token endpoint (oxauth.md §3, §6, §12).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signJwt, makeAsKeys } from '../../../sandbox/oxauth/jwks';
import type { RptPolicyScript } from '../../../sandbox/oxauth/policies';
import { CRU, ID_TOKEN_FORMAT, UMA_GRANT, basic, gatheredTicket, startAs, toNeedInfo, unsignedJwt, type TestAs } from './harness';

const CODE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_[0-9A-F]{4}(\.[0-9A-F]{4}){7}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** org.json toString(4) of {error, error_description}: HashMap order puts the description first. */
const errText = (error: string, description: string) => `{\n    "error_description": "${description}",\n    "error": "${error}"\n}`;

const D = {
  invalid_ticket: 'The provided ticket was not found at the AS.',
  forbidden_by_policy: 'Forbidden by policy (policy returned false).',
  invalid_resource_id: 'The provided resource id was not found at the AS.',
  invalid_claim_token_format:
    'The claim token format is blank or otherwise not supported (supported format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken).',
  invalid_claim_token:
    'The claim token is not valid or unsupported. (If format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken then claim token has to be ID Token).',
  invalid_pct: 'PCT is invalid (revoked, expired or does not exist anymore on AS)',
  invalid_rpt: 'RPT is invalid (revoked, expired or does not exist anymore on AS)',
  disabled_client: "The client is disabled and can't request an access token using this method.",
  invalid_scope: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
  server_error: 'The AM server encountered an unexpected condition which prevented it from fulfilling the request.',
  invalid_request:
    'The request is missing a required parameter, includes an unsupported parameter or parameter value, repeats a parameter, includes multiple credentials, utilizes more than one mechanism for authenticating the client, or is otherwise malformed.',
  invalid_client:
    'Client authentication failed (e.g. unknown client, no client authentication included, or unsupported authentication method). The authorization server MAY return an HTTP 401 (Unauthorized) status code to indicate which HTTP authentication schemes are supported. If the client attempted to authenticate via the Authorization request header field, the authorization server MUST respond with an HTTP 401 (Unauthorized) status code, and include the WWW-Authenticate response header field matching the authentication scheme used by the client.',
};

function assertUmaError(r: { status: number; text: string; headers: Record<string, unknown> }, status: number, error: keyof typeof D) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.text, errText(error, D[error]));
}

const claimDef = (issuer: string, name: string) => ({
  issuer: [issuer],
  name,
  claim_token_format: [ID_TOKEN_FORMAT],
  claim_type: 'string',
  friendly_name: name,
});

const US_NY = (issuer: string) => unsignedJwt({ iss: issuer, sub: 'rqp-1', country: 'US', city: 'NY' });

describe('UMA grant: success, need_info and ticket lifecycle', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('answers need_info with exactly four fields, only the missing claims and a rotated ticket (§3.5)', async () => {
    const s = await as.setup();
    const t1 = await s.newTicket();
    const r = await as.token(s.rqp, { ticket: t1 });
    assert.equal(r.status, 403);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], undefined);
    const b = r.json();
    assert.deepEqual(Object.keys(b).sort(), ['error', 'redirect_user', 'required_claims', 'ticket']);
    assert.equal(b.error, 'need_info');
    assert.match(b.ticket, UUID);
    assert.notEqual(b.ticket, t1);
    assert.deepEqual(b.required_claims, [claimDef(as.issuer, 'country'), claimDef(as.issuer, 'city')]);
    assert.equal(
      b.redirect_user,
      `${as.issuer}/oxauth/restv1/uma/gather_claims?customUserParam2=value2&customUserParam1=value1&client_id=${s.rqp.id}&ticket=${b.ticket}`,
    );
    // T2 carries gathering_id and pct; T1 is gone (§12 step 2).
    const [perm] = as.store.permissionsByTicket(b.ticket);
    assert.equal(perm.attributes.gathering_id, 'sampleClaimsGathering');
    assert.match(perm.attributes.pct, CODE);
    assert.ok(as.store.pct(perm.attributes.pct));
    assertUmaError(await as.token(s.rqp, { ticket: t1 }), 400, 'invalid_ticket');
  });

  it('drops the RS params of the permission when the ticket rotates (§3.5)', async () => {
    const s = await as.setup();
    const t1 = await as.ticket(s.pat, { resource_id: s.resourceId, resource_scopes: ['claim_gathering'], params: { a: 'b' } });
    assert.equal(as.store.permissionsByTicket(t1)[0].attributes.a, 'b');
    const r = await as.token(s.rqp, { ticket: t1 });
    assert.equal(r.status, 403);
    assert.equal(as.store.permissionsByTicket(r.json().ticket)[0].attributes.a, undefined);
  });

  it('issues the RPT for the gathered ticket: exactly four fields, the same PCT, no cache headers (§3.4, §12)', async () => {
    const s = await as.setup();
    const g = await gatheredTicket(as, s);
    assert.notEqual(g.t3, g.t2);
    const r = await as.token(s.rqp, { ticket: g.t3 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], undefined);
    assert.equal(r.headers.pragma, undefined);
    const b = r.json();
    assert.deepEqual(Object.keys(b), ['access_token', 'token_type', 'pct', 'upgraded']);
    assert.match(b.access_token, CODE);
    assert.equal(b.token_type, 'Bearer');
    assert.equal(b.pct, g.pct);
    assert.equal(b.upgraded, false);
    assert.equal(r.text, `{"access_token":"${b.access_token}","token_type":"Bearer","pct":"${g.pct}","upgraded":false}`);
    // T2 is dead after gathering; T3 is not deleted after use (DIV-AS-08).
    assertUmaError(await as.token(s.rqp, { ticket: g.t2 }), 400, 'invalid_ticket');
    const again = await as.token(s.rqp, { ticket: g.t3 });
    assert.equal(again.status, 200);
    assert.notEqual(again.json().access_token, b.access_token);
  });

  it('answers forbidden_by_policy for gathered claims that are not exactly US/NY and keeps the ticket (flow B, DIV-AS-02/08)', async () => {
    const s = await as.setup();
    for (const [country, city] of [['FR', 'Paris'], ['us', 'ny'], ['US', 'ny'], ['', '']]) {
      const g = await gatheredTicket(as, s, country, city);
      assertUmaError(await as.token(s.rqp, { ticket: g.t3 }), 403, 'forbidden_by_policy');
      assertUmaError(await as.token(s.rqp, { ticket: g.t3 }), 403, 'forbidden_by_policy');
    }
  });

  it('upgrades an RPT in place: same string, upgraded:true, both permissions (§3.4)', async () => {
    const s = await as.setup();
    const first = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: US_NY(as.issuer), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(first.status, 200);
    const rpt = first.json().access_token;
    const other = await as.resource(s.pat, { name: 'other', resource_scopes: ['claim_gathering'] });
    const t = await as.ticket(s.pat, { resource_id: other, resource_scopes: ['claim_gathering'] });
    const up = await as.token(s.rqp, { ticket: t, rpt, claim_token: US_NY(as.issuer), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(up.status, 200, up.text);
    assert.deepEqual(Object.keys(up.json()), ['access_token', 'token_type', 'pct', 'upgraded']);
    assert.equal(up.json().access_token, rpt);
    assert.equal(up.json().upgraded, true);
    const intro = await as.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}` }, form: { token: rpt } });
    const ids = intro.json().permissions.map((p: { resource_id: string }) => p.resource_id).sort();
    assert.deepEqual(ids, [s.resourceId, other].sort());
  });

  it('uses the claims of a valid PCT sent with a new ticket: no gathering again (§3.2)', async () => {
    const s = await as.setup();
    const g = await gatheredTicket(as, s);
    const fresh = await s.newTicket();
    const r = await as.token(s.rqp, { ticket: fresh, pct: g.pct });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().pct, g.pct);
    const without = await as.token(s.rqp, { ticket: await s.newTicket() });
    assert.equal(without.status, 403);
    assert.equal(without.json().error, 'need_info');
  });

  it('skips unknown requested scopes silently (DIV-AS-12) and adds known ones to the permission', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    const r = await as.token(s.rqp, { ticket: t, scope: 'no_such_scope non_claim_gathering', claim_token: US_NY(as.issuer), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 200, r.text);
    const intro = await as.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}` }, form: { token: r.json().access_token } });
    assert.deepEqual(intro.json().permissions[0].resource_scopes, ['claim_gathering', 'non_claim_gathering']);
  });
});

describe('UMA grant: pushed claim tokens (flow C)', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('issues the RPT at once for an unsigned token with top-level US/NY (DIV-AS-15)', async () => {
    const s = await as.setup();
    const t1 = await s.newTicket();
    const r = await as.token(s.rqp, { ticket: t1, claim_token: US_NY(as.issuer), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().upgraded, false);
    assert.match(r.json().pct, CODE);
    // All pushed claims went into the PCT.
    const pct = as.store.pct(r.json().pct);
    assert.equal(pct?.claims.get('country'), 'US');
    assert.equal(pct?.claims.get('sub'), 'rqp-1');
  });

  it('accepts the reference example token verbatim', async () => {
    const s = await as.setup();
    const token =
      'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FzLmV4YW1wbGUub3JnIiwic3ViIjoicnFwLTEiLCJjb3VudHJ5IjoiVVMiLCJjaXR5IjoiTlkifQ.';
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: token, claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 200, r.text);
  });

  it('answers forbidden_by_policy for wrong pushed values', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: 'FR', city: 'Paris' }), claim_token_format: ID_TOKEN_FORMAT });
    assertUmaError(r, 403, 'forbidden_by_policy');
  });

  it('answers need_info for only the city when only the country is pushed', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: 'US' }), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 403);
    assert.equal(r.json().error, 'need_info');
    assert.deepEqual(r.json().required_claims, [claimDef(as.issuer, 'city')]);
  });

  it('counts a pushed null claim as present (JSONObject.NULL): no need_info for it, the policy refuses, the PCT keeps what it had', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: null, city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT });
    assertUmaError(r, 403, 'forbidden_by_policy');
    // Only the country null: the city is still asked for, the country is not.
    const only = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: null }), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(only.status, 403);
    assert.equal(only.json().error, 'need_info');
    assert.deepEqual(only.json().required_claims, [claimDef(as.issuer, 'city')]);
    // The copy into the PCT failed on the null: the new PCT holds none of the pushed claims.
    const pct = as.store.pct(only.json().pct ?? as.store.permissionsByTicket(only.json().ticket)[0].attributes.pct);
    assert.equal(pct?.claims.get('city'), undefined);
    assert.equal(pct?.claims.get('country'), undefined);
  });

  it('ignores claims nested below the top level', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ address: { country: 'US', city: 'NY' } }), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 403);
    assert.equal(r.json().required_claims.length, 2);
  });
});

describe('UMA grant: umaValidateClaimToken=true', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs({ as: { umaValidateClaimToken: true } });
  });
  after(() => as.close());
  const future = () => Math.floor(Date.now() / 1000) + 600;

  it('rejects an unsigned token with invalid_claim_token', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ iss: as.issuer, exp: future(), country: 'US', city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT });
    assertUmaError(r, 400, 'invalid_claim_token');
  });

  it('accepts a token signed by the AS key with iss = issuer, unexpired', async () => {
    const s = await as.setup();
    const jwt = await signJwt(as.keys, { iss: as.issuer, sub: 'u', exp: future(), country: 'US', city: 'NY' });
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: jwt, claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(r.status, 200, r.text);
  });

  it('rejects a foreign issuer, an expired token and another key', async () => {
    const s = await as.setup();
    const bad = await Promise.all([
      signJwt(as.keys, { iss: 'https://other.example', exp: future(), country: 'US', city: 'NY' }),
      signJwt(as.keys, { iss: as.issuer, exp: Math.floor(Date.now() / 1000) - 10, country: 'US', city: 'NY' }),
      signJwt(as.keys, { iss: as.issuer, country: 'US', city: 'NY' }),
      signJwt({ ...makeAsKeys(), kid: as.keys.kid }, { iss: as.issuer, exp: future(), country: 'US', city: 'NY' }),
    ]);
    for (const jwt of bad) {
      assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: jwt, claim_token_format: ID_TOKEN_FORMAT }), 400, 'invalid_claim_token');
    }
  });
});

describe('UMA grant: scopes without policy (flow C′, §3.3 step 5)', () => {
  it('issues the RPT with umaGrantAccessIfNoPolicies=true', async () => {
    const as = await startAs({ as: { umaGrantAccessIfNoPolicies: true } });
    const s = await as.setup(['non_claim_gathering']);
    const r = await as.token(s.rqp, { ticket: await s.newTicket() });
    assert.equal(r.status, 200, r.text);
    await as.close();
  });

  it('answers forbidden_by_policy with umaGrantAccessIfNoPolicies=false (CES default)', async () => {
    const as = await startAs({ as: { umaGrantAccessIfNoPolicies: false } });
    const s = await as.setup(['non_claim_gathering']);
    assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket() }), 403, 'forbidden_by_policy');
    await as.close();
  });

  it('treats a policy whose script is not enabled as no policy', async () => {
    const as = await startAs({ as: { umaGrantAccessIfNoPolicies: false, enabledScripts: ['sampleClaimsGathering'] } });
    const s = await as.setup();
    assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket() }), 403, 'forbidden_by_policy');
    await as.close();
  });
});

describe('UMA grant: policy scripts', () => {
  const throwing: RptPolicyScript = {
    name: 'throwing_policy',
    getRequiredClaims: () => {
      throw new Error('boom');
    },
    authorize: () => {
      throw new Error('boom');
    },
    getClaimsGatheringScriptName: () => {
      throw new Error('boom');
    },
  };
  const noParams: RptPolicyScript = {
    name: 'no_params_policy',
    getRequiredClaims: (ctx) => [{ issuer: [ctx.issuer], name: 'x', claim_token_format: [ID_TOKEN_FORMAT], claim_type: 'string', friendly_name: 'x' }],
    authorize: () => true,
    getClaimsGatheringScriptName: () => 'sampleClaimsGathering',
  };

  it('counts a policy that throws as false (§6)', async () => {
    const as = await startAs({
      as: { scopes: [{ id: 'risky', policies: ['throwing_policy'] }], enabledScripts: ['throwing_policy'] },
      policyScripts: [throwing],
    });
    const s = await as.setup(['risky']);
    assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket() }), 403, 'forbidden_by_policy');
    await as.close();
  });

  it('builds redirect_user without "?" when no policy adds parameters (§3.5 quirk)', async () => {
    const as = await startAs({
      as: { scopes: [{ id: 'plain', policies: ['no_params_policy'] }], enabledScripts: ['no_params_policy', 'sampleClaimsGathering'] },
      policyScripts: [noParams],
    });
    const s = await as.setup(['plain']);
    const r = await as.token(s.rqp, { ticket: await s.newTicket() });
    assert.equal(r.status, 403);
    assert.equal(r.json().redirect_user, `${as.issuer}/oxauth/restv1/uma/gather_claims&client_id=${s.rqp.id}&ticket=${r.json().ticket}`);
    await as.close();
  });
});

describe('UMA grant: the error table (§3.6)', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('invalid_ticket: unknown ticket', async () => {
    const s = await as.setup();
    assertUmaError(await as.token(s.rqp, { ticket: '0b5d7f0e-6a53-4a61-8b0f-3f7d2f9f0a11' }), 400, 'invalid_ticket');
  });

  it('a ticket past umaTicketLifetime stays usable until the cleaner runs (60 s after start, then every 90 s), then invalid_ticket', async () => {
    const start = Date.now();
    let now = start;
    const timed = await startAs({ clock: () => now, as: { umaTicketLifetime: 60 } });
    const s = await timed.setup();
    const t = await s.newTicket();
    // Expires at start + 60 s, not before the first run at start + 60 s: removed by the second, at start + 150 s.
    now = start + 61_000;
    const late = await timed.token(s.rqp, { ticket: t, claim_token: US_NY(timed.issuer), claim_token_format: ID_TOKEN_FORMAT });
    assert.equal(late.status, 200, late.text);
    const t2 = await s.newTicket();
    now = start + 60_000 + 60_000 + 1;
    const stillThere = await timed.token(s.rqp, { ticket: t2 });
    assert.equal(stillThere.status, 403, 'expired at start + 121 s, still there before the run at start + 150 s');
    assert.equal(stillThere.json().error, 'need_info');
    now = start + 150_000;
    assertUmaError(await timed.token(s.rqp, { ticket: t2 }), 400, 'invalid_ticket');
    await timed.close();
  });

  it('short settings: umaTicketLifetime 1, cleanServiceInterval 1, cleanerTimerTick 1 → refused 3 s after issue', async () => {
    const start = Date.now();
    let now = start;
    const timed = await startAs({ clock: () => now, as: { umaTicketLifetime: 1, cleanServiceInterval: 1, cleanerTimerTick: 1 } });
    const s = await timed.setup();
    const t = await s.newTicket();
    now = start + 2_999;
    const usable = await timed.token(s.rqp, { ticket: t });
    assert.equal(usable.status, 403, usable.text);
    assert.equal(usable.json().error, 'need_info');
    now = start + 3_000;
    assertUmaError(await timed.token(s.rqp, { ticket: t }), 400, 'invalid_ticket');
    assert.equal(timed.store.cleanedAt(start + 500), start + 1_000);
    assert.equal(timed.store.cleanedAt(start + 1_000), start + 3_000);
    await timed.close();
  });

  it('cleanServiceInterval negative: the cleaner never runs, an expired ticket is never refused', async () => {
    const start = Date.now();
    let now = start;
    const timed = await startAs({ clock: () => now, as: { umaTicketLifetime: 1, cleanServiceInterval: -1 } });
    const s = await timed.setup();
    const t = await s.newTicket();
    now = start + 86_400_000;
    const usable = await timed.token(s.rqp, { ticket: t });
    assert.equal(usable.status, 403, usable.text);
    assert.equal(usable.json().error, 'need_info');
    await timed.close();
  });

  it('invalid_resource_id: a ticket with another grant_type (DIV-AS-03)', async () => {
    const s = await as.setup();
    assertUmaError(await as.token(s.rqp, { grant_type: 'client_credentials', ticket: await s.newTicket() }), 400, 'invalid_resource_id');
    assertUmaError(await as.token(s.rqp, { grant_type: undefined, ticket: await s.newTicket() }), 400, 'invalid_resource_id');
  });

  it('invalid_request: the uma-ticket grant without ticket goes down the plain OAuth path (§3.1)', async () => {
    const s = await as.setup();
    const r = await as.token(s.rqp, {});
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers.pragma, 'no-cache');
    assert.equal(r.text, errText('invalid_request', D.invalid_request));
    const blank = await as.token(s.rqp, { ticket: '   ' });
    assert.equal(blank.text, errText('invalid_request', D.invalid_request));
  });

  it('invalid_claim_token_format: a token with another or no format', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    assertUmaError(await as.token(s.rqp, { ticket: t, claim_token: US_NY(as.issuer), claim_token_format: 'urn:other' }), 400, 'invalid_claim_token_format');
    assertUmaError(await as.token(s.rqp, { ticket: t, claim_token: US_NY(as.issuer) }), 400, 'invalid_claim_token_format');
  });

  it('invalid_claim_token: not a JWT, or a format without token', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    assertUmaError(await as.token(s.rqp, { ticket: t, claim_token: 'not-a-jwt', claim_token_format: ID_TOKEN_FORMAT }), 400, 'invalid_claim_token');
    assertUmaError(await as.token(s.rqp, { ticket: t, claim_token: 'a.b.c.d', claim_token_format: ID_TOKEN_FORMAT }), 400, 'invalid_claim_token');
    assertUmaError(await as.token(s.rqp, { ticket: t, claim_token_format: ID_TOKEN_FORMAT }), 400, 'invalid_claim_token');
  });

  it('invalid_pct: unknown or expired PCT → 401', async () => {
    const s = await as.setup();
    assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket(), pct: 'nope' }), 401, 'invalid_pct');
    let now = Date.now();
    const timed = await startAs({ clock: () => now, as: { umaPctLifetime: 30 } });
    const s2 = await timed.setup();
    const ok = await timed.token(s2.rqp, { ticket: await s2.newTicket(), claim_token: US_NY(timed.issuer), claim_token_format: ID_TOKEN_FORMAT });
    const pct = ok.json().pct;
    now += 31_000;
    assertUmaError(await timed.token(s2.rqp, { ticket: await s2.newTicket(), pct }), 401, 'invalid_pct');
    await timed.close();
  });

  it('invalid_rpt: unknown or expired RPT', async () => {
    const s = await as.setup();
    assertUmaError(await as.token(s.rqp, { ticket: await s.newTicket(), rpt: 'nope' }), 400, 'invalid_rpt');
  });

  it('disabled_client: a client switched off in oxTrust → 403', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    const client = as.store.client(s.rqp.id);
    assert.ok(client);
    client.disabled = true;
    assertUmaError(await as.token(s.rqp, { ticket: t }), 403, 'disabled_client');
    client.disabled = false;
  });

  it('invalid_scope: a ticket whose permission has no scope', async () => {
    const s = await as.setup();
    const t = await as.ticket(s.pat, { resource_id: s.resourceId, resource_scopes: [] });
    assertUmaError(await as.token(s.rqp, { ticket: t }), 400, 'invalid_scope');
  });

  it('invalid_client: failed client authentication → 401 with WWW-Authenticate (§3.1)', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    const cases: Record<string, string>[] = [
      { Authorization: basic(s.rqp.id, 'wrong') },
      { Authorization: basic('unknown', 'x') },
      { Authorization: 'Bearer not-a-token' },
      {},
    ];
    for (const headers of cases) {
      const r = await as.call('POST', '/oxauth/restv1/token', { headers, form: { grant_type: UMA_GRANT, ticket: t } });
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], 'Basic realm="oxAuth"');
      assert.equal(r.headers['content-type'], 'application/json;charset=UTF-8');
      assert.equal(r.text, errText('invalid_client', D.invalid_client));
    }
  });

  it('server_error: an unexpected failure → 500', async () => {
    const s = await as.setup();
    const t = await s.newTicket();
    const original = as.store.createPct.bind(as.store);
    as.store.createPct = () => {
      throw new Error('LDAP down');
    };
    try {
      assertUmaError(await as.token(s.rqp, { ticket: t }), 500, 'server_error');
    } finally {
      as.store.createPct = original;
    }
  });

  it('adds `reason` only with errorReasonEnabled=true', async () => {
    const verbose = await startAs({ as: { errorReasonEnabled: true } });
    const s = await verbose.setup();
    const r = await verbose.token(s.rqp, { ticket: 'unknown-ticket' });
    assert.equal(r.status, 400);
    assert.equal(
      r.text,
      `{\n    "reason": "Unable to find permissions registered for given ticket:unknown-ticket",\n    "error_description": "${D.invalid_ticket}",\n    "error": "invalid_ticket"\n}`,
    );
    await verbose.close();
  });

  it('authenticates the client by its access token (Authorization: AccessToken …)', async () => {
    const s = await as.setup();
    const at = await as.clientToken(s.rqp, 'openid');
    const r = await as.call('POST', '/oxauth/restv1/token', {
      headers: { Authorization: `AccessToken ${at}` },
      form: { grant_type: UMA_GRANT, ticket: await s.newTicket(), claim_token: US_NY(as.issuer), claim_token_format: ID_TOKEN_FORMAT },
    });
    assert.equal(r.status, 200, r.text);
  });

  it('answers 415 for a body that is not a form, after client authentication', async () => {
    const s = await as.setup();
    const r = await as.call('POST', '/oxauth/restv1/token', { headers: { Authorization: basic(s.rqp.id, s.rqp.secret) }, json: { grant_type: UMA_GRANT } });
    assert.equal(r.status, 415);
  });

  it('keeps T2 valid while gathering is open (DIV-AS-09)', async () => {
    const s = await as.setup();
    const ni = await toNeedInfo(as, s);
    const start = await as.call('GET', `${ni.body.redirect_user}&claims_redirect_uri=${CRU}`);
    assert.equal(start.status, 302);
    const r = await as.token(s.rqp, { ticket: ni.t2 });
    // T2 still exists: the same claims are missing, so need_info again with a new ticket.
    assert.equal(r.status, 403);
    assert.equal(r.json().error, 'need_info');
  });
});
