// gateway.md §7 (oxd calls per request kind, in order, with their bodies)
// and §8 (caching: introspection, grants, denials, protection token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRsaSigningKey, signJwt } from '../doubles/rsa-signing-key';
import { C_ID, P_ID, P_OXD, P_SECRET, startHarness, type Harness, type TutorialOptions } from './harness';

interface Clock {
  now: () => number;
  advance(seconds: number): void;
}

function clock(): Clock {
  let offset = 0;
  return { now: () => Date.now() / 1000 + offset, advance: (s) => (offset += s) };
}

async function bench(options: TutorialOptions = {}, c?: Clock, protect?: Record<string, string[]>): Promise<Harness> {
  const h = await startHarness({ now: c?.now, oxd: protect ? { protect } : undefined });
  await h.tutorial(options);
  return h;
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

test('§7 no token, protected path: get-client-token then uma-rs-check-access {rpt:""}, with exact bodies', async () => {
  const h = await bench();
  try {
    assert.equal((await h.get('/posts/1')).status, 401);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access']);
    const [gct, check] = h.oxd.calls;
    assert.deepEqual(gct.body, { client_id: P_ID, client_secret: P_SECRET, scope: ['openid', 'oxd'], op_host: 'https://as.example.org' });
    assert.equal(gct.authorization, undefined);
    assert.deepEqual(check.body, { oxd_id: P_OXD, rpt: '', path: '/posts/??', http_method: 'GET' });
    assert.match(String(check.authorization), /^Bearer [0-9a-f-]{36}$/);
    h.oxd.clearCalls();
    assert.equal((await h.get('/posts/2')).status, 401);
    assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access'], 'the protection token is cached');
  } finally {
    await h.close();
  }
});

test('§7 RPT on a protected path: get-client-token → introspect-rpt → check-access {rpt}; the repeat makes no oxd call', async () => {
  const h = await bench();
  try {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    assert.equal((await h.get('/posts/1', bearer('RPT'))).status, 200);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt', 'uma-rs-check-access']);
    assert.deepEqual(h.oxd.calls[1].body, { oxd_id: P_OXD, rpt: 'RPT' });
    assert.equal(h.oxd.calls[1].authorization, h.oxd.calls[2].authorization);
    assert.deepEqual(h.oxd.calls[2].body, { oxd_id: P_OXD, rpt: 'RPT', path: '/posts/??', http_method: 'GET' });
    h.oxd.clearCalls();
    assert.equal((await h.get('/posts/77/comments', bearer('RPT'))).status, 200, 'same method + pattern');
    assert.deepEqual(h.oxd.commands(), []);
  } finally {
    await h.close();
  }
});

test('§7/§8 same RPT, other pattern: uma-rs-check-access only', async () => {
  const expression = [
    { path: '/posts/??', conditions: [{ httpMethods: ['GET'] }] },
    { path: '/todos/??', conditions: [{ httpMethods: ['GET'] }] },
  ];
  const h = await bench({ pep: { uma_scope_expression: JSON.stringify(expression) } }, undefined, { '/posts/??': ['GET'], '/todos/??': ['GET'] });
  try {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    await h.get('/posts/1', bearer('RPT'));
    h.oxd.clearCalls();
    assert.equal((await h.get('/todos/1', bearer('RPT'))).status, 200);
    assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access']);
    assert.equal(h.oxd.calls[0].body.path, '/todos/??');
  } finally {
    await h.close();
  }
});

test('§8/Q3 a denial is never cached and clears the introspection entry: the repeat re-introspects and registers a new ticket', async () => {
  const h = await bench();
  try {
    h.oxd.activeRpt('RPT', { client_id: C_ID, grants: [] });
    assert.equal((await h.get('/posts/1', bearer('RPT'))).status, 403);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt', 'uma-rs-check-access']);
    h.oxd.clearCalls();
    assert.equal((await h.get('/posts/1', bearer('RPT'))).status, 403);
    assert.deepEqual(h.oxd.commands(), ['introspect-rpt', 'uma-rs-check-access']);
  } finally {
    await h.close();
  }
});

test('§7/§8 inactive RPT with anonymous set: introspect (active:false), check-access {rpt:""}; inactive is not cached', async () => {
  const h = await bench();
  try {
    assert.equal((await h.get('/posts/1', bearer('dead'))).status, 401);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt', 'uma-rs-check-access']);
    assert.equal(h.oxd.calls[2].body.rpt, '');
    h.oxd.clearCalls();
    await h.get('/posts/1', bearer('dead'));
    assert.deepEqual(h.oxd.commands(), ['introspect-rpt', 'uma-rs-check-access']);
  } finally {
    await h.close();
  }
});

test('§8 the grant and the introspection live until exp - 5 s', async () => {
  const c = clock();
  const h = await bench({}, c);
  try {
    const exp = Math.floor(c.now()) + 20;
    h.oxd.activeRpt('RPT', { client_id: C_ID, exp });
    await h.get('/posts/1', bearer('RPT'));
    h.oxd.clearCalls();
    // expiry at exp - 5 = floor(t0) + 15; half-second margins keep the test off the second boundaries
    c.advance(13.5);
    await h.get('/posts/1', bearer('RPT'));
    assert.deepEqual(h.oxd.commands(), [], 'before exp - 5');
    c.advance(2);
    await h.get('/posts/1', bearer('RPT'));
    assert.deepEqual(h.oxd.commands(), ['introspect-rpt', 'uma-rs-check-access'], 'after exp - 5');
  } finally {
    await h.close();
  }
});

test('§8 an RPT that expires within 5 s is never cached', async () => {
  const c = clock();
  const h = await bench({}, c);
  try {
    h.oxd.activeRpt('RPT', { client_id: C_ID, exp: Math.floor(c.now()) + 3 });
    await h.get('/posts/1', bearer('RPT'));
    h.oxd.clearCalls();
    await h.get('/posts/1', bearer('RPT'));
    assert.deepEqual(h.oxd.commands(), ['introspect-rpt', 'uma-rs-check-access']);
  } finally {
    await h.close();
  }
});

test('§8 a revoked RPT keeps working until exp - 5 s (no re-introspection)', async () => {
  const h = await bench();
  try {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    assert.equal((await h.get('/posts/1', bearer('RPT'))).status, 200);
    h.oxd.revoke('RPT');
    assert.equal((await h.get('/posts/1', bearer('RPT'))).status, 200);
  } finally {
    await h.close();
  }
});

test('§7 protection token: reused until 5 s AFTER expiry, then a new get-client-token', async () => {
  const c = clock();
  const h = await bench({}, c);
  try {
    await h.get('/posts/1');
    const first = h.oxd.calls[1].authorization;
    h.oxd.clearCalls();
    // expire = floor(t0) + 299; reused while expire > floor(now) - 5
    c.advance(299 + 3.5);
    await h.get('/posts/1');
    assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access'], 'expired 3–4 s ago: still used');
    assert.equal(h.oxd.calls[0].authorization, first);
    h.oxd.clearCalls();
    c.advance(2);
    await h.get('/posts/1');
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'uma-rs-check-access']);
    assert.notEqual(h.oxd.calls[1].authorization, first);
  } finally {
    await h.close();
  }
});

