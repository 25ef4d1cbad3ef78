// The circuit breaker's rules (support/circuit-breaker.ts), the HTTP
// client's use of it (support/http.ts), and the health probe against real
// sockets: refused, frozen (accepts, never answers), answering with an error.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  armBreaker,
  BREAKER_FILE,
  breakerLine,
  CircuitBreaker,
  disarmBreaker,
  originAnswers,
  probeTimeoutMs,
  readBreakerMarker,
  skipReason,
  type Target,
} from '../../support/circuit-breaker';
import { EnvironmentError, HttpClient } from '../../support/http';

const TARGETS: Target[] = [
  { component: 'Kong Admin API', url: 'http://kong.test:8001' },
  { component: 'Kong proxy', url: 'http://kong.test:8000/' },
  { component: 'oxd', url: 'https://gg.test:8443' },
  { component: 'authorization server', url: 'https://idp.test/oxauth' },
];

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-'));
}

/** A probe whose answers the test decides, counting its calls. */
function fakeProbe(down: string[]) {
  const calls: string[] = [];
  return {
    calls,
    probe: async (origin: string) => {
      calls.push(origin);
      return !down.includes(origin);
    },
  };
}

afterEach(() => disarmBreaker());

test('the probe is bounded by half the HTTP timeout, from 0.5 s to 3 s', () => {
  assert.equal(probeTimeoutMs(2000), 1000);
  assert.equal(probeTimeoutMs(10_000), 3000);
  assert.equal(probeTimeoutMs(100), 500);
});

test('a failure whose origin answers the probe leaves the breaker closed (a single slow answer)', async () => {
  const p = fakeProbe([]);
  const b = new CircuitBreaker({ runId: 'r', httpTimeoutMs: 2000, targets: TARGETS, probe: p.probe });
  assert.equal(await b.afterNetworkFailure('Kong proxy', 'http://kong.test:8000/posts/1', 'did not answer in time'), undefined);
  assert.equal(b.current(), undefined);
  assert.equal(b.notTried('http://kong.test:8000/posts/1'), undefined);
  assert.deepEqual(p.calls.sort(), ['http://kong.test:8000', 'http://kong.test:8001', 'https://gg.test:8443', 'https://idp.test'].sort());
});

test('a failure whose origin does not answer the probe opens it; only the origins that did not answer are refused', async () => {
  const p = fakeProbe(['http://kong.test:8000', 'https://gg.test:8443']);
  const b = new CircuitBreaker({ runId: 'r', httpTimeoutMs: 2000, targets: TARGETS, probe: p.probe });
  const open = await b.afterNetworkFailure('Kong proxy', 'http://kong.test:8000/posts/1?x=1', 'refused the connection (nothing listens there)');
  assert.deepEqual(open, {
    runId: 'r',
    component: 'Kong proxy',
    origin: 'http://kong.test:8000',
    reason: 'refused the connection (nothing listens there)',
    probeMs: 1000,
    down: [
      { component: 'Kong proxy', origin: 'http://kong.test:8000' },
      { component: 'oxd', origin: 'https://gg.test:8443' },
    ],
  });
  assert.match(b.notTried('http://kong.test:8000/other') ?? '', /^not tried: it stopped answering earlier in this run \(circuit breaker open\)$/);
  assert.match(b.notTried('https://gg.test:8443/uma-rp-get-rpt') ?? '', /^not tried/);
  assert.equal(b.notTried('http://kong.test:8001/services'), undefined, 'the Kong Admin API answered: the clean-up may still use it');
  // Open for good: no further probing.
  const before = p.calls.length;
  assert.equal(await b.afterNetworkFailure('oxd', 'https://gg.test:8443/x', 'reset'), open);
  assert.equal(p.calls.length, before);
});

test('a URL the deployment handed out (not a configured target) never opens it, and is not probed', async () => {
  const p = fakeProbe(['https://staging-idp.conformance.invalid']);
  const b = new CircuitBreaker({ runId: 'r', httpTimeoutMs: 2000, targets: TARGETS, probe: p.probe });
  assert.equal(await b.afterNetworkFailure('authorization server', 'https://staging-idp.conformance.invalid/.well-known/uma2-configuration', 'does not resolve'), undefined);
  assert.deepEqual(p.calls, []);
});

test('failures that arrive together share one probe round', async () => {
  const p = fakeProbe(['http://kong.test:8000', 'http://kong.test:8001', 'https://gg.test:8443', 'https://idp.test']);
  const b = new CircuitBreaker({ runId: 'r', httpTimeoutMs: 2000, targets: TARGETS, probe: p.probe });
  const [a, c] = await Promise.all([
    b.afterNetworkFailure('Kong proxy', 'http://kong.test:8000/a', 'reset'),
    b.afterNetworkFailure('oxd', 'https://gg.test:8443/b', 'reset'),
  ]);
  assert.equal(p.calls.length, TARGETS.length);
  assert.ok(a && c);
  assert.equal(a, c, 'one breaker, opened once');
});

