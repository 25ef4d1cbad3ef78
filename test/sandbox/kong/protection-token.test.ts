// The plugins' protection token around its expiry (issue 14 items 7 and 11;
// kong-common.lua get_protection_token lines 86–176 @ version_4.2.2,
// gateway.md §7): reused until 5 s after expiry, so a token oxd already
// refuses gives 502 for those seconds; a renewal that gets no answer leaves
// refresh_pending set and every later request of the worker waits 1 s for 502.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness, type Reply } from './harness';

const LIFETIME = 3;

function clock() {
  let offset = 0;
  return { now: () => Date.now() / 1000 + offset, advance: (s: number) => (offset += s) };
}

/** GG's own 502 (kong-common unexpected_error) as the proxy writes it. */
function assertGatewayUnexpectedError(r: Reply): void {
  assert.equal(r.status, 502, r.text);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(r.text, '{"message":"An unexpected error ocurred"}');
  assert.equal(r.headers.server, 'kong/2.2.1');
  assert.match(String(r.headers['x-kong-response-latency']), /^\d+$/);
  assert.equal(r.headers['www-authenticate'], undefined);
}

/**
 * oxd in front of an AS whose tokens live LIFETIME s: get-client-token hands
 * out AT-1, AT-2, …; a command with an expired one is refused as oxd does
 * (ValidationService.introspect lines 166–168: 403 inactive_access_token).
 */
async function bench(c: ReturnType<typeof clock>, extra: { refreshToken?: boolean } = {}): Promise<Harness> {
  const h = await startHarness({ now: c.now });
  await h.tutorial();
  const issued = new Map<string, number>();
  h.oxd.script('get-client-token', () => {
    const token = `AT-${issued.size + 1}`;
    issued.set(token, c.now());
    return { status: 200, body: { access_token: token, expires_in: LIFETIME, scope: ['openid', 'oxd'], ...(extra.refreshToken ? { refresh_token: `RT-${issued.size}` } : {}) } };
  });
  h.oxd.script('uma-rs-check-access', (_body, call) => {
    const at = issued.get(String(call.authorization).replace(/^Bearer /, ''));
    if (at !== undefined && at + LIFETIME > c.now()) return undefined;
    return { status: 403, body: { error: 'inactive_access_token', error_description: 'Inactive access_token.' } };
  });
  return h;
}

test('the window: from the expiry until 5 s after it the expired token is sent and the answer is 502; then a new token and 401 again', async () => {
  const c = clock();
  const h = await bench(c);
  try {
    assert.equal((await h.get('/posts/1')).status, 401);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access']);
    // Expired at the AS 0.5 s ago, and 4 s ago: GG still sends it.
    for (const step of [LIFETIME + 0.5, 3.5]) {
      h.oxd.clearCalls();
      c.advance(step);
      assertGatewayUnexpectedError(await h.get('/posts/1'));
      assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access'], 'no renewal yet');
      assert.equal(h.oxd.calls[0].authorization, 'Bearer AT-1');
    }
    // expire = floor(t0) + 3 is kept while expire > floor(now) - 5: at t0 + 8 it is not.
    h.oxd.clearCalls();
    c.advance(1);
    const r = await h.get('/posts/1');
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /ticket="/);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access']);
    assert.equal(h.oxd.calls[1].authorization, 'Bearer AT-2');
  } finally {
    await h.close();
  }
});

test('item 7: a refresh-token renewal that gets no answer (500) leaves refresh_pending set: every later request waits 1 s, then 502, without calling oxd', async () => {
  const c = clock();
  const h = await bench(c, { refreshToken: true });
  try {
    await h.get('/posts/1');
    c.advance(LIFETIME + 5);
    h.oxd.script('get-access-token-by-refresh-token', () => 'unreachable');
    const lost = await h.get('/posts/1', { Accept: 'application/json' });
    assert.equal(lost.status, 500, 'the nil response is indexed: a Lua error');
    assert.deepEqual(lost.json, { message: 'An unexpected error occurred' });
    h.oxd.unscript('get-access-token-by-refresh-token');
    for (let i = 0; i < 2; i++) {
      h.oxd.clearCalls();
      const started = Date.now();
      assertGatewayUnexpectedError(await h.get('/posts/1'));
      // MAX_PENDING_SLEEP_MS × PENDING_SLEEP_SEC = 200 × 5 ms
      assert.ok(Date.now() - started >= 1000, `waited ${Date.now() - started} ms`);
      assert.deepEqual(h.oxd.commands(), [], 'no renewal: the flag is never cleared');
    }
  } finally {
    await h.close();
  }
});

