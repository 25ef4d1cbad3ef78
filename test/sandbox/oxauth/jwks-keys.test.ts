// The AS signing key as the sandbox makes it at start (sandbox/oxauth/jwks.ts):
// made off the main thread, the same kind of key as the synchronous maker,
// published with a Gluu-style kid and usable for the id_tokens' RS256.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { jwksDocument, makeAsKeys, makeAsKeysAsync, signJwt } from '../../../sandbox/oxauth/jwks';

test('the key made off the main thread is an RSA 2048 key with a Gluu kid, two days ahead, like the synchronous one', async () => {
  const [made, sync] = [await makeAsKeysAsync(), makeAsKeys()];
  for (const k of [made, sync]) {
    assert.equal(k.privateKey.asymmetricKeyType, 'rsa');
    assert.equal(k.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.match(k.kid, /^[0-9a-f-]{36}_sig_rs256$/);
    assert.ok(Math.abs(k.expiresAt - (Date.now() + 2 * 86_400_000)) < 60_000);
  }
  assert.notEqual(made.kid, sync.kid);
});

test('a JWT signed with the key made off the main thread verifies against the JWKS the AS publishes', async () => {
  const keys = await makeAsKeysAsync();
  const jwt = await signJwt(keys, { iss: 'https://as.example', sub: 'u1' });
  const doc = jwksDocument(keys) as { keys: Array<Record<string, unknown>> };
  assert.deepEqual(Object.keys(doc.keys[0]).sort(), ['alg', 'e', 'exp', 'kid', 'kty', 'n', 'use']);
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(doc as unknown as Parameters<typeof createLocalJWKSet>[0]));
  assert.equal(payload.sub, 'u1');
  assert.deepEqual(protectedHeader, { kid: keys.kid, typ: 'JWT', alg: 'RS256' });
});