test('a probe that throws counts as no answer', async () => {
  const b = new CircuitBreaker({ runId: 'r', httpTimeoutMs: 2000, targets: TARGETS, probe: () => Promise.reject(new Error('boom')) });
  assert.ok(await b.afterNetworkFailure('oxd', 'https://gg.test:8443/b', 'reset'));
});

test('workers share the open breaker through the marker file; the first one to open it is the breaker', async () => {
  const dir = scratch();
  const markerFile = path.join(dir, BREAKER_FILE);
  const down = fakeProbe(['http://kong.test:8000', 'https://gg.test:8443']);
  const one = new CircuitBreaker({ runId: 'run1', httpTimeoutMs: 2000, targets: TARGETS, markerFile, probe: down.probe });
  const two = new CircuitBreaker({ runId: 'run1', httpTimeoutMs: 2000, targets: TARGETS, markerFile, probe: down.probe });
  assert.equal(two.current(), undefined);
  const opened = await one.afterNetworkFailure('Kong proxy', 'http://kong.test:8000/', 'reset');
  assert.deepEqual(two.current(), opened);
  assert.match(two.notTried('https://gg.test:8443/x') ?? '', /^not tried/);
  // A worker whose own probe round was under way when the other opened it adopts the other's.
  const three = new CircuitBreaker({ runId: 'run1', httpTimeoutMs: 2000, targets: TARGETS, markerFile, probe: down.probe });
  fs.renameSync(markerFile, `${markerFile}.hidden`);
  const racing = three.afterNetworkFailure('oxd', 'https://gg.test:8443/', 'timed out');
  fs.renameSync(`${markerFile}.hidden`, markerFile);
  assert.deepEqual(await racing, opened);
  assert.deepEqual(readBreakerMarker(dir, 'run1'), opened);
  assert.deepEqual(fs.readdirSync(dir), [BREAKER_FILE], 'no file written aside is left');
  fs.rmSync(dir, { recursive: true, force: true });
});

test("another run's marker is not this run's breaker; a damaged one is none", () => {
  const dir = scratch();
  const markerFile = path.join(dir, BREAKER_FILE);
  fs.writeFileSync(markerFile, JSON.stringify({ runId: 'earlier', component: 'Kong proxy', origin: 'http://kong.test:8000', reason: 'x', probeMs: 1, down: [] }));
  const b = new CircuitBreaker({ runId: 'now', httpTimeoutMs: 2000, targets: TARGETS, markerFile });
  assert.equal(b.current(), undefined);
  assert.equal(readBreakerMarker(dir, 'now'), undefined);
  fs.writeFileSync(markerFile, '{"runId":"now", "comp');
  assert.equal(b.current(), undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the launcher line names the component and its origin once, the skip reason the component only', () => {
  const open = {
    runId: 'r',
    component: 'Kong proxy',
    origin: 'http://kong.test:8000',
    reason: 'refused the connection (nothing listens there)',
    probeMs: 1000,
    down: [
      { component: 'Kong proxy', origin: 'http://kong.test:8000' },
      { component: 'oxd', origin: 'https://gg.test:8443' },
    ],
  };
  assert.equal(
    breakerLine(open),
    'The target stopped answering mid-run: Kong proxy at http://kong.test:8000 refused the connection (nothing listens there), and did not answer a health probe within 1000 ms (nor did oxd at https://gg.test:8443); the circuit breaker stopped the run: the scenarios not started by then were not run.',
  );
  assert.equal(skipReason(open), 'Skipped: not run, Kong proxy stopped answering mid-run (circuit breaker open).');
});

// ---- the health probe, against real sockets ----

function listenOn(server: http.Server | net.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

async function closedOrigin(): Promise<string> {
  const s = net.createServer();
  const origin = await listenOn(s);
  await new Promise((r) => s.close(r));
  return origin;
}

/** Accepts connections and never answers: what a SIGSTOPped process looks like from outside (the kernel still accepts). */
async function frozenServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => sockets.add(sock));
  const origin = await listenOn(s);
  return {
    origin,
    close: () =>
      new Promise((r) => {
        for (const sock of sockets) sock.destroy();
        s.close(() => r());
      }),
  };
}

