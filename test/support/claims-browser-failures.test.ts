// The browser's failures against a target that is gone, frozen, or merely
// slow (support/clients/claims-browser.ts with support/circuit-breaker.ts),
// with a real Chromium: the environment's failures become EnvironmentError
// naming the component and its origin, a slow page on a healthy server stays
// the scenario's own failure, and no message carries ANSI escapes.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { armBreaker, disarmBreaker } from '../../support/circuit-breaker';
import { chooseExecutable, ClaimsBrowserSession, closeSharedBrowser } from '../../support/clients/claims-browser';
import { chromiumNetFailure, fetchFailure } from '../../support/clients/browser-failures';
import { stripAnsi } from '../../support/ansi';
import { EnvironmentError } from '../../support/errors';

const TIMEOUT_MS = 1500;
const settings = { executablePath: chooseExecutable(), timeoutMs: TIMEOUT_MS, tlsInsecure: false };

after(() => closeSharedBrowser());
afterEach(() => disarmBreaker());

function listenOn(server: net.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

function stop(server: http.Server | net.Server, sockets: Set<net.Socket> = new Set()): Promise<void> {
  for (const s of sockets) s.destroy();
  if (server instanceof http.Server) server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

function armFor(origin: string): ReturnType<typeof armBreaker> {
  return armBreaker({ runId: 'r', httpTimeoutMs: 1000, targets: [{ component: 'authorization server', url: origin }] });
}

async function gatherFails(url: string, answers: Record<string, string> = {}): Promise<Error> {
  const session = await ClaimsBrowserSession.open(settings, false);
  try {
    await session.gather(url, answers);
  } catch (err) {
    return err as Error;
  } finally {
    await session.close();
  }
  assert.fail('the claims gathering did not fail');
}

const CLAIMS_PATH = '/oxauth/restv1/uma/gather_claims?ticket=t0ps3cret';

test('Chromium and fetch failures are read as the network failures they are', () => {
  assert.deepEqual(chromiumNetFailure('page.goto: net::ERR_CONNECTION_REFUSED at https://idp.test/oxauth/x?y=1\nCall log:'), {
    code: 'ERR_CONNECTION_REFUSED',
    words: 'refused the connection (nothing listens there)',
    url: 'https://idp.test/oxauth/x?y=1',
  });
  for (const code of ['ERR_CONNECTION_RESET', 'ERR_TIMED_OUT', 'ERR_NAME_NOT_RESOLVED', 'ERR_CONNECTION_TIMED_OUT', 'ERR_ADDRESS_UNREACHABLE']) {
    assert.equal(chromiumNetFailure(`net::${code}`)?.code, code);
  }
  // A navigation superseded by another is not the network's failure.
  assert.equal(chromiumNetFailure('net::ERR_ABORTED at https://idp.test/'), undefined);
  assert.equal(fetchFailure(new Error('apiRequestContext.fetch: connect ECONNREFUSED 127.0.0.1:1'), 'u').abort, 'connectionrefused');
  assert.equal(fetchFailure(new Error('socket hang up'), 'u').abort, 'connectionreset');
  const timeout = new Error('route.fetch: Timeout 1500ms exceeded.');
  timeout.name = 'TimeoutError';
  assert.equal(fetchFailure(timeout, 'u').failure.code, 'ERR_TIMED_OUT');
  assert.equal(fetchFailure(new Error('getaddrinfo ENOTFOUND idp.test'), 'u').abort, 'namenotresolved');
  assert.equal(fetchFailure(new Error('something else'), 'u').failure.words, 'could not be loaded');
});

test('ANSI escapes are stripped: colours, OSC links', () => {
  assert.equal(stripAnsi('\u001b[2m  - navigating to "x"\u001b[22m \u001b]8;;http://a\u0007link\u001b]8;;\u0007 \u001b[31;1mred\u001b[0m'), '  - navigating to "x" link red');
  assert.equal(stripAnsi('plain'), 'plain');
});

test('a claims-gathering page on an AS that is gone: EnvironmentError naming it, and the breaker opens', async () => {
  const s = net.createServer();
  const origin = await listenOn(s);
  await stop(s);
  const breaker = armFor(origin);
  const err = await gatherFails(`${origin}${CLAIMS_PATH}`);
  assert.ok(err instanceof EnvironmentError, `${err.name}: ${err.message}`);
  assert.equal(err.message, `authorization server at ${origin} refused the connection (nothing listens there) (in the browser); it did not answer a health probe either, so the run stops here (circuit breaker)`);
  assert.equal(breaker.current()?.origin, origin);
  // Open: the next page is not even tried.
  const next = await gatherFails(`${origin}${CLAIMS_PATH}`);
  assert.match(next.message, /not tried: it stopped answering earlier in this run/);
});

test('a frozen AS: given up after the browser timeout plus one probe, as EnvironmentError', async () => {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => sockets.add(sock));
  const origin = await listenOn(s);
  try {
    armFor(origin);
    const started = performance.now();
    const err = await gatherFails(`${origin}${CLAIMS_PATH}`);
    const took = performance.now() - started;
    assert.ok(err instanceof EnvironmentError, `${err.name}: ${err.message}`);
    assert.match(err.message, new RegExp(`^authorization server at ${origin} did not answer in time: no page within ${TIMEOUT_MS} ms \\(in the browser\\); it did not answer a health probe either`));
    assert.ok(took < TIMEOUT_MS + 500 + 1500, `took ${Math.round(took)} ms`);
  } finally {
    await stop(s, sockets);
  }
});

test('a slow page on an AS that answers its probe: the timeout stays the scenario\'s own, without escapes; the breaker stays closed', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/') return res.writeHead(302, { location: '/oxauth' }).end();
    // The claims-gathering page never comes.
  });
  const origin = await listenOn(server);
  try {
    const breaker = armFor(origin);
    const err = await gatherFails(`${origin}${CLAIMS_PATH}`);
    assert.equal(err.name, 'TimeoutError', err.message);
    assert.ok(!err.message.includes('\u001b') && !(err.stack ?? '').includes('\u001b'), `escapes left: ${JSON.stringify(err.message)}`);
    assert.equal(breaker.current(), undefined);
  } finally {
    await stop(server);
  }
});

test('a form posted to an AS that drops the connection: EnvironmentError, not a page the checks would judge', async () => {
  const page = `<!doctype html><title>Country</title><form id="loginForm" method="post" action="/submit"><input type="text" id="loginForm:country" name="c"><button id="loginForm:gather" type="submit">Go</button></form>`;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  const origin = await listenOn(server);
  try {
    const breaker = armFor(origin);
    const err = await gatherFails(`${origin}${CLAIMS_PATH}`, { country: 'US' });
    assert.ok(err instanceof EnvironmentError, `${err.name}: ${err.message}`);
    assert.equal(err.message, `authorization server at ${origin} closed the connection without answering (in the browser)`);
    assert.equal(breaker.current(), undefined, 'the AS still answers: one dropped connection does not open the breaker');
  } finally {
    await stop(server);
  }
});
