// uma-rp-get-rpt (oxd.md §4.9, §5) and uma-rp-get-claims-gathering-url (§4.10, §6).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nowSeconds } from '../../../sandbox/lib/ids';
import type { UmaTokenAnswer } from '../doubles/fake-oxauth';
import { OxdHarness, bearer, type Site } from './harness';
import { assertSwagger } from './swagger';

const CRU = 'https://rqp.example.org/claims-cb';
const ID_TOKEN = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FzLmV4YW1wbGUub3JnIiwic3ViIjoicnFwLTEiLCJjb3VudHJ5IjoiVVMiLCJjaXR5IjoiTlkifQ.';
const err = (error: string, error_description: string) => ({ error, error_description });

/** The consumer client of README setup step 7 and its oxd token. */
async function consumer(h: OxdHarness): Promise<{ site: Site; token: string }> {
  const site = await h.registerSite({
    redirect_uris: [CRU],
    claims_redirect_uri: [CRU],
    grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
  });
  return { site, token: await h.clientToken(site) };
}

function newTicket(h: OxdHarness): string {
  return h.fake.addTicket([{ resource_id: 'res-1', resource_scopes: ['claim_gathering'], exp: nowSeconds() + 3600 }]);
}

describe('uma-rp-get-rpt (oxd.md §4.9)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  before(async () => {
    h = await OxdHarness.start();
    ({ site, token } = await consumer(h));
  });
  after(() => h.close());

  const getRpt = (body: Record<string, unknown>) => h.post('/uma-rp-get-rpt', { oxd_id: site.oxd_id, ...body }, bearer(token));

  test('success: uma-ticket grant with the client\'s Basic auth, then RPT introspection; {access_token, token_type, pct, updated}', async () => {
    const ticket = newTicket(h);
    const before = h.fake.calls.length;
    const r = await getRpt({ ticket, state: 'ignored-state' });
    assert.equal(r.status, 200);
    assertSwagger('/uma-rp-get-rpt', r.json);
    const body = r.json as { access_token: string; pct: string };
    const rpt = h.fake.rpts.get(body.access_token);
    assert.ok(rpt);
    assert.deepEqual(r.json, { access_token: rpt.token, token_type: 'Bearer', pct: rpt.pct, updated: false });
    const calls = h.fake.calls.slice(before).filter((c) => c.path !== '/oxauth/restv1/introspection' && c.form?.get('scope') !== 'openid');
    const tokenCall = calls.find((c) => c.path === '/oxauth/restv1/token' && c.form?.has('ticket'));
    assert.ok(tokenCall);
    assert.equal(tokenCall.body, `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Auma-ticket&ticket=${ticket}`, 'state is not forwarded');
    assert.equal(tokenCall.headers.authorization, `Basic ${Buffer.from(`${site.client_id}:${site.client_secret}`).toString('base64')}`);
    const statusCall = calls.filter((c) => c.path === '/oxauth/restv1/rpt/status').at(-1);
    assert.equal(statusCall?.form?.get('token'), rpt.token);
    assert.ok(calls.indexOf(tokenCall) < calls.indexOf(statusCall as (typeof calls)[number]));
  });

  test('get-rp shows the rpt_* fields of the last RPT; the dates wrapped by the int multiplication (UmaTokenService lines 143–149)', async () => {
    const r = await getRpt({ ticket: newTicket(h) });
    assert.equal(r.status, 200);
    const rpt = h.fake.rpts.get((r.json as { access_token: string }).access_token);
    assert.ok(rpt);
    const rp = await h.post('/get-rp', { oxd_id: site.oxd_id });
    assert.equal(rp.status, 200);
    const node = (rp.json as { node: Record<string, unknown> }).node;
    const rptFields = Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith('rpt') && k !== 'rpt_as_jwt'));
    assert.deepEqual(rptFields, {
      rpt: rpt.token,
      rpt_token_type: 'Bearer',
      rpt_pct: rpt.pct,
      rpt_upgraded: false,
      rpt_expires_at: Math.imul(rpt.exp, 1000),
      rpt_created_at: Math.imul(rpt.iat, 1000),
    });
    assert.ok(Math.imul(rpt.exp, 1000) < Date.now(), 'the stored expiry is in the past');
    const keys = Object.keys(node);
    assert.deepEqual(keys.slice(keys.indexOf('rpt'), keys.indexOf('rpt') + 6), ['rpt', 'rpt_token_type', 'rpt_pct', 'rpt_upgraded', 'rpt_expires_at', 'rpt_created_at'], 'Rp.java order');
    assert.ok(keys.indexOf('rpt') > keys.indexOf('oauth_token_created_at') && keys.indexOf('rpt') < keys.indexOf('access_token_as_jwt'));
  });

  test('claim_token + claim_token_format, pct, rpt, scope and params are forwarded in oxd order', async () => {
    const ticket = newTicket(h);
    const r = await getRpt({ ticket, claim_token: JWT, claim_token_format: ID_TOKEN, pct: 'P1', rpt: 'R1', scope: ['a', 'b'], params: { extra: 'x y' } });
    assert.equal(r.status, 200);
    const call = h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.has('ticket')).at(-1);
    assert.equal(
      call?.body,
      `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Auma-ticket&ticket=${ticket}&claim_token=${JWT}` +
        '&claim_token_format=http%3A%2F%2Fopenid.net%2Fspecs%2Fopenid-connect-core-1_0.html%23IDToken&pct=P1&rpt=R1&scope=a+b&extra=x+y',
    );
  });

  test('upgraded:true from the AS comes back as updated:true', async () => {
    h.fake.umaAnswers.push({ kind: 'rpt', upgraded: true });
    const r = await getRpt({ ticket: newTicket(h) });
    assert.equal(r.status, 200);
    assert.equal((r.json as { updated: boolean }).updated, true);
  });

  test('oxd-side validation: blank ticket, claim token without format and the reverse', async () => {
    const TICKET = err('invalid_ticket_parameter', 'ticket parameter is not specified or otherwise is not valid');
    for (const body of [{}, { ticket: '' }, { ticket: '  ' }]) {
      const r = await getRpt(body);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, TICKET);
    }
    const PAIR = err('invalid_claim_token_or_claim_token_form', 'Claim token or claim token format is invalid.');
    for (const body of [{ claim_token: JWT }, { claim_token_format: ID_TOKEN }, { claim_token: JWT, claim_token_format: ' ' }]) {
      const before = h.fake.calls.length;
      const r = await getRpt({ ticket: 'T', ...body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.json, PAIR);
      assert.equal(h.fake.calls.slice(before).filter((c) => c.form?.has('ticket')).length, 0, 'the AS is not called');
    }
  });

  test('RPT not active at introspection → 500 "Failed to get RPT."', async () => {
    h.fake.umaAnswers.push({ kind: 'rpt', rptActive: false });
    const r = await getRpt({ ticket: newTicket(h) });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, err('internal_error', 'Failed to get RPT.'));
  });

  test('no RPT cache: every call goes to the AS and returns a fresh RPT', async () => {
    const first = await getRpt({ ticket: newTicket(h) });
    const tokenCallsBefore = h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.has('ticket')).length;
    const second = await getRpt({ ticket: newTicket(h) });
    assert.equal(h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.has('ticket')).length, tokenCallsBefore + 1);
    assert.notEqual((first.json as { access_token: string }).access_token, (second.json as { access_token: string }).access_token);
  });
});