test('§7 protection token with a refresh_token: get-access-token-by-refresh-token (sent without Authorization) first', async () => {
  const c = clock();
  const h = await bench({}, c);
  try {
    h.oxd.script('get-client-token', () => ({ status: 200, body: { access_token: 'AT-1', expires_in: 10, refresh_token: 'RT-1', scope: ['openid', 'oxd'] } }));
    h.oxd.script('get-access-token-by-refresh-token', () => ({ status: 200, body: { access_token: 'AT-2', expires_in: 10, refresh_token: 'RT-2' } }));
    await h.get('/posts/1');
    h.oxd.clearCalls();
    c.advance(16);
    await h.get('/posts/1');
    assert.deepEqual(h.oxd.commands(), ['get-access-token-by-refresh-token', 'uma-rs-check-access']);
    assert.deepEqual(h.oxd.calls[0].body, { oxd_id: P_OXD, refresh_token: 'RT-1' });
    assert.equal(h.oxd.calls[0].authorization, undefined);
    assert.equal(h.oxd.calls[1].authorization, 'Bearer AT-2');
  } finally {
    await h.close();
  }
});

test('§7 JWT RPT: get-jwks {op_host} (with the protection token) instead of introspect-rpt; JWKS and token cached', async () => {
  const h = await bench();
  try {
    const key = makeRsaSigningKey('kid-1');
    h.oxd.jwks = [key.jwk];
    const exp = Math.floor(Date.now() / 1000) + 600;
    const jwt = signJwt(key, { client_id: C_ID, exp, iat: exp - 600 });
    h.oxd.activeRpt(jwt, { client_id: C_ID });
    assert.equal((await h.get('/posts/1', bearer(jwt))).status, 200);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'get-jwks', 'uma-rs-check-access']);
    assert.deepEqual(h.oxd.calls[1].body, { op_host: 'https://as.example.org' });
    assert.match(String(h.oxd.calls[1].authorization), /^Bearer /);
    h.oxd.clearCalls();
    assert.equal((await h.get('/posts/1', bearer(jwt))).status, 200);
    assert.deepEqual(h.oxd.commands(), []);
    const second = signJwt(key, { client_id: C_ID, exp, n: 2 });
    h.oxd.activeRpt(second, { client_id: C_ID });
    assert.equal((await h.get('/posts/1', bearer(second))).status, 200);
    assert.deepEqual(h.oxd.commands(), ['uma-rs-check-access'], 'JWKS cached per op_url');
  } finally {
    await h.close();
  }
});

test('§8 caches are shared by all plugin instances: a token introspected on one route is not re-introspected on another', async () => {
  const h = await bench();
  try {
    const r2 = await h.admin('POST', '/routes', { hosts: ['second.example.com'], service: { name: 'claim-gathering' } });
    assert.equal(r2.status, 201);
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    await h.get('/posts/1', bearer('RPT'));
    h.oxd.clearCalls();
    const other = await h.proxy('GET', '/posts/1', { Host: 'second.example.com', ...bearer('RPT') });
    assert.equal(other.status, 200);
    assert.deepEqual(h.oxd.commands(), []);
  } finally {
    await h.close();
  }
});
