// How get-tokens-by-code checks the AS's id_token (oxd @ version_4.2.3
// op/Validator.java, PublicOpKeyService.java; oidc-uma.md §3.10). The order
// is the code's: building the Validator picks the signer first (alg known?
// `none` allowed? the AS key found?, Validator.java lines 73–81, 206–246),
// then the nonce (any registered value passes, never consumed: W2, lines
// 248–254), then validateIdToken (aud/azp, sub, iat, exp, iss, alg,
// signature, lines 269–354), then at_hash (lines 140–164) and s_hash (lines
// 166–185). Claims are read the way oxAuth's JwtClaimSet reads org.json
// values (getClaimAsString = toString, getClaimAsDate = numbers only).
// Signatures are verified with jose.
import * as crypto from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, errors as joseErrors, type CryptoKey } from 'jose';
import type { OxdServerConfig } from './config';
import { OxdError } from './errors';
import type { KeyFamily, OpKeys } from './op-keys';
import type { Site } from './site-store';
import type { StateStore } from './state-store';

/** The id_token as oxAuth's Jwt.parse gives it to the Validator. */
export interface ParsedIdToken {
  raw: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Jwt.parse: anything that does not decode is an InvalidJwtException (→ 500 internal_error). */
export function parseIdToken(raw: string): ParsedIdToken {
  const header = decodeProtectedHeader(raw) as Record<string, unknown>;
  const claims = decodeJwt(raw) as Record<string, unknown>;
  return { raw, header, claims };
}

interface AlgorithmSpec {
  family: 'none' | 'HMAC' | KeyFamily;
  digest?: 'sha256' | 'sha384' | 'sha512';
}

/** SignatureAlgorithm.fromString (case-sensitive names) with the family and the digest used for at_hash / s_hash. */
const SIGNATURE_ALGORITHMS: Record<string, AlgorithmSpec> = {
  none: { family: 'none' },
  HS256: { family: 'HMAC', digest: 'sha256' },
  HS384: { family: 'HMAC', digest: 'sha384' },
  HS512: { family: 'HMAC', digest: 'sha512' },
  RS256: { family: 'RSA', digest: 'sha256' },
  RS384: { family: 'RSA', digest: 'sha384' },
  RS512: { family: 'RSA', digest: 'sha512' },
  PS256: { family: 'RSA', digest: 'sha256' },
  PS384: { family: 'RSA', digest: 'sha384' },
  PS512: { family: 'RSA', digest: 'sha512' },
  ES256: { family: 'EC', digest: 'sha256' },
  ES384: { family: 'EC', digest: 'sha384' },
  ES512: { family: 'EC', digest: 'sha512' },
};

/** SignatureAlgorithm.fromString(name) != null. */
export function isSignatureAlgorithm(name: string | null | undefined): boolean {
  return algorithmOf(name) !== undefined;
}

function algorithmOf(name: unknown): AlgorithmSpec | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SIGNATURE_ALGORITHMS, name) ? SIGNATURE_ALGORITHMS[name] : undefined;
}

/** JwtClaimSet.getClaimAsString: the org.json value's toString (a JSON null is JSONObject.NULL, "null"). */
export function claimAsString(claims: Record<string, unknown>, name: string): string | null {
  if (!Object.prototype.hasOwnProperty.call(claims, name)) return null;
  const v = claims[name];
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** getClaimAsDate: Integer/Long/Double seconds → ms; anything else → null. */
function claimAsDateMs(claims: Record<string, unknown>, name: string): number | null {
  const v = claims[name];
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) * 1000 : null;
}

/** getClaimAsStringList: a JSON array's string items (stopping at the first non-string), else the one string. */
function claimAsStringList(claims: Record<string, unknown>, name: string): string[] {
  const v = claims[name];
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v) {
      if (typeof item !== 'string') break; // JSONArray.getString throws; the list so far is returned
      out.push(item);
    }
    return out;
  }
  const s = claimAsString(claims, name);
  return s === null ? [] : [s];
}