describe('AS errors on uma-rp-get-rpt (oxd.md §5)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  before(async () => {
    h = await OxdHarness.start();
    ({ site, token } = await consumer(h));
  });
  after(() => h.close());

  const getRpt = (ticket: string) => h.post('/uma-rp-get-rpt', { oxd_id: site.oxd_id, ticket }, bearer(token));

  test('403 need_info → 403 with the four fields as the AS sent them; the AS rotated the ticket', async () => {
    const ticket = newTicket(h);
    h.fake.umaAnswers.push({ kind: 'need_info' });
    const r = await getRpt(ticket);
    assert.equal(r.status, 403);
    assert.equal(r.headers['content-type'], 'application/json');
    const body = r.json as { ticket: string };
    assert.notEqual(body.ticket, ticket);
    assert.ok(h.fake.tickets.has(body.ticket) && !h.fake.tickets.has(ticket));
    assert.deepEqual(r.json, h.fake.needInfoBody(site.client_id, body.ticket));
    assert.deepEqual(Object.keys(r.json as object), ['error', 'required_claims', 'redirect_user', 'ticket'], 'oxd writes its own property order');
    assert.deepEqual(Object.keys((r.json as { required_claims: object[] }).required_claims[0]), ['issuer', 'name', 'claim_token_format', 'claim_type', 'friendly_name']);
  });

  test('error_description, reason and unknown members from the AS are dropped', async () => {
    const ticket = newTicket(h);
    h.fake.umaAnswers.push({
      kind: 'json',
      status: 403,
      body: { error: 'need_info', error_description: 'd', reason: 'r', error_uri: 'u', ticket: 'T2', redirect_user: 'https://as/gather', required_claims: [], extra: 1 },
    });
    const r = await getRpt(ticket);
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, { error: 'need_info', redirect_user: 'https://as/gather', ticket: 'T2' }, 'an empty required_claims is left out too');
  });

  // Each row of the oxd.md §5 table, with the AS answering that error (oxauth.md §3.6 statuses).
  const ROWS: { answer: UmaTokenAnswer; as: string; oxdStatus: number; error: string }[] = [
    { answer: { kind: 'error', error: 'invalid_ticket' }, as: '400 invalid_ticket', oxdStatus: 400, error: 'invalid_ticket' },
    { answer: { kind: 'error', error: 'invalid_claim_token_format' }, as: '400 invalid_claim_token_format', oxdStatus: 400, error: 'invalid_claim_token_format' },
    { answer: { kind: 'error', error: 'forbidden_by_policy' }, as: '403 forbidden_by_policy', oxdStatus: 403, error: 'forbidden_by_policy' },
    { answer: { kind: 'error', error: 'invalid_claim_token' }, as: '400 invalid_claim_token', oxdStatus: 403, error: 'invalid_claim_token' },
    { answer: { kind: 'error', error: 'invalid_pct' }, as: '401 invalid_pct', oxdStatus: 403, error: 'invalid_pct' },
    { answer: { kind: 'error', error: 'invalid_rpt' }, as: '400 invalid_rpt', oxdStatus: 403, error: 'invalid_rpt' },
    { answer: { kind: 'error', error: 'invalid_scope' }, as: '400 invalid_scope', oxdStatus: 403, error: 'invalid_scope' },
    { answer: { kind: 'error', error: 'invalid_resource_id' }, as: '400 invalid_resource_id', oxdStatus: 403, error: 'invalid_resource_id' },
    { answer: { kind: 'error', error: 'disabled_client' }, as: '403 disabled_client', oxdStatus: 403, error: 'disabled_client' },
    { answer: { kind: 'error', error: 'server_error' }, as: '500 server_error', oxdStatus: 403, error: 'server_error' },
    { answer: { kind: 'json', status: 400, body: { error: 'INVALID_TICKET' } }, as: '400 INVALID_TICKET (case)', oxdStatus: 400, error: 'INVALID_TICKET' },
    { answer: { kind: 'json', status: 400, body: { error: 'Invalid_Claim_Token_Format' } }, as: '400 Invalid_Claim_Token_Format (case)', oxdStatus: 400, error: 'Invalid_Claim_Token_Format' },
  ];
  for (const row of ROWS) {
    test(`AS ${row.as} → oxd ${row.oxdStatus} {"error":"${row.error}"}`, async () => {
      h.fake.umaAnswers.push(row.answer);
      const r = await getRpt(newTicket(h));
      assert.equal(r.status, row.oxdStatus);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.text, JSON.stringify({ error: row.error }));
    });
  }

  test('AS 400 invalid_ticket for an unknown ticket (no script) → oxd 400 {"error":"invalid_ticket"}', async () => {
    const r = await getRpt('no-such-ticket');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { error: 'invalid_ticket' });
  });

  test('AS 401 invalid_client (the consumer secret no longer matches) → oxd 403 {"error":"invalid_client"}', async () => {
    const client = h.fake.clients.get(site.client_id);
    assert.ok(client);
    const secret = client.clientSecret;
    client.clientSecret = 'rotated';
    try {
      const r = await getRpt(newTicket(h));
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, { error: 'invalid_client' });
    } finally {
      client.clientSecret = secret;
    }
  });

  test('a non-JSON AS body → {"code":<AS status>,"message":"<raw body>"}', async () => {
    h.fake.umaAnswers.push({ kind: 'raw', status: 502, body: 'Bad Gateway' });
    const r = await getRpt(newTicket(h));
    assert.equal(r.status, 502);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json, { code: 502, message: 'Bad Gateway' });
    h.fake.umaAnswers.push({ kind: 'raw', status: 500, body: '<html><body>Internal Error</body></html>', contentType: 'text/html' });
    const html = await getRpt(newTicket(h));
    assert.equal(html.status, 500);
    assert.deepEqual(html.json, { code: 500, message: '<html><body>Internal Error</body></html>' });
  });

  test('the token endpoint unreachable → 500 "Failed to get RPT."', async () => {
    const h2 = await OxdHarness.start();
    try {
      const c = await consumer(h2);
      h2.fake.umaTokenEndpointOverride = 'http://127.0.0.1:1/oxauth/restv1/token';
      const r = await h2.post('/uma-rp-get-rpt', { oxd_id: c.site.oxd_id, ticket: newTicket(h2) }, bearer(c.token));
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, err('internal_error', 'Failed to get RPT.'));
    } finally {
      await h2.close();
    }
  });
});

