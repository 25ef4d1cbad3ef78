// The id_token of the code grant (oxAuth 4.2.3 IdTokenFactory.fillClaims
// lines 104–156, TokenRestWebServiceImpl lines 215–232), signed RS256 with
// the key the JWKS publishes (jose). Claims: iss, aud (the client), exp
// (iat + idTokenLifetime 3600), iat, code (a random UUID, 4.2.3), sid (the
// grant's OP session, while it exists), acr + amr (only when the grant has
// an acr: the default "internal" login sets none, so only an acr_values
// request gives one; amr is then [] because no script of that name exists),
// nonce, auth_time, c_hash, at_hash, grant, oxOpenIDConnectVersion, sub
// (pairwise). User claims are not added (legacyIdTokenClaims off).
import * as crypto from 'node:crypto';
import type { AsContext } from './as-context';
import type { JsonObject } from './java-json';
import { signJwt } from './jwks';
import { OIDC_LIFETIMES, type UserGrant } from './oidc-store';
import type { ClientRecord } from './store';
import { findUser, subjectFor } from './users';

/** AbstractToken.getHash for RS256: base64url of the left half of SHA-256. */
export function halfHash(value: string): string {
  const digest = crypto.createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The nonce this id_token carries: the grant's, or (fault) another request's. */
function nonceFor(as: AsContext, grant: UserGrant): string | null {
  if (!as.faults.on('id-token-nonce-from-another-request')) return grant.nonce;
  const other = [...as.oidc.nonces].reverse().find((n) => n !== grant.nonce);
  return other ?? crypto.randomBytes(13).toString('base64url');
}

export interface IdTokenInputs {
  code: string | null;
  accessToken: string | null;
}

export function idTokenClaims(as: AsContext, client: ClientRecord, grant: UserGrant, inputs: IdTokenInputs): JsonObject {
  const iat = Math.floor(as.oidc.now() / 1000);
  const claims: JsonObject = {
    iss: as.urls.issuer,
    aud: client.clientId,
    exp: iat + OIDC_LIFETIMES.idToken,
    iat,
    code: crypto.randomUUID(),
  };
  const session = as.oidc.session(grant.sessionId);
  if (session) claims.sid = session.outsideSid;
  if (grant.acr !== null) {
    claims.acr = grant.acr;
    claims.amr = [];
  }
  const nonce = nonceFor(as, grant);
  if (nonce) claims.nonce = nonce;
  if (grant.authTime !== null) claims.auth_time = grant.authTime;
  if (inputs.code) claims.c_hash = halfHash(inputs.code);
  if (inputs.accessToken) claims.at_hash = halfHash(inputs.accessToken);
  claims.grant = 'authorization_code';
  claims.oxOpenIDConnectVersion = 'openidconnect-1.0';
  const user = findUser(as, grant.userName);
  if (user) claims.sub = subjectFor(user, client);
  return claims;
}

/** Signs the id_token and records it (end_session looks grants up by id_token). */
export async function createIdToken(as: AsContext, client: ClientRecord, grant: UserGrant, inputs: IdTokenInputs): Promise<string> {
  const jwt = await signJwt(as.keys, idTokenClaims(as, client, grant, inputs));
  as.oidc.issue('id_token', grant.id, OIDC_LIFETIMES.idToken, inputs.code, jwt);
  return jwt;
}
