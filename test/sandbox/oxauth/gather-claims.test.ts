// The claims interaction endpoint: validation order, redirects, cookies (oxauth.md §4).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchClaimsRedirectUri } from '../../../sandbox/oxauth/gather-claims';
import { CRU, cookieJar, startAs, toNeedInfo, type Setup, type TestAs } from './harness';

const errText = (error: string, description: string) => `{\n    "error_description": "${description}",\n    "error": "${error}"\n}`;
const GC = '/oxauth/restv1/uma/gather_claims';
const BAD_CRU = 'The+provided+claims_redirect_uri+is+not+valid.';
const BAD_TICKET = 'The+provided+ticket+was+not+found+at+the+AS.';
const BAD_SCRIPT = 'The+claims-gathering+script+name+is+not+provided+or+otherwise+failed+to+load+script+with+this+name%28s%29.';
const SERVER_ERROR = 'The AM server encountered an unexpected condition which prevented it from fulfilling the request.';

const EXPIRES = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000';

describe('gather_claims validation order (§4)', () => {
  let as: TestAs;
  let s: Setup;
  let t2: string;
  before(async () => {
    as = await startAs();
    s = await as.setup();
    t2 = (await toNeedInfo(as, s)).t2;
  });
  after(() => as.close());

  const get = (q: string, headers: Record<string, string> = {}) => as.call('GET', `${GC}?${q}`, { headers });

  it('1: client_id blank or unknown → 400 JSON invalid_client_id', async () => {
    for (const q of [`ticket=${t2}&claims_redirect_uri=${CRU}`, `client_id=&ticket=${t2}`, `client_id=unknown&ticket=${t2}&claims_redirect_uri=https://evil.example/cb`]) {
      const r = await get(q);
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers.location, undefined);
      assert.equal(r.text, errText('invalid_client_id', 'The provided client_id is not valid.'));
    }
  });

  it('2a: claims_redirect_uri given to a client with none registered → 400 JSON', async () => {
    const r = await get(`client_id=${s.rs.id}&ticket=${t2}&claims_redirect_uri=${CRU}`);
    assert.equal(r.status, 400);
    assert.equal(r.text, errText('invalid_claims_redirect_uri', 'The provided claims_redirect_uri is not valid.'));
  });

  it('2b: an unregistered claims_redirect_uri → 302 to that URI with the error (DIV-AS-04), before the ticket check', async () => {
    const r = await get(`client_id=${s.rqp.id}&ticket=unknown&claims_redirect_uri=https://evil.example/cb&state=S1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `https://evil.example/cb?error=invalid_claims_redirect_uri&error_description=${BAD_CRU}&state=S1`);
    const q = await get(`client_id=${s.rqp.id}&ticket=${t2}&claims_redirect_uri=${encodeURIComponent('https://evil.example/cb?x=1')}`);
    assert.equal(q.headers.location, `https://evil.example/cb?x=1&error=invalid_claims_redirect_uri&error_description=${BAD_CRU}`);
  });

  it('2d: blank claims_redirect_uri with zero or several registered → 400 JSON', async () => {
    const none = await get(`client_id=${s.rs.id}&ticket=${t2}`);
    assert.equal(none.status, 400);
    assert.equal(none.text, errText('invalid_claims_redirect_uri', 'The provided claims_redirect_uri is not valid.'));
    const two = await as.registerClient({ claims_redirect_uri: [CRU, 'https://rqp.example.org/other'] });
    const several = await get(`client_id=${two.id}&ticket=${t2}`);
    assert.equal(several.status, 400);
    assert.equal(several.json().error, 'invalid_claims_redirect_uri');
  });

  it('2c: blank claims_redirect_uri with exactly one registered is accepted', async () => {
    const fresh = (await toNeedInfo(as, s)).t2;
    const r = await get(`client_id=${s.rqp.id}&ticket=${fresh}`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${as.issuer}/oxauth/uma2/sample/country.htm`);
  });

  it('3: blank or unknown ticket → 302 to the claims_redirect_uri with invalid_ticket and the raw state (DIV-AS-07)', async () => {
    const r = await get(`client_id=${s.rqp.id}&ticket=unknown&claims_redirect_uri=${CRU}&state=S1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${CRU}?error=invalid_ticket&error_description=${BAD_TICKET}&state=S1`);
    const blank = await get(`client_id=${s.rqp.id}&claims_redirect_uri=${CRU}`);
    assert.equal(blank.headers.location, `${CRU}?error=invalid_ticket&error_description=${BAD_TICKET}`);
    const raw = await get(`client_id=${s.rqp.id}&ticket=x&claims_redirect_uri=${CRU}&state=a%26b`);
    assert.equal(raw.headers.location, `${CRU}?error=invalid_ticket&error_description=${BAD_TICKET}&state=a&b`);
  });

  it('3: uses "&" when the claims_redirect_uri already has a query', async () => {
    const c = await as.registerClient({ claims_redirect_uri: [`${CRU}?rp=1`] });
    const r = await get(`client_id=${c.id}&ticket=unknown&claims_redirect_uri=${encodeURIComponent(`${CRU}?rp=1`)}`);
    assert.equal(r.headers.location, `${CRU}?rp=1&error=invalid_ticket&error_description=${BAD_TICKET}`);
  });

  it('3: without a claims_redirect_uri the error redirect cannot be built → 500 server_error', async () => {
    const r = await get(`client_id=${s.rqp.id}&ticket=unknown`);
    assert.equal(r.status, 500);
    assert.equal(r.text, errText('server_error', SERVER_ERROR));
  });

  it('3: an empty claims_redirect_uri (one registered) → a relative 302 "?error=invalid_ticket…"', async () => {
    const r = await get(`client_id=${s.rqp.id}&ticket=unknown&claims_redirect_uri=&state=S1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `?error=invalid_ticket&error_description=${BAD_TICKET}&state=S1`);
    assert.equal(r.text, '');
  });

  it('4: a ticket without gathering_id (T1) → 302 invalid_claims_gathering_script_name', async () => {
    const t1 = await s.newTicket();
    const r = await get(`client_id=${s.rqp.id}&ticket=${t1}&claims_redirect_uri=${CRU}&state=S1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${CRU}?error=invalid_claims_gathering_script_name&error_description=${BAD_SCRIPT}&state=S1`);
  });

  it('4: a gathering script that is not enabled → 302 invalid_claims_gathering_script_name', async () => {
    const off = await startAs({ as: { enabledScripts: ['uma_rpt_policy'] } });
    const s2 = await off.setup();
    const { t2: ticket } = await toNeedInfo(off, s2);
    const r = await off.call('GET', `${GC}?client_id=${s2.rqp.id}&ticket=${ticket}&claims_redirect_uri=${CRU}`);
    assert.equal(r.headers.location, `${CRU}?error=invalid_claims_gathering_script_name&error_description=${BAD_SCRIPT}`);
    await off.close();
  });

  it('5: a ticket without pct → 500 server_error', async () => {
    const fresh = (await toNeedInfo(as, s)).t2;
    delete as.store.permissionsByTicket(fresh)[0].attributes.pct;
    const r = await get(`client_id=${s.rqp.id}&ticket=${fresh}&claims_redirect_uri=${CRU}`);
    assert.equal(r.status, 500);
    assert.equal(r.text, errText('server_error', SERVER_ERROR));
  });

  it('success: 302 to country.htm with uma_session_id, session_state and opbs cookies', async () => {
    const fresh = (await toNeedInfo(as, s)).t2;
    const before = Date.now();
    const r = await get(`client_id=${s.rqp.id}&ticket=${fresh}&claims_redirect_uri=${CRU}&state=S1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${as.issuer}/oxauth/uma2/sample/country.htm`);
    const [sid, state, opbs] = r.cookies();
    assert.match(sid, new RegExp(`^uma_session_id=[0-9a-f-]{36}; Path=/; Secure; HttpOnly; Expires=${EXPIRES};$`));
    assert.match(state, new RegExp(`^session_state=[0-9a-f]{64}\\.[0-9a-f-]{36}; Path=/; Secure; Expires=${EXPIRES};$`));
    assert.match(opbs, new RegExp(`^opbs=[0-9a-f-]{36}; Path=/; Secure; Expires=${EXPIRES};$`));
    const expires = Date.parse(/Expires=([^;]+);/.exec(sid)?.[1] ?? '');
    assert.ok(Math.abs(expires - (before + 86_400_000)) < 5_000);
    // The session remembers the request (§4 "Session attributes").
    const session = as.store.session(/uma_session_id=([^;]+)/.exec(sid)?.[1]);
    assert.equal(session?.attributes.get('step'), '1');
    assert.equal(session?.attributes.get('state'), 'S1');
    assert.equal(session?.attributes.get('claims_redirect_uri'), CRU);
    assert.equal(session?.attributes.get('ticket'), fresh);
    assert.equal(session?.attributes.get('gather_script_name'), 'sampleClaimsGathering');
    assert.equal(session?.attributes.get('client_id'), s.rqp.id);
    // A browser that already has the session gets no new cookies.
    const again = await get(`client_id=${s.rqp.id}&ticket=${fresh}&claims_redirect_uri=${CRU}`, { Cookie: cookieJar(r.cookies()) });
    assert.equal(again.status, 302);
    assert.deepEqual(again.cookies(), []);
  });

  it('builds the page URL from the public base URL', async () => {
    const lb = await startAs({ publicUrl: 'https://as.example.org' });
    const s2 = await lb.setup();
    const { body } = await toNeedInfo(lb, s2);
    assert.ok(body.redirect_user.startsWith('https://as.example.org/oxauth/restv1/uma/gather_claims?'));
    const r = await lb.call('GET', `${body.redirect_user}&claims_redirect_uri=${CRU}`, { headers: { Host: 'other.example' } });
    assert.equal(r.headers.location, 'https://as.example.org/oxauth/uma2/sample/country.htm');
    await lb.close();
  });

  it('POST: a form gets 415; JSON runs with no readable parameters → 400 invalid_client_id', async () => {
    const form = await as.call('POST', GC, { form: { client_id: s.rqp.id, ticket: t2 } });
    assert.equal(form.status, 415);
    const json = await as.call('POST', GC, { json: { client_id: s.rqp.id, ticket: t2 } });
    assert.equal(json.status, 400);
    assert.equal(json.json().error, 'invalid_client_id');
  });

  it('authentication=true: no session → 400 invalid_client_id (a new, empty session); with a session → resumes from it', async () => {
    const r = await get('authentication=true');
    assert.equal(r.status, 400);
    assert.equal(r.text, errText('invalid_client_id', 'The provided client_id is not valid.'));
    const fresh = (await toNeedInfo(as, s)).t2;
    const start = await get(`client_id=${s.rqp.id}&ticket=${fresh}&claims_redirect_uri=${CRU}`);
    const resumed = await get('authentication=true', { Cookie: cookieJar(start.cookies()) });
    assert.equal(resumed.status, 302);
    assert.equal(resumed.headers.location, `${as.issuer}/oxauth/uma2/sample/country.htm`);
  });
});