describe('fault rpt-cache-served', () => {
  for (const faulty of [false, true]) {
    test(faulty ? 'with the fault: the second call returns the first RPT without asking the AS' : 'clean: the second call asks the AS and gets need_info', async () => {
      const h = await OxdHarness.start({ faults: faulty ? ['rpt-cache-served'] : [] });
      try {
        const { site, token } = await consumer(h);
        const first = await h.post('/uma-rp-get-rpt', { oxd_id: site.oxd_id, ticket: newTicket(h) }, bearer(token));
        assert.equal(first.status, 200);
        h.fake.umaAnswers.push({ kind: 'need_info' });
        const second = await h.post('/uma-rp-get-rpt', { oxd_id: site.oxd_id, ticket: newTicket(h) }, bearer(token));
        const umaCalls = h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.has('ticket')).length;
        if (faulty) {
          assert.equal(second.status, 200);
          assert.deepEqual(second.json, first.json);
          assert.equal(umaCalls, 1);
        } else {
          assert.equal(second.status, 403);
          assert.equal((second.json as { error: string }).error, 'need_info');
          assert.equal(umaCalls, 2);
        }
      } finally {
        await h.close();
      }
    });
  }
});

describe('uma-rp-get-claims-gathering-url (oxd.md §4.10, §6)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  let gather: string;
  before(async () => {
    h = await OxdHarness.start();
    ({ site, token } = await consumer(h));
    gather = `${h.fake.url}/oxauth/restv1/uma/gather_claims`;
  });
  after(() => h.close());

  const url = (body: Record<string, unknown>) => h.post('/uma-rp-get-claims-gathering-url', { oxd_id: site.oxd_id, ...body }, bearer(token));

  test('given state: raw concatenation, client_id, ticket, claims_redirect_uri, state; state echoed', async () => {
    const r = await url({ ticket: 'T2', claims_redirect_uri: CRU, state: 'S' });
    assert.equal(r.status, 200);
    assertSwagger('/uma-rp-get-claims-gathering-url', r.json);
    assert.deepEqual(r.json, { url: `${gather}?client_id=${site.client_id}&ticket=T2&claims_redirect_uri=${CRU}&state=S`, state: 'S' });
    assert.ok((r.json as { url: string }).url.includes('client_id=@!'), 'the @! client id is not encoded');
  });

  test('no state: oxd makes one (130 random bits in base 32) and puts it in the URL', async () => {
    const states = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await url({ ticket: 'T2', claims_redirect_uri: CRU });
      assert.equal(r.status, 200);
      assertSwagger('/uma-rp-get-claims-gathering-url', r.json);
      const { url: u, state } = r.json as { url: string; state: string };
      assert.match(state, /^[1-9a-v][0-9a-v]{0,25}$/);
      assert.equal(u, `${gather}?client_id=${site.client_id}&ticket=T2&claims_redirect_uri=${CRU}&state=${state}`);
      states.add(state);
    }
    assert.equal(states.size, 20);
  });

  test('custom parameters: reserved keys dropped, values URL-encoded, keys raw, in HashMap order', async () => {
    const r = await url({
      ticket: 'T2',
      claims_redirect_uri: CRU,
      state: 'S',
      custom_parameters: { b: 'x y&z', oxd_id: 'o', alpha: 'ä/é', client_id: 'c', ticket: 't', state: 's', claims_redirect_uri: 'u', zeta: '1' },
    });
    assert.equal(r.status, 200);
    // Java String.hashCode buckets (16): zeta 0, b 2, alpha 7.
    assert.equal((r.json as { url: string }).url, `${gather}?client_id=${site.client_id}&ticket=T2&claims_redirect_uri=${CRU}&state=S&zeta=1&b=x+y%26z&alpha=%C3%A4%2F%C3%A9`);
    const onlyReserved = await url({ ticket: 'T2', claims_redirect_uri: CRU, state: 'S', custom_parameters: { state: 'x' } });
    assert.equal((onlyReserved.json as { url: string }).url, `${gather}?client_id=${site.client_id}&ticket=T2&claims_redirect_uri=${CRU}&state=S`);
  });

  test('a claims_redirect_uri with its own query goes in raw and corrupts the URL', async () => {
    const cru = 'https://rqp.example.org/cb?a=b&c=d';
    const r = await url({ ticket: 'T2', claims_redirect_uri: cru, state: 'S T' });
    assert.equal((r.json as { url: string }).url, `${gather}?client_id=${site.client_id}&ticket=T2&claims_redirect_uri=https://rqp.example.org/cb?a=b&c=d&state=S T`);
    assert.equal((r.json as { state: string }).state, 'S T');
  });

  test('validation: blank ticket, blank claims_redirect_uri', async () => {
    const t = await url({ ticket: ' ', claims_redirect_uri: CRU });
    assert.equal(t.status, 400);
    assert.deepEqual(t.json, err('invalid_ticket_parameter', 'ticket parameter is not specified or otherwise is not valid'));
    const c = await url({ ticket: 'T2' });
    assert.equal(c.status, 400);
    assert.deepEqual(c.json, err('invalid_claims_redirect_uri_parameter', 'claims_redirect_uri parameter is not specified or otherwise is not valid'));
  });

  test('UMA discovery failing → 500 no_uma_discovery_response', async () => {
    const h2 = await OxdHarness.start();
    try {
      const c = await consumer(h2);
      h2.fake.failNext('GET /.well-known/uma2-configuration', 503, 'down', 'text/plain');
      const r = await h2.post('/uma-rp-get-claims-gathering-url', { oxd_id: c.site.oxd_id, ticket: 'T', claims_redirect_uri: CRU }, bearer(c.token));
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, err('no_uma_discovery_response', 'Unable to fetch UMA discovery response /.well-known/uma2-configuration'));
    } finally {
      await h2.close();
    }
  });

  test('encode_state_from_request_parameter: true URL-encodes a given state', async () => {
    const h2 = await OxdHarness.start({ config: { encodeStateFromRequestParameter: true } });
    try {
      const c = await consumer(h2);
      const r = await h2.post('/uma-rp-get-claims-gathering-url', { oxd_id: c.site.oxd_id, ticket: 'T', claims_redirect_uri: CRU, state: 'a b/c' }, bearer(c.token));
      assert.equal((r.json as { state: string }).state, 'a+b%2Fc');
      assert.ok((r.json as { url: string }).url.endsWith('&state=a+b%2Fc'));
    } finally {
      await h2.close();
    }
  });
});