test('the probe: any HTTP answer is up, a refused connection or no answer within the bound is down', async () => {
  const answering = http.createServer((_req, res) => res.writeHead(500).end('broken but there'));
  const up = await listenOn(answering);
  const frozen = await frozenServer();
  try {
    assert.equal(await originAnswers(up, 1000), true);
    assert.equal(await originAnswers(await closedOrigin(), 1000), false);
    const started = performance.now();
    assert.equal(await originAnswers(frozen.origin, 300), false);
    const took = performance.now() - started;
    assert.ok(took >= 250 && took < 1500, `the probe of a frozen server took ${Math.round(took)} ms (bound 300 ms)`);
    assert.equal(await originAnswers('not a url', 300), false);
  } finally {
    answering.closeAllConnections();
    await new Promise((r) => answering.close(r));
    await frozen.close();
  }
});

// ---- the HTTP client with an armed breaker ----

test('HTTP: a target that goes away opens the breaker; the next request is not tried, and fails at once', async () => {
  const dead = await closedOrigin();
  armBreaker({ runId: 'r', httpTimeoutMs: 1000, targets: [{ component: 'Kong proxy', url: dead }] });
  const client = new HttpClient('Kong proxy', { timeoutMs: 1000, tlsInsecure: false });
  await assert.rejects(client.get(`${dead}/posts/1?token=abc`), (err: Error) => {
    assert.ok(err instanceof EnvironmentError);
    assert.equal(err.message, `Kong proxy at ${dead} refused the connection (nothing listens there); it did not answer a health probe either, so the run stops here (circuit breaker)`);
    return true;
  });
  const started = performance.now();
  await assert.rejects(client.get(`${dead}/posts/2`), new RegExp(`^EnvironmentError: Kong proxy at ${dead} not tried: it stopped answering earlier in this run`));
  assert.ok(performance.now() - started < 50, 'a request to a dead origin was not refused at once');
});

test('HTTP: a frozen target is given up within its timeout plus one probe', async () => {
  const frozen = await frozenServer();
  try {
    armBreaker({ runId: 'r', httpTimeoutMs: 600, targets: [{ component: 'oxd', url: frozen.origin }] });
    const client = new HttpClient('oxd', { timeoutMs: 600, tlsInsecure: false });
    const started = performance.now();
    await assert.rejects(client.postJson(`${frozen.origin}/uma-rp-get-rpt`, {}), /^EnvironmentError: oxd at http:\/\/127\.0\.0\.1:\d+ did not answer in time: no answer within 600 ms; it did not answer a health probe either/);
    const took = performance.now() - started;
    // 600 ms timeout + a 500 ms probe (probeTimeoutMs' floor).
    assert.ok(took < 600 + 500 + 500, `took ${Math.round(took)} ms`);
  } finally {
    await frozen.close();
  }
});

test('HTTP: one slow answer on a healthy target fails that request only; the breaker stays closed', async () => {
  let first = true;
  const server = http.createServer((req, res) => {
    if (req.url === '/slow' && first) {
      first = false;
      return; // never answered
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const origin = await listenOn(server);
  try {
    const b = armBreaker({ runId: 'r', httpTimeoutMs: 500, targets: [{ component: 'Kong Admin API', url: origin }] });
    const client = new HttpClient('Kong Admin API', { timeoutMs: 500, tlsInsecure: false });
    await assert.rejects(client.get(`${origin}/slow`), (err: Error) => err instanceof EnvironmentError && /did not answer in time: no answer within 500 ms$/.test(err.message));
    assert.equal(b.current(), undefined);
    assert.equal((await client.get(`${origin}/slow`)).response.status, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('HTTP: without an armed breaker (the launcher, the doctor) nothing is probed and the message is unchanged', async () => {
  const dead = await closedOrigin();
  const client = new HttpClient('Kong Admin API', { timeoutMs: 1000, tlsInsecure: false });
  await assert.rejects(client.get(`${dead}/`), { name: 'EnvironmentError', message: `Kong Admin API at ${dead} refused the connection (nothing listens there)` });
});

test('HTTP: a connection dropped without an answer (socket hang up) on a target that still answers: EnvironmentError, breaker closed', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/drop') return req.socket.destroy();
    res.writeHead(404).end();
  });
  const origin = await listenOn(server);
  try {
    const b = armBreaker({ runId: 'r', httpTimeoutMs: 1000, targets: [{ component: 'oxd', url: origin }] });
    const client = new HttpClient('oxd', { timeoutMs: 1000, tlsInsecure: false });
    await assert.rejects(client.get(`${origin}/drop`), { name: 'EnvironmentError', message: `oxd at ${origin} closed the connection without answering` });
    assert.equal(b.current(), undefined);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