describe('claims_redirect_uri matching rule (§4, DIV-AS-05)', () => {
  it('matches the exact string', () => {
    assert.equal(matchClaimsRedirectUri(CRU, [CRU]), true);
  });
  it('matches the same base when neither side has a query', () => {
    assert.equal(matchClaimsRedirectUri(`${CRU}?`, [CRU]), true);
    assert.equal(matchClaimsRedirectUri(`${CRU}?a=1`, [CRU]), false);
    assert.equal(matchClaimsRedirectUri('https://rqp.example.org/other', [CRU]), false);
  });
  it('matches an equal parameter map when the registered URI has a query, in any order', () => {
    assert.equal(matchClaimsRedirectUri(`${CRU}?b=2&a=1`, [`${CRU}?a=1&b=2`]), true);
    assert.equal(matchClaimsRedirectUri(`${CRU}?a=1`, [`${CRU}?a=1&b=2`]), false);
    assert.equal(matchClaimsRedirectUri(`${CRU}?a=1&b=3`, [`${CRU}?a=1&b=2`]), false);
  });
  it('compares the values as written (QueryStringDecoder does not percent-decode)', () => {
    assert.equal(matchClaimsRedirectUri(`${CRU}?a=%31&b=2`, [`${CRU}?a=1&b=2`]), false);
  });

  it('is applied end to end: a reordered query is accepted', async () => {
    const as = await startAs();
    const s = await as.setup(['claim_gathering'], { claims_redirect_uri: [`${CRU}?a=1&b=2`] });
    const { t2 } = await toNeedInfo(as, s);
    const r = await as.call('GET', `${GC}?client_id=${s.rqp.id}&ticket=${t2}&claims_redirect_uri=${encodeURIComponent(`${CRU}?b=2&a=1`)}`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${as.issuer}/oxauth/uma2/sample/country.htm`);
    await as.close();
  });
});
