// gateway.md §6.1.3: JWT-looking RPTs are verified locally against oxd
// get-jwks (RS256/384/512, kid required, client_id + exp required).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRsaSigningKey, signJwt, type RsaSigningKey } from '../doubles/rsa-signing-key';
import { C_ID, echoed, startHarness, type Harness } from './harness';

const now = () => Math.floor(Date.now() / 1000);
let KEY: RsaSigningKey | undefined;
const key = () => (KEY ??= makeRsaSigningKey('kid-1'));

async function withJwt(fn: (h: Harness) => Promise<void>, anonymous = ' '): Promise<void> {
  const h = await startHarness();
  try {
    const ids = await h.tutorial({ auth: { anonymous } });
    if (anonymous === 'ANON') await h.admin('PATCH', `/plugins/${ids.authPluginId}`, { config: { anonymous: ids.anonymousId } });
    h.oxd.jwks = [key().jwk];
    await fn(h);
  } finally {
    await h.close();
  }
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

async function expect401(h: Harness, token: string, message: string): Promise<void> {
  const r = await h.get('/posts/1', bearer(token));
  assert.equal(r.status, 401, r.text);
  assert.deepEqual(r.json, { message });
  assert.equal(r.headers['www-authenticate'], undefined);
}

test('a valid RS256 JWT RPT is accepted and mapped to the consumer by client_id', async () => {
  await withJwt(async (h) => {
    const jwt = signJwt(key(), { client_id: C_ID, exp: now() + 600 });
    h.oxd.activeRpt(jwt, { client_id: C_ID });
    const r = await h.get('/posts/1', bearer(jwt));
    assert.equal(r.status, 200);
    assert.equal(echoed(r).headers['x-oauth-client-id'], C_ID);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'get-jwks', 'uma-rs-check-access']);
  });
});

test('an unsupported alg (HS256) → 401 "Bad JWT"', async () => {
  await withJwt(async (h) => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'kid-1', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ client_id: C_ID, exp: now() + 60 })).toString('base64url');
    await expect401(h, `${header}.${payload}.c2ln`, 'Bad JWT');
    assert.deepEqual(h.oxd.commands(), []);
  });
});

test('no kid → 401 "JWT - missed kid"', async () => {
  await withJwt(async (h) => {
    await expect401(h, signJwt(key(), { client_id: C_ID, exp: now() + 60 }, { kid: undefined }), 'JWT - missed kid');
  });
});

test('a kid the JWKS does not have → 401 "Unknown kid" (after refreshing the JWKS)', async () => {
  await withJwt(async (h) => {
    await expect401(h, signJwt(key(), { client_id: C_ID, exp: now() + 60 }, { kid: 'other' }), 'Unknown kid');
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'get-jwks']);
  });
});

test('the JWT alg differs from the key alg → 401 "Bad JWT"', async () => {
  await withJwt(async (h) => {
    await expect401(h, signJwt(key(), { client_id: C_ID, exp: now() + 60 }, { alg: 'RS512' }), 'Bad JWT');
  });
});

test('a bad signature or an expired token → 401 "JWT is not verified, reason: " (the reason is dropped)', async () => {
  await withJwt(async (h) => {
    const good = signJwt(key(), { client_id: C_ID, exp: now() + 60 });
    const tampered = good.slice(0, good.lastIndexOf('.') + 1) + Buffer.from('x'.repeat(256)).toString('base64url');
    await expect401(h, tampered, 'JWT is not verified, reason: ');
    await expect401(h, signJwt(key(), { client_id: C_ID, exp: now() - 10 }), 'JWT is not verified, reason: ');
  });
});

test('no client_id in the payload → 401 "JWT - malformed payload"', async () => {
  await withJwt(async (h) => {
    await expect401(h, signJwt(key(), { sub: 'x', exp: now() + 60 }), 'JWT - malformed payload');
  });
});

test('a JWKS key without x5c is skipped → "Unknown kid"', async () => {
  await withJwt(async (h) => {
    h.oxd.jwks = [{ ...key().jwk, x5c: undefined }];
    await expect401(h, signJwt(key(), { client_id: C_ID, exp: now() + 60 }), 'Unknown kid');
  });
});

test('get-jwks failures are 502 (answer 500, or oxd unreachable)', async () => {
  await withJwt(async (h) => {
    const jwt = signJwt(key(), { client_id: C_ID, exp: now() + 60 });
    h.oxd.script('get-jwks', () => ({ status: 500, body: { error: 'internal_error' } }));
    const r = await h.get('/posts/1', bearer(jwt));
    assert.deepEqual([r.status, r.json], [502, { message: 'An unexpected error ocurred' }]);
    h.oxd.script('get-jwks', () => 'unreachable');
    const u = await h.get('/posts/1', bearer(jwt));
    assert.deepEqual([u.status, u.json], [502, { message: 'An unexpected error ocurred' }]);
  });
});

test('a JWKS key without exp is a Lua error (Kong 500)', async () => {
  await withJwt(async (h) => {
    h.oxd.jwks = [{ ...key().jwk, exp: undefined }];
    const r = await h.get('/posts/1', { ...bearer(signJwt(key(), { client_id: C_ID, exp: now() + 60 })), Accept: 'application/json' });
    assert.deepEqual([r.status, r.json], [500, { message: 'An unexpected error occurred' }]);
  });
});

test('with anonymous set, a failing JWT takes the anonymous path (401 with a ticket on a protected path)', async () => {
  await withJwt(async (h) => {
    const r = await h.get('/posts/1', bearer(signJwt(key(), { client_id: C_ID, exp: now() + 60 }, { kid: undefined })));
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: 'Unauthorized' });
    assert.match(String(r.headers['www-authenticate']), /ticket="/);
  }, 'ANON');
});

test('an opaque Gluu RPT (uuid_XXXX.XXXX…) is introspected, not parsed as a JWT', async () => {
  await withJwt(async (h) => {
    const rpt = '6e1b7b1e-7b3c-4a8e-9d0e-1f2a3b4c5d6e_1A2B.3C4D.5E6F.7A8B.9C0D.1E2F.3A4B.5C6D';
    h.oxd.activeRpt(rpt, { client_id: C_ID });
    assert.equal((await h.get('/posts/1', bearer(rpt))).status, 200);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt', 'uma-rs-check-access']);
  });
});
