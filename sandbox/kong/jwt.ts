// JWT RPTs in gluu-uma-auth (kong-common.lua process_jwt / refresh_jwks,
// lua-resty-jwt; gateway.md §6.1.3): a token that parses as a three-part
// JWS is verified locally against the AS keys from oxd `get-jwks` instead
// of being introspected. Only RS256/384/512 keys with an x5c certificate
// and an unexpired `exp` are kept, per op_url, keyed by kid.
import * as crypto from 'node:crypto';
import { LuaError } from './lua-values';
import { JWT_MESSAGES } from './responses';

export interface LoadedJwt {
  header: Record<string, unknown>;
  payload: unknown;
  signingInput: string;
  signature: Buffer;
}

const SUPPORTED: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

function b64urlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(part)) throw new Error('bad base64');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
}

/** jwt:load_jwt — undefined when the token is not a (JWS) JWT; Lua errors for scalar headers. */
export function loadJwt(token: string): LoadedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let header: unknown;
  let payload: unknown;
  try {
    header = b64urlJson(parts[0]);
    payload = b64urlJson(parts[1]);
  } catch {
    return undefined;
  }
  if (header === null || typeof header !== 'object') throw new LuaError('attempt to index field \'header\'');
  return {
    header: Array.isArray(header) ? {} : (header as Record<string, unknown>),
    payload,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

export interface JwksKey {
  kid: string;
  alg: string;
  publicKey: crypto.KeyObject;
  expire: number;
}

/** One lrucache(20) per op_url, flushed on every refresh. */
export class JwksCache {
  private readonly perOp = new Map<string, Map<string, JwksKey>>();

  constructor(private readonly now: () => number) {}

  has(opUrl: string): boolean {
    return this.perOp.has(opUrl);
  }

  get(opUrl: string, kid: string): JwksKey | undefined {
    const k = this.perOp.get(opUrl)?.get(kid);
    return k && k.expire >= this.now() ? k : undefined;
  }

  /** refresh_jwks: keep the supported keys of a get-jwks answer. Missing `exp` is a Lua error. */
  replace(opUrl: string, keys: unknown[]): void {
    const cache = new Map<string, JwksKey>();
    this.perOp.set(opUrl, cache);
    for (const raw of keys) {
      const key = raw as Record<string, unknown>;
      if (typeof key?.exp !== 'number') throw new LuaError("attempt to perform arithmetic on field 'exp' (a nil value)");
      // Gluu publishes `exp` in milliseconds; GG subtracts seconds, so the TTL is huge.
      const ttl = key.exp - this.now();
      const alg = String(key.alg);
      const x5c = key.x5c;
      if (!(ttl > 0) || !SUPPORTED[alg] || !Array.isArray(x5c) || typeof x5c[0] !== 'string') continue;
      try {
        const pem = `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----\n`;
        const publicKey = new crypto.X509Certificate(pem).publicKey;
        cache.set(String(key.kid), { kid: String(key.kid), alg, publicKey, expire: this.now() + ttl });
      } catch {
        // "Cannot convert x5c into public key" — logged, key skipped
      }
    }
  }
}

export type JwtOutcome = { payload: Record<string, unknown> } | { status: 401 | 502; message: string };

/**
 * process_jwt. `refresh` fetches the JWKS (get-client-token then get-jwks)
 * and stores it; false when oxd failed (→ 502).
 */
export async function processJwt(jwt: LoadedJwt, opUrl: string, cache: JwksCache, refresh: () => Promise<boolean>, now: () => number): Promise<JwtOutcome> {
  const alg = jwt.header.alg;
  if (typeof alg !== 'string' || !SUPPORTED[alg]) return { status: 401, message: JWT_MESSAGES.BAD_JWT };
  const kid = jwt.header.kid;
  if (kid === undefined) return { status: 401, message: JWT_MESSAGES.MISSED_KID };
  const kidKey = kid === null ? 'userdata: NULL' : String(kid);
  if (!cache.has(opUrl) || !cache.get(opUrl, kidKey)) {
    if (!(await refresh())) return { status: 502, message: 'Unexpected error' };
  }
  const key = cache.get(opUrl, kidKey);
  if (!key) return { status: 401, message: JWT_MESSAGES.UNKNOWN_KID };
  if (alg !== key.alg) return { status: 401, message: JWT_MESSAGES.BAD_JWT };
  const signatureOk = crypto.verify(SUPPORTED[alg], Buffer.from(jwt.signingInput), key.publicKey, jwt.signature);
  const payload = (jwt.payload ?? {}) as Record<string, unknown>;
  const t = now();
  // validators.is_not_expired() (exp required) and lua-resty-jwt's default optional nbf check
  const expOk = typeof payload.exp === 'number' && t < payload.exp;
  const nbfOk = payload.nbf === undefined || (typeof payload.nbf === 'number' && t >= payload.nbf);
  if (!signatureOk || !expOk || !nbfOk) return { status: 401, message: JWT_MESSAGES.NOT_VERIFIED };
  if (payload.client_id !== undefined && payload.client_id !== false && payload.exp !== undefined) return { payload };
  return { status: 401, message: JWT_MESSAGES.MALFORMED_PAYLOAD };
}
