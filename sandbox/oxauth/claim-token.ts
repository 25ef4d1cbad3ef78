// The pushed claim token (oxauth.md §3.2, §6; UmaValidationService
// .validateClaimToken and Jwt.parse): any JWT, unsigned `alg:none` included,
// while umaValidateClaimToken is off (DIV-AS-15); with it on, the token must
// be unexpired, carry iss = the issuer and be signed by the AS key.
import { umaTokenError } from './errors';
import type { JsonObject } from './java-json';
import { verifyAsSignature, type AsKeys } from './jwks';

export const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

export interface ParsedJwt {
  header: JsonObject;
  claims: JsonObject;
  signingInput: string;
  signature: string;
}

function decodeObject(part: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Jwt.parse: two parts (alg none, Java's split drops the empty signature) or three. */
export function parseJwt(text: string): ParsedJwt | undefined {
  const parts = text.split('.');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const header = decodeObject(parts[0]);
  const claims = decodeObject(parts[1]);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: parts[2] ?? '' };
}

/** UmaValidationService.isIdTokenValid: expiry, then issuer, then signature. */
function isIdTokenValid(jwt: ParsedJwt, issuer: string, keys: AsKeys, nowMs: number): boolean {
  const exp = jwt.claims.exp;
  if (typeof exp !== 'number' || nowMs > Math.trunc(exp) * 1000) return false;
  if (jwt.claims.iss !== issuer) return false;
  return verifyAsSignature(keys, jwt.header.kid, jwt.header.alg, jwt.signingInput, jwt.signature);
}

export interface ClaimTokenCheck {
  validate: boolean;
  issuer: string;
  keys: AsKeys;
  nowMs: number;
}

/** Returns the token's claims, undefined when none was pushed, or throws the §3.6 answer. */
export function validateClaimToken(claimToken: string, claimTokenFormat: string, check: ClaimTokenCheck): ParsedJwt | undefined {
  if (claimToken.trim() !== '') {
    if (claimTokenFormat !== ID_TOKEN_FORMAT) {
      throw umaTokenError('wrongClaimTokenFormat', 'claim_token_format is unsupported. Supported format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken');
    }
    const jwt = parseJwt(claimToken);
    // The "validation failed" exception is thrown inside the parse try block, so
    // it comes out with the parse failure's reason.
    if (!jwt || (check.validate && !isIdTokenValid(jwt, check.issuer, check.keys, check.nowMs))) {
      throw umaTokenError('badClaimToken', 'Failed to parse claim_token as valid id_token.');
    }
    return jwt;
  }
  if (claimTokenFormat.trim() !== '') {
    throw umaTokenError('badClaimToken', 'claim_token is blank but claim_token_format is not blank. Both must be blank or both must be not blank');
  }
  return undefined;
}
