// The AS's public signing keys as oxd finds them (PublicOpKeyService @
// version_4.2.3): cached per (jwks_uri, kid) for
// public_op_key_cache_expiration_in_minutes, fetched from the JWKS on a miss.
// With a kid: the key with that kid. Without: the one key of the alg's family
// with use "sig"; none or several is an error. Any failure is a plain
// RuntimeException in oxd, so the caller ends with 500 internal_error.
// oxd does not verify the AS certificate (GG's oxd-server.yml trust_all_certs:
// true, oidc-uma.md §3.10), like every call of the sandbox's http client.
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { AsClient } from './as-client';

export type KeyFamily = 'RSA' | 'EC';

export class KeyLookupError extends Error {}

interface CachedKey {
  key: CryptoKey | Uint8Array;
  /** The JWK the key was built from (its kty decides the signer type). */
  kty: string;
  expiresAt: number;
}

export interface FoundKey {
  key: CryptoKey | Uint8Array;
  kty: string;
}

function isJwk(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class OpKeys {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly as: AsClient,
    private readonly cacheMinutes: number,
    private readonly now: () => number = Date.now,
  ) {}

  private cacheKey(jwksUri: string, kid: string): string {
    return `${jwksUri}\n${kid}`;
  }

  async publicKey(jwksUri: string, kid: string | undefined, alg: string, family: KeyFamily): Promise<FoundKey> {
    if (kid) {
      const cached = this.cache.get(this.cacheKey(jwksUri, kid));
      if (cached && cached.expiresAt > this.now()) return cached;
    }
    const res = await this.as.jwks(jwksUri);
    const keys = (res.json as { keys?: unknown } | undefined)?.keys;
    if (res.status !== 200 || !Array.isArray(keys)) throw new KeyLookupError(`Failed to fetch public key from OP. Obtained Response : ${res.status}`);
    const jwks = keys.filter(isJwk);
    let jwk: Record<string, unknown> | undefined;
    if (kid) {
      jwk = jwks.find((k) => k.kid === kid);
    } else {
      const matching = jwks.filter((k) => k.kty === family && k.use === 'sig');
      if (matching.length > 1) throw new KeyLookupError(`Multiple matching keys found in issuer's jwks_uri for algorithm : ${alg}. \`kid\` must be provided in this case.`);
      jwk = matching[0];
    }
    if (!jwk || (jwk.kty !== 'RSA' && jwk.kty !== 'EC')) throw new KeyLookupError('Failed to fetch public key from OP.');
    const members: JWK = jwk.kty === 'RSA' ? { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) } : { kty: 'EC', crv: String(jwk.crv), x: String(jwk.x), y: String(jwk.y) };
    let key: CryptoKey | Uint8Array;
    try {
      key = await importJWK(members, alg);
    } catch (err) {
      throw new KeyLookupError(`public key not usable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const found = { key, kty: jwk.kty as string };
    const foundKid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
    if (foundKid) this.cache.set(this.cacheKey(jwksUri, foundKid), { ...found, expiresAt: this.now() + this.cacheMinutes * 60_000 });
    return found;
  }
}