test('a get-client-token renewal that gets no answer (500) clears the flag first (line 165): the next request renews', async () => {
  const c = clock();
  const h = await bench(c);
  try {
    await h.get('/posts/1');
    c.advance(LIFETIME + 5);
    h.oxd.clearCalls();
    h.oxd.script('get-client-token', () => 'unreachable');
    assert.equal((await h.get('/posts/1', { Accept: 'application/json' })).status, 500);
    assert.deepEqual(h.oxd.commands(), ['get-client-token']);
    // oxd's own answers again: a fresh token, which check-access takes.
    h.oxd.unscript('get-client-token');
    h.oxd.unscript('uma-rs-check-access');
    h.oxd.clearCalls();
    const started = Date.now();
    const r = await h.get('/posts/1');
    assert.equal(r.status, 401, r.text);
    assert.ok(Date.now() - started < 1000, 'no wait');
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access']);
  } finally {
    await h.close();
  }
});

test('a request during a get-client-token renewal waits for it, and still answers 502: the token it holds is the stale one', async () => {
  const c = clock();
  const h = await bench(c);
  try {
    await h.get('/posts/1');
    c.advance(LIFETIME + 5);
    h.oxd.clearCalls();
    h.oxd.script('get-client-token', () => ({ status: 200, body: { access_token: 'AT-slow', expires_in: 299, scope: ['openid', 'oxd'] }, delayMs: 300 }));
    h.oxd.unscript('uma-rs-check-access');
    const first = h.get('/posts/1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await h.get('/posts/1');
    assertGatewayUnexpectedError(second);
    assert.equal((await first).status, 401);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access'], 'one renewal; the waiting request calls nothing');
    assert.equal((await h.get('/posts/1')).status, 401, 'later requests use the new token');
  } finally {
    await h.close();
  }
});

test('a request during a refresh-token renewal waits the full second: the flag is cleared on the new table only', async () => {
  const c = clock();
  const h = await bench(c, { refreshToken: true });
  try {
    await h.get('/posts/1');
    c.advance(LIFETIME + 5);
    h.oxd.clearCalls();
    h.oxd.script('get-access-token-by-refresh-token', () => ({ status: 200, body: { access_token: 'AT-refreshed', expires_in: 299 }, delayMs: 300 }));
    h.oxd.unscript('uma-rs-check-access');
    const first = h.get('/posts/1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const second = await h.get('/posts/1');
    assertGatewayUnexpectedError(second);
    assert.ok(Date.now() - started >= 1000, `waited ${Date.now() - started} ms`);
    assert.equal((await first).status, 401);
    assert.deepEqual(h.oxd.commands(), ['get-access-token-by-refresh-token', 'uma-rs-check-access']);
    assert.equal(h.oxd.calls[1].authorization, 'Bearer AT-refreshed');
  } finally {
    await h.close();
  }
});

test('fault protection-token-never-renewed: the expired token is sent for good, 502 long after the window', async () => {
  const c = clock();
  const h = await startHarness({ now: c.now, faults: ['protection-token-never-renewed'] });
  try {
    await h.tutorial();
    const t0 = c.now();
    h.oxd.script('get-client-token', () => ({ status: 200, body: { access_token: 'AT-1', expires_in: LIFETIME, scope: ['openid', 'oxd'] } }));
    h.oxd.script('uma-rs-check-access', (_body, call) => (call.authorization === 'Bearer AT-1' && c.now() >= t0 + LIFETIME ? { status: 403, body: { error: 'inactive_access_token' } } : undefined));
    assert.equal((await h.get('/posts/1')).status, 401);
    c.advance(LIFETIME + 60);
    h.oxd.clearCalls();
    assertGatewayUnexpectedError(await h.get('/posts/1'));
    assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access']);
  } finally {
    await h.close();
  }
});
