// The OpenID Connect side of the oxAuth test double (for oxd's OIDC
// commands): authorization codes the test issues directly (as if the user
// had logged in and allowed consent), the code grant at the token endpoint
// with an id_token signed with jose by the key the JWKS publishes, userinfo
// and the keys. Each code can be scripted to make the AS misbehave in one
// way (a claim changed or removed, another key, another alg, no id_token…).
import * as crypto from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { uuid, nowSeconds } from '../../../sandbox/lib/ids';

/** oxAuth 4.2.3 code-grant id_token claims (oidc-uma.md §3.10), before overrides. */
export type Claims = Record<string, unknown>;

export interface CodeScript {
  /** Claim values replacing the defaults; `undefined` removes the claim. */
  claims?: Record<string, unknown>;
  /** Header members replacing the defaults (`kid: undefined` removes it). */
  header?: Record<string, unknown>;
  /** Which key signs: the published RSA key (default), an unpublished one, the client secret (HS256) or none. */
  signWith?: 'published' | 'unpublished' | 'client-secret' | 'none';
  /** An id_token string used as it is (no signing). */
  rawIdToken?: string;
  omitIdToken?: boolean;
  omitAccessToken?: boolean;
  omitRefreshToken?: boolean;
  omitExpiresIn?: boolean;
  /** at_hash computed over another value (a mismatch). */
  atHashOf?: string;
}

interface IssuedCode {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  nonce: string;
  script: CodeScript;
  used: boolean;
}

export interface UserInfoToken {
  sub: string;
  claims: Record<string, unknown>;
}

export const TEST_USER_CLAIMS = {
  name: 'Test User',
  given_name: 'Test',
  family_name: 'User',
  email: 'test_user@example.org',
  preferred_username: 'test_user',
};

export const SIGNING_KID = 'a1b2c3d4-sig-rs256';

function atHash(value: string): string {
  const d = crypto.createHash('sha256').update(value, 'utf8').digest();
  return d.subarray(0, 16).toString('base64url');
}

export class FakeOidcOp {
  private readonly codes = new Map<string, IssuedCode>();
  /** access token → userinfo */
  readonly userInfoTokens = new Map<string, UserInfoToken>();
  /** Extra JWKS entries a test adds (e.g. a second RSA key without kid). */
  readonly extraJwks: Record<string, unknown>[] = [];

  private constructor(
    readonly issuer: string,
    private readonly published: { privateKey: CryptoKey; jwk: JWK },
    private readonly unpublished: { privateKey: CryptoKey; jwk: JWK },
  ) {}

  static async create(issuer: string): Promise<FakeOidcOp> {
    const make = async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      return { privateKey, jwk: await exportJWK(publicKey) };
    };
    return new FakeOidcOp(issuer, await make(), await make());
  }

  /** The JWKS as oxAuth publishes it (x5c and exp in ms, both decorative here). */
  jwks(): Record<string, unknown> {
    const j = this.published.jwk;
    return {
      keys: [{ kid: SIGNING_KID, kty: 'RSA', use: 'sig', alg: 'RS256', n: j.n, e: j.e, x5c: ['MIIDBTCCAe2gAwIBAgIQ'], exp: 1893456000000 }, ...this.extraJwks],
    };
  }

  /** The unpublished key's public JWK (to publish it later under another kid, say). */
  unpublishedJwk(): JWK {
    return { ...this.unpublished.jwk };
  }

  /** A code for that client, as the authorization endpoint would redirect with after login + consent. */
  issueCode(client: { clientId: string; clientSecret: string }, redirectUri: string, nonce: string, script: CodeScript = {}): string {
    const code = uuid();
    this.codes.set(code, { clientId: client.clientId, clientSecret: client.clientSecret, redirectUri, nonce, script, used: false });
    return code;
  }

  private async idToken(issued: IssuedCode, accessToken: string, code: string): Promise<string> {
    const s = issued.script;
    if (s.rawIdToken !== undefined) return s.rawIdToken;
    const now = nowSeconds();
    const claims: Claims = {
      iss: this.issuer,
      aud: issued.clientId,
      exp: now + 3600,
      iat: now,
      code: uuid(),
      sid: uuid(),
      acr: 'simple_password_auth',
      amr: ['10'],
      nonce: issued.nonce,
      auth_time: now,
      c_hash: atHash(code),
      at_hash: atHash(s.atHashOf ?? accessToken),
      oxOpenIDConnectVersion: 'openidconnect-1.0',
      sub: `pairwise-${issued.clientId.slice(-8)}`,
    };
    for (const [k, v] of Object.entries(s.claims ?? {})) {
      if (v === undefined) delete claims[k];
      else claims[k] = v;
    }
    if (s.signWith === 'none') return new UnsecuredJWT(claims).encode();
    const header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: SIGNING_KID };
    let key: CryptoKey | Uint8Array = this.published.privateKey;
    if (s.signWith === 'unpublished') key = this.unpublished.privateKey;
    if (s.signWith === 'client-secret') {
      header.alg = 'HS256';
      delete header.kid;
      key = new TextEncoder().encode(issued.clientSecret);
    }
    for (const [k, v] of Object.entries(s.header ?? {})) {
      if (v === undefined) delete header[k];
      else header[k] = v;
    }
    return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
  }

  /**
   * The authorization_code grant: 400 invalid_grant for an unknown or used
   * code or another redirect_uri (oxAuth TokenRestWebServiceImpl), else the
   * token answer with the id_token.
   */
  async codeGrant(clientId: string, form: URLSearchParams): Promise<{ status: number; body: unknown }> {
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    if (!issued || issued.used || issued.clientId !== clientId || issued.redirectUri !== form.get('redirect_uri')) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired authorization token, bad end-user password credentials, or mismatching authorization code and redirection URI).' } };
    }
    issued.used = true;
    const accessToken = uuid();
    const idToken = await this.idToken(issued, accessToken, code);
    const sub = `pairwise-${issued.clientId.slice(-8)}`;
    this.userInfoTokens.set(accessToken, { sub, claims: { sub, ...TEST_USER_CLAIMS } });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: 299, refresh_token: uuid(), scope: 'openid oxd email profile uma_protection', id_token: idToken };
    if (issued.script.omitIdToken) delete body.id_token;
    if (issued.script.omitAccessToken) delete body.access_token;
    if (issued.script.omitRefreshToken) delete body.refresh_token;
    if (issued.script.omitExpiresIn) delete body.expires_in;
    return { status: 200, body };
  }

  /** userinfo with a Bearer token: the claims, or oxAuth's 401 invalid_token. */
  userInfo(authorization: string | undefined): { status: number; body: unknown; headers: Record<string, string> } {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
    const info = this.userInfoTokens.get(token);
    if (!info) {
      return {
        status: 401,
        body: { error: 'invalid_token', error_description: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.' },
        headers: { 'WWW-Authenticate': 'Bearer realm="oxAuth"' },
      };
    }
    return { status: 200, body: info.claims, headers: { 'Cache-Control': 'no-store, private' } };
  }
}
