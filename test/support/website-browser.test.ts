// The second tutorial's browser (support/clients/website-browser.ts) with a
// real Chromium against small local servers: a page it cannot load is the
// environment's failure and tells the circuit breaker; nothing reaches an
// origin other than the target's (sub-resources and documents alike); a
// navigation asked to be held is held also when a redirect makes it.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { armBreaker, disarmBreaker } from '../../support/circuit-breaker';
import { chooseExecutable, closeSharedBrowser } from '../../support/clients/claims-browser';
import { bypassList, WebsiteBrowser } from '../../support/clients/website-browser';
import { EnvironmentError } from '../../support/errors';

const settings = { executablePath: chooseExecutable(), timeoutMs: 5000, tlsInsecure: false };

after(() => closeSharedBrowser());
afterEach(() => disarmBreaker());

function listen(handler?: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` })));
}

function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

async function withBrowser<T>(origins: Record<string, string>, use: (b: WebsiteBrowser) => Promise<T>): Promise<T> {
  const b = await WebsiteBrowser.open(settings, origins, false);
  try {
    return await use(b);
  } finally {
    await b.close();
  }
}

test('the bypass list names each target as host:port and sends loopback through the proxy too', () => {
  assert.equal(bypassList(['http://127.0.0.1:8443', 'https://gg.example.org', 'http://ce.example.org']), '<-loopback>,127.0.0.1:8443,gg.example.org:443,ce.example.org:80');
});

test('a gateway that is gone: EnvironmentError naming the component and its origin, and the breaker opens', async () => {
  const { server, origin } = await listen();
  await stop(server);
  const breaker = armBreaker({ runId: 'r', httpTimeoutMs: 1000, targets: [{ component: 'Kong proxy', url: origin }] });
  const err = await withBrowser({ [origin]: 'Kong proxy' }, (b) => b.open(`${origin}/settings/`).then(() => undefined, (e: unknown) => e as Error));
  assert.ok(err instanceof EnvironmentError, `${String(err)}`);
  assert.equal(err.message, `Kong proxy at ${origin} refused the connection (nothing listens there) (in the browser); it did not answer a health probe either, so the run stops here (circuit breaker)`);
  assert.equal(breaker.current()?.origin, origin);
  assert.equal(breaker.current()?.component, 'Kong proxy');
});

test('a gateway that is gone without a breaker armed: still EnvironmentError, named as the website', async () => {
  const { server, origin } = await listen();
  await stop(server);
  const err = await withBrowser({ [origin]: 'Kong proxy' }, (b) => b.open(`${origin}/settings/`).then(() => undefined, (e: unknown) => e as Error));
  assert.ok(err instanceof EnvironmentError, `${String(err)}`);
  assert.equal(err.message, `the website through the gateway at ${origin} refused the connection (nothing listens there) (in the browser)`);
});

test('a page that loads: its exchange recorded; the sub-resources on other origins never leave the browser', async () => {
  const foreignSaw: string[] = [];
  const foreign = await listen((req, res) => {
    foreignSaw.push(req.url ?? '');
    res.end('/* nothing */');
  });
  const fport = new URL(foreign.origin).port;
  const target = await listen((req, res) => {
    if (req.url === '/style.css') return void res.writeHead(200, { 'content-type': 'text/css' }).end('h1 { color: green }');
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><title>Settings</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/style.css">` +
        `<link rel="stylesheet" href="http://127.0.0.1:${fport}/cdn.css"><script src="http://localhost:${fport}/cdn.js"></script>` +
        `<img src="http://[::1]:${fport}/logo.png"><h1>Profile settings</h1>`,
    );
  });
  try {
    const nav = await withBrowser({ [target.origin]: 'Kong proxy' }, (b) => b.open(`${target.origin}/settings/`));
    assert.equal(nav.final.status, 200);
    assert.deepEqual(nav.final.headings, ['Profile settings']);
    assert.deepEqual(
      nav.exchanges.map((e) => [e.target, e.response.status, e.request.url]),
      [['browser → Kong proxy', 200, `${target.origin}/settings/`]],
    );
    assert.deepEqual(foreignSaw, []);
  } finally {
    await Promise.all([stop(target.server), stop(foreign.server)]);
  }
});

test('a redirect out of the target: refused in the browser, and the step says where it was sent', async () => {
  const foreignSaw: string[] = [];
  const foreign = await listen((req, res) => {
    foreignSaw.push(req.url ?? '');
    res.end('elsewhere');
  });
  const target = await listen((_req, res) => void res.writeHead(302, { location: `${foreign.origin}/elsewhere` }).end());
  try {
    const err = await withBrowser({ [target.origin]: 'Kong proxy' }, (b) => b.open(`${target.origin}/settings/`).then(() => undefined, (e: unknown) => e as Error));
    assert.ok(err instanceof Error);
    assert.equal(err.message, `the browser was sent to ${foreign.origin}, which is neither the gateway's nor the authorization server's origin; the suite lets the browser reach no other origin`);
    assert.deepEqual(foreignSaw, []);
  } finally {
    await Promise.all([stop(target.server), stop(foreign.server)]);
  }
});

test('a held navigation reached through a redirect is answered by the suite, not sent', async () => {
  const saw: string[] = [];
  const target = await listen((req, res) => {
    saw.push(req.url ?? '');
    if (req.url === '/start') return void res.writeHead(302, { location: '/callback?code=c1&state=s1' }).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>callback</title>');
  });
  try {
    const nav = await withBrowser({ [target.origin]: 'Kong proxy' }, (b) => {
      b.hold((u) => u.pathname === '/callback');
      return b.open(`${target.origin}/start`);
    });
    assert.equal(nav.held?.href, `${target.origin}/callback?code=c1&state=s1`);
    assert.deepEqual(saw, ['/start']);
    assert.deepEqual(
      nav.exchanges.map((e) => e.response.status),
      [302],
    );
  } finally {
    await stop(target.server);
  }
});