const isNullOrEmpty = (s: string | null): boolean => s === null || s === '';

/** Validator.validateAudience (lines 357–395). */
function validateAudience(token: ParsedIdToken, clientId: string): void {
  const aud = claimAsString(token.claims, 'aud');
  if (isNullOrEmpty(aud)) throw new OxdError('INVALID_ID_TOKEN_NO_AUDIENCE');
  if (clientId.toLowerCase() === (aud as string).toLowerCase()) return;
  let list = claimAsStringList(token.claims, 'aud');
  if (list.length === 0) return; // an empty list passes (upstream only checks a non-empty one)
  // A single item that is itself a JSON-array text is split (hasListAsElement / arrStringToList).
  if (list.length === 1 && list[0].includes('[') && list[0].includes(']')) {
    list = list[0].replace(/"/g, '').replace(/\[/g, '').replace(/\]/g, '').split(/\s*,\s*/);
  }
  if (!list.some((a) => a.toLowerCase() === clientId.toLowerCase())) throw new OxdError('INVALID_ID_TOKEN_BAD_AUDIENCE');
  if (list.length > 1) {
    const azp = claimAsString(token.claims, 'azp');
    if (isNullOrEmpty(azp)) throw new OxdError('INVALID_ID_TOKEN_NO_AUTHORIZED_PARTY');
    if ((azp as string).toLowerCase() !== clientId.toLowerCase()) throw new OxdError('INVALID_ID_TOKEN_BAD_AUTHORIZED_PARTY');
  }
}

/** Left half of the digest of `value`, base64url: the at_hash / s_hash rule (AbstractJwsSigner). */
export function halfHash(value: string, digest: 'sha256' | 'sha384' | 'sha512'): string {
  const d = crypto.createHash(digest).update(value, 'utf8').digest();
  return d.subarray(0, d.length / 2).toString('base64url');
}

export interface ValidatorContext {
  config: OxdServerConfig;
  keys: OpKeys;
  states: StateStore;
  /** Discovery `issuer` and `jwks_uri` of the site's OP. */
  issuer: string;
  jwksUri: string | undefined;
  site: Site;
  now?: () => number;
}

type Signer = { alg: string; spec: AlgorithmSpec; key?: CryptoKey | Uint8Array };

export class IdTokenValidator {
  private constructor(
    private readonly ctx: ValidatorContext,
    private readonly token: ParsedIdToken,
    private readonly signer: Signer,
  ) {}

  /** Validator.Builder.build → createJwsSigner: runs before any claim is looked at. */
  static async create(ctx: ValidatorContext, token: ParsedIdToken): Promise<IdTokenValidator> {
    const alg = token.header.alg;
    const spec = algorithmOf(alg);
    if (!spec) throw new OxdError('INVALID_ALGORITHM');
    const name = alg as string;
    if (spec.family === 'none') {
      if (!ctx.config.acceptIdTokenWithoutSignature) throw new OxdError('ID_TOKEN_WITHOUT_SIGNATURE_NOT_ALLOWED');
      return new IdTokenValidator(ctx, token, { alg: name, spec });
    }
    if (spec.family === 'HMAC') return new IdTokenValidator(ctx, token, { alg: name, spec, key: new TextEncoder().encode(ctx.site.clientSecret) });
    const kid = typeof token.header.kid === 'string' ? token.header.kid : undefined;
    // A missing jwks_uri is a null URL in oxd: the JWKS call fails (RuntimeException → internal_error).
    if (!ctx.jwksUri) throw new Error('no jwks_uri in discovery');
    const found = await ctx.keys.publicKey(ctx.jwksUri, kid, name, spec.family);
    // The key is cast to the family's key class: a key of another type is a ClassCastException.
    if (found.kty !== spec.family) throw new Error(`key ${kid} is ${found.kty}, not ${spec.family}`);
    return new IdTokenValidator(ctx, token, { alg: name, spec, key: found.key });
  }

  /** validateNonce: the nonce must be a registered value, any one (W2); it is never deleted. */
  validateNonce(): void {
    if (!this.ctx.states.isPresent(claimAsString(this.token.claims, 'nonce'))) throw new OxdError('INVALID_NONCE');
  }

  /** validateIdToken(null): any non-oxd failure becomes invalid_id_token_unknown. */
  async validateIdToken(): Promise<void> {
    try {
      await this.checkClaimsAndSignature();
    } catch (err) {
      if (err instanceof OxdError) throw err;
      throw new OxdError('INVALID_ID_TOKEN_UNKNOWN');
    }
  }

  private async checkClaimsAndSignature(): Promise<void> {
    const { claims } = this.token;
    const { config, site } = this.ctx;
    const now = (this.ctx.now ?? Date.now)();
    if (config.fapiEnabled && isNullOrEmpty(claimAsString(claims, 'nonce'))) throw new OxdError('INVALID_ID_TOKEN_NO_NONCE');
    validateAudience(this.token, site.clientId);
    if (isNullOrEmpty(claimAsString(claims, 'sub'))) throw new OxdError('NO_SUBJECT_IDENTIFIER');
    const iat = claimAsDateMs(claims, 'iat');
    if (iat === null) throw new OxdError('INVALID_ID_TOKEN_ISSUED_AT');
    if (config.fapiEnabled && Math.trunc((now - iat) / 3600_000) > config.iatExpirationInHours) throw new OxdError('INVALID_ID_TOKEN_OLD_ISSUED_AT');
    const exp = claimAsDateMs(claims, 'exp');
    if (exp === null) throw new OxdError('INVALID_ID_TOKEN_EXPIRATION_TIME');
    if (now > exp) throw new OxdError('INVALID_ID_TOKEN_EXPIRED');
    const iss = claimAsString(claims, 'iss');
    if (isNullOrEmpty(iss)) throw new OxdError('INVALID_ID_TOKEN_NO_ISSUER');
    if (iss !== this.ctx.issuer) throw new OxdError('INVALID_ID_TOKEN_BAD_ISSUER');
    const registeredAlg = site.metadata.idTokenSignedResponseAlg;
    if (registeredAlg && registeredAlg !== this.signer.alg) throw new OxdError('INVALID_ID_TOKEN_INVALID_ALGORITHM');
    if (this.signer.spec.family !== 'none' && !(await this.signatureValid())) throw new OxdError('INVALID_ID_TOKEN_BAD_SIGNATURE');
  }

  private async signatureValid(): Promise<boolean> {
    try {
      await compactVerify(this.token.raw, this.signer.key as CryptoKey | Uint8Array, { algorithms: [this.signer.alg] });
      return true;
    } catch (err) {
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) return false;
      throw err;
    }
  }

  private digest(): 'sha256' | 'sha384' | 'sha512' {
    // An unsigned token has no hash algorithm in oxAuth's signer (a NullPointerException upstream).
    if (!this.signer.spec.digest) throw new Error('no digest for alg none');
    return this.signer.spec.digest;
  }

  /** validateAccessToken: at_hash checked when present; absent → skipped (id_token_validation_at_hash_required). */
  validateAccessToken(accessToken: string): void {
    if (!this.ctx.config.idTokenValidationAtHashRequired || accessToken === '') return;
    const atHash = claimAsString(this.token.claims, 'at_hash');
    if (isNullOrEmpty(atHash)) return;
    if (halfHash(accessToken, this.digest()) !== atHash) throw new OxdError('INVALID_ACCESS_TOKEN_BAD_HASH');
  }

  /** validateState: s_hash only with id_token_validation_s_hash_required (off by default). */
  validateState(state: string): void {
    if (!this.ctx.config.idTokenValidationSHashRequired || state === '') return;
    const sHash = claimAsString(this.token.claims, 's_hash');
    if (isNullOrEmpty(sHash)) throw new OxdError('S_HASH_NOT_FOUND');
    if (halfHash(state, this.digest()) !== sHash) throw new OxdError('INVALID_STATE_BAD_HASH');
  }
}
