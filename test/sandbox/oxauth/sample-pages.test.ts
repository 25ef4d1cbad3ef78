// The sample claims-gathering pages and the whole flow by plain HTTP (oxauth.md §5, README flow A).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRU, PAGE_FORM, cookieJar, gatherBrowser, queryOf, startAs, toNeedInfo, type Setup, type TestAs } from './harness';

const COUNTRY = '/oxauth/uma2/sample/country.htm';
const CITY = '/oxauth/uma2/sample/city.htm';

function assertPageMarkup(html: string, claim: 'country' | 'city', label: string) {
  assert.ok(html.includes('<title>oxAuth</title>'));
  assert.ok(html.includes(`<form id="loginForm" name="loginForm" method="post" action="/oxauth/uma2/sample/${claim}.htm" enctype="application/x-www-form-urlencoded">`));
  assert.ok(html.includes('<input type="hidden" name="loginForm" value="loginForm" />'));
  assert.ok(html.includes(`<label for="loginForm:${claim}">${label}</label>`));
  assert.ok(html.includes(`<input id="loginForm:${claim}" type="text" name="loginForm:${claim}" autocomplete="off" />`));
  assert.ok(html.includes('<input id="loginForm:gather" type="submit" name="loginForm:gather" value="Submit" />'));
  assert.ok(html.includes('<input type="hidden" name="javax.faces.ViewState" id="j_id1:javax.faces.ViewState:0" value="stateless" autocomplete="off" />'));
}

