// The AS signing key: an RSA key made at start, published at
// {AS}/oxauth/restv1/jwks with a kid, and used to check pushed claim tokens
// when umaValidateClaimToken is on (oxauth.md §3.2, §6).
import * as crypto from 'node:crypto';
import { SignJWT } from 'jose';
import { uuid } from '../lib/ids';
import type { JsonObject } from './java-json';

export interface AsKeys {
  kid: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** Seconds; oxAuth publishes the key expiry as `exp` (milliseconds). */
  expiresAt: number;
}

function asKeys(privateKey: crypto.KeyObject, publicKey: crypto.KeyObject): AsKeys {
  // Gluu key ids look like "<uuid>_sig_rs256".
  return { kid: `${uuid()}_sig_rs256`, privateKey, publicKey, expiresAt: Date.now() + 2 * 86_400_000 };
}

export function makeAsKeys(): AsKeys {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return asKeys(privateKey, publicKey);
}

/**
 * The same key made on libuv's thread pool: an RSA 2048 key takes 100–500 ms to find, which the
 * sandbox's start spends beside the certificate and the listeners instead of before them.
 */
export function makeAsKeysAsync(): Promise<AsKeys> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve(asKeys(privateKey, publicKey))));
  });
}

export function jwksDocument(keys: AsKeys): JsonObject {
  const jwk = keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    keys: [{ kty: 'RSA', e: jwk.e, use: 'sig', kid: keys.kid, alg: 'RS256', n: jwk.n, exp: keys.expiresAt }],
  };
}

/** An RS256 JWT signed with the AS key (what a real id_token from this AS is): header {kid, typ, alg}, signed by jose. */
export function signJwt(keys: AsKeys, payload: JsonObject): Promise<string> {
  return new SignJWT(payload as Record<string, unknown>).setProtectedHeader({ kid: keys.kid, typ: 'JWT', alg: 'RS256' }).sign(keys.privateKey);
}

const RS_HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** RSASigner.validate with the key whose kid the header names. */
export function verifyAsSignature(keys: AsKeys, kid: unknown, alg: unknown, signingInput: string, signature: string): boolean {
  if (kid !== keys.kid || typeof alg !== 'string' || !RS_HASH[alg]) return false;
  try {
    return crypto.verify(RS_HASH[alg], Buffer.from(signingInput), keys.publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
