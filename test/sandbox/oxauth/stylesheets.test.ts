// Issue 14 item 1: the sample claims-gathering pages link their three stylesheets where oxAuth 4.2
// serves them (cssLocation empty → /oxauth/stylesheet/…), and those answers are pinned.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRU, cookieJar, startAs, toNeedInfo, type TestAs } from './harness';

describe('oxAuth stylesheets (cssLocation empty, as CES 4.2 ships it)', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('country.htm links theme.xcss, theme.css and site.css under /oxauth/stylesheet/, and each is served', async () => {
    const s = await as.setup();
    const ni = await toNeedInfo(as, s);
    const r = await as.call('GET', `${ni.body.redirect_user}&claims_redirect_uri=${CRU}&state=S1`);
    const page = await as.call('GET', '/oxauth/uma2/sample/country.htm', { headers: { Cookie: cookieJar(r.cookies()) } });
    assert.equal(page.status, 200);
    const links = [...page.text.matchAll(/<link type="text\/css" rel="stylesheet" href="([^"]+)" \/>/g)].map((m) => m[1]);
    assert.deepEqual(links, ['/oxauth/stylesheet/theme.xcss', '/oxauth/stylesheet/theme.css', '/oxauth/stylesheet/site.css']);
    for (const href of links) {
      const css = await as.call('GET', href);
      assert.equal(css.status, 200, href);
      assert.equal(css.headers['content-type'], 'text/css', href);
      assert.equal(css.headers['cache-control'], 'max-age=3600', href);
      // None of the three hides the template's "Loading..." banner (class "modal"): only Bootstrap does.
      assert.doesNotMatch(css.text, /\.modal/, href);
    }
    assert.match((await as.call('GET', '/oxauth/stylesheet/theme.css')).text, /^html \{ overflow-y: scroll; \}\nbody \{ font-size: 12px; margin: 0;/);
    assert.match((await as.call('GET', '/oxauth/stylesheet/site.css')).text, /\.alignCenter \{ text-align: center; \}/);
  });

  it('the login page\'s Bootstrap hides .modal; /oxauth/ext/resources/stylesheet/ has nothing (404, empty body)', async () => {
    assert.match((await as.call('GET', '/oxauth/stylesheet/bootstrap.min.css')).text, /\.modal \{ display: none; \}/);
    const ext = await as.call('GET', '/oxauth/ext/resources/stylesheet/theme.css');
    assert.equal(ext.status, 404);
    assert.equal(ext.text, '');
  });
});