describe('sample claims-gathering pages', () => {
  let as: TestAs;
  let s: Setup;
  before(async () => {
    as = await startAs();
    s = await as.setup();
  });
  after(() => as.close());

  async function start(extra = `&claims_redirect_uri=${CRU}&state=S1`) {
    const ni = await toNeedInfo(as, s);
    const r = await as.call('GET', ni.body.redirect_user + extra);
    assert.equal(r.status, 302, r.text);
    return { t2: ni.t2, jar: cookieJar(r.cookies()) };
  }

  it('runs the whole flow: gather_claims → country.htm → city.htm → claims_redirect_uri?state=S&ticket=T3', async () => {
    const { t2, jar } = await start();
    const c = await as.call('GET', COUNTRY, { headers: { Cookie: jar } });
    assert.equal(c.status, 200);
    assert.equal(c.headers['content-type'], 'text/html;charset=UTF-8');
    assertPageMarkup(c.text, 'country', 'Country');
    // The exact body of the reference (A7).
    const post = await as.call('POST', COUNTRY, {
      headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'loginForm=loginForm&loginForm%3Acountry=US&loginForm%3Agather=Submit&javax.faces.ViewState=stateless',
    });
    assert.equal(post.status, 302);
    assert.equal(post.headers.location, `${as.issuer}${CITY}`);
    const city = await as.call('GET', CITY, { headers: { Cookie: jar } });
    assert.equal(city.status, 200);
    assertPageMarkup(city.text, 'city', 'City');
    const done = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'NY' } });
    assert.equal(done.status, 302);
    const location = String(done.headers.location);
    const t3 = queryOf(location).get('ticket') ?? '';
    assert.equal(location, `${CRU}?state=S1&ticket=${t3}`);
    assert.notEqual(t3, t2);
    // T2 → T3 with the same attributes; the claims are in the ticket's PCT (§5).
    assert.deepEqual(as.store.permissionsByTicket(t2), []);
    const [perm] = as.store.permissionsByTicket(t3);
    assert.equal(perm.attributes.gathering_id, 'sampleClaimsGathering');
    const pct = as.store.pct(perm.attributes.pct);
    assert.equal(pct?.claims.get('country'), 'US');
    assert.equal(pct?.claims.get('city'), 'NY');
    const rpt = await as.token(s.rqp, { ticket: t3 });
    assert.equal(rpt.status, 200, rpt.text);
    assert.equal(rpt.json().pct, perm.attributes.pct);
  });

  it('leaves state out when none was sent: claims_redirect_uri?ticket=T3', async () => {
    const ni = await toNeedInfo(as, s);
    const { last } = await gatherBrowser(as, `${ni.body.redirect_user}&claims_redirect_uri=${CRU}`, 'US', 'NY');
    const t3 = queryOf(String(last.headers.location)).get('ticket');
    assert.equal(last.headers.location, `${CRU}?ticket=${t3}`);
  });

  it('keeps the query of the claims_redirect_uri and adds raw values with "&"', async () => {
    const s2 = await as.setup(['claim_gathering'], { claims_redirect_uri: [`${CRU}?rp=1`] });
    const ni = await toNeedInfo(as, s2);
    const { last } = await gatherBrowser(as, `${ni.body.redirect_user}&claims_redirect_uri=${encodeURIComponent(`${CRU}?rp=1`)}&state=a%2Bb`, 'US', 'NY');
    const location = String(last.headers.location);
    const t3 = location.slice(location.lastIndexOf('=') + 1);
    assert.equal(location, `${CRU}?rp=1&state=a+b&ticket=${t3}`);
  });

  it('accepts any value, even empty ones, and leaves the decision to the token endpoint', async () => {
    const { jar } = await start();
    const c = await as.call('POST', COUNTRY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:country': '' } });
    assert.equal(c.status, 302);
    const done = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'Paris' } });
    assert.equal(done.status, 302);
    const t3 = queryOf(String(done.headers.location)).get('ticket') ?? '';
    const r = await as.token(s.rqp, { ticket: t3 });
    assert.equal(r.status, 403);
    assert.equal(r.json().error, 'forbidden_by_policy');
  });

  it('case 2c: with no claims_redirect_uri the last page stays, 200, no redirect (DIV-AS-06)', async () => {
    const { t2, jar } = await start('');
    await as.call('POST', COUNTRY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:country': 'US' } });
    const done = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'NY' } });
    assert.equal(done.status, 200);
    assert.equal(done.headers.location, undefined);
    assertPageMarkup(done.text, 'city', 'City');
    // The ticket was still replaced: T2 is dead.
    assert.deepEqual(as.store.permissionsByTicket(t2), []);
  });

  it('re-renders the page (200) when the field or the button is missing, and does not advance', async () => {
    const { jar } = await start();
    const noField = await as.call('POST', COUNTRY, { headers: { Cookie: jar }, form: { ...PAGE_FORM } });
    assert.equal(noField.status, 200);
    assertPageMarkup(noField.text, 'country', 'Country');
    const noButton = await as.call('POST', COUNTRY, { headers: { Cookie: jar }, form: { loginForm: 'loginForm', 'loginForm:country': 'US', 'javax.faces.ViewState': 'stateless' } });
    assert.equal(noButton.status, 200);
    // Still on step 1: submitting the city page now gathers nothing.
    const early = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'NY' } });
    assert.equal(early.status, 200);
    assert.equal(early.headers.location, undefined);
  });

  it('stays on the page when the city is submitted again after completion', async () => {
    const { jar } = await start();
    await as.call('POST', COUNTRY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:country': 'US' } });
    const done = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'NY' } });
    assert.equal(done.status, 302);
    const again = await as.call('POST', CITY, { headers: { Cookie: jar }, form: { ...PAGE_FORM, 'loginForm:city': 'NY' } });
    assert.equal(again.status, 200);
  });

  it('renders the City page for city.htm opened straight after gather_claims (the session\'s step decides, UmaGatherer lines 197-210)', async () => {
    const { jar } = await start();
    const r = await as.call('GET', CITY, { headers: { Cookie: jar } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html;charset=UTF-8');
    assert.equal(r.headers.location, undefined);
    assertPageMarkup(r.text, 'city', 'City');
    assert.ok(!r.text.includes('errormsg'));
  });

  it('redirects to the error page with "Failed to gather claims." when the session lost its PCT', async () => {
    const { jar } = await start();
    const sid = /uma_session_id=([^;]+)/.exec(jar)?.[1] ?? '';
    as.store.session(sid)!.attributes.set('pct', 'gone');
    const r = await as.call('GET', CITY, { headers: { Cookie: jar } });
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${as.issuer}/oxauth/error.htm`);
    const page = await as.call('GET', '/oxauth/error.htm', { headers: { Cookie: jar } });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html;charset=UTF-8');
    assert.ok(page.text.includes('<ul id="globalMessage" class="message text-center"><li class="errormsg"> Failed to gather claims. </li></ul>'));
    // The message is shown once.
    const again = await as.call('GET', '/oxauth/error.htm', { headers: { Cookie: jar } });
    assert.ok(!again.text.includes('Failed to gather claims.'));
  });

  it('redirects to the error page when there is no session, and starts one', async () => {
    const r = await as.call('GET', COUNTRY);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${as.issuer}/oxauth/error.htm`);
    assert.equal(r.cookies().length, 3);
    const page = await as.call('GET', '/oxauth/error.htm', { headers: { Cookie: cookieJar(r.cookies()) } });
    assert.ok(page.text.includes('<li class="errormsg"> Failed to gather claims. </li>'));
    const stale = await as.call('POST', COUNTRY, { headers: { Cookie: 'uma_session_id=unknown' }, form: { ...PAGE_FORM, 'loginForm:country': 'US' } });
    assert.equal(stale.status, 302);
    assert.equal(stale.headers.location, `${as.issuer}/oxauth/error.htm`);
  });
});
