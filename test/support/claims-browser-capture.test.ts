// What the claims browser (support/clients/claims-browser.ts) takes for the
// claims redirect, with a real Chromium: only a navigation to the watched
// host, never a subresource the page asks of that host (an image, the
// favicon Chromium asks for after the captured page is shown).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { chooseExecutable, ClaimsBrowserSession, closeSharedBrowser } from '../../support/clients/claims-browser';

const settings = { executablePath: chooseExecutable(), timeoutMs: 5000, tlsInsecure: false };
const WATCHED = 'https://rqp.conformance.invalid/claims-cb';

after(() => closeSharedBrowser());

/** An AS whose one claims page also loads an image from the client's host, then redirects there. */
function claimsServer(): http.Server {
  return http.createServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(302, { Location: `${WATCHED}?ticket=new-ticket&state=s1` });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(
      '<!doctype html><title>Country</title><img src="https://rqp.conformance.invalid/pixel.png">' +
        '<form id="loginForm" method="post" action="/gather"><input type="text" id="loginForm:country"><button id="loginForm:gather">Go</button></form>',
    );
  });
}

test('an image on the watched host is not the claims redirect; the navigation after the submit is', async () => {
  const server = claimsServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/claims`;
  const session = await ClaimsBrowserSession.open(settings, false);
  try {
    session.watch(WATCHED);
    for (const round of [1, 2]) {
      // A second gathering in the same session: nothing left over from the first page shown is taken.
      const outcome = await session.gather(url, { country: 'US' });
      assert.equal(outcome.redirect?.href, `${WATCHED}?ticket=new-ticket&state=s1`, `round ${round}`);
      assert.deepEqual(outcome.pages.map((p) => p.asks), [['country']], `round ${round}`);
    }
  } finally {
    await session.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
