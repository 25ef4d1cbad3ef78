// The OpenID Connect side of the AS's state, in memory: OP sessions
// (SessionId entries, ou=sessions), authorization grants with their codes
// and tokens (ou=tokens / the cache), and stored consents (ClientAuthorization,
// ou=authorizations). Entries past their lifetime count as removed, as the
// UMA store does. Lifetimes are CES templates/oxauth-config.json defaults.
import { uuid } from '../lib/ids';
import type { Clock } from './store';

/** CES oxauth-config.json (seconds). */
export const OIDC_LIFETIMES = {
  authorizationCode: 60,
  idToken: 3600,
  refreshToken: 14_400,
  /** sessionIdLifetime: cookie Expires and an authenticated session's life. */
  sessionId: 86_400,
  /** sessionIdUnauthenticatedUnusedLifetime: a login page left open. */
  unauthenticatedSession: 120,
} as const;

/** SessionId: the OP session behind the `session_id` cookie. */
export interface OpSession {
  id: string;
  /** `sid`: the id the RPs see (SessionId.outsideSid). */
  outsideSid: string;
  /** `opbs` cookie (OP browser state). */
  opbs: string;
  sessionState: string;
  authenticated: boolean;
  userName: string | null;
  /** Milliseconds; null while unauthenticated. */
  authTime: number | null;
  /** The authorization request parameters the session was started with (session attributes). */
  params: Map<string, string>;
  /** permission_granted_map: clients the user allowed in this session. */
  permissions: Map<string, boolean>;
  expiresAt: number;
}

/** AuthorizationCodeGrant: what a code, and the tokens made from it, stand for. */
export interface UserGrant {
  id: string;
  clientId: string;
  userName: string;
  scopes: string[];
  nonce: string | null;
  acr: string | null;
  /** Seconds. */
  authTime: number | null;
  /** The OP session the grant was issued in (grant.sessionDn). */
  sessionId: string;
  /** The `sid` of that session, kept for id_tokens issued after it ended. */
  sid: string;
}

export type UserTokenKind = 'authorization_code' | 'access_token' | 'refresh_token' | 'id_token';

export interface UserToken {
  code: string;
  kind: UserTokenKind;
  grantId: string;
  createdAt: number;
  expiresAt: number;
  /** The code this token was made from (TokenLdap.authorizationCode). */
  fromCode: string | null;
}

export class OidcStore {
  readonly sessions = new Map<string, OpSession>();
  readonly grants = new Map<string, UserGrant>();
  readonly tokens = new Map<string, UserToken>();
  /** ClientAuthorization: `<user>|<client>` → the scopes the user allowed. */
  readonly consents = new Map<string, string[]>();
  /** Nonces of earlier authorization requests, newest last (fault id-token-nonce-from-another-request). */
  readonly nonces: string[] = [];

  constructor(
    readonly clock: Clock,
    readonly onSecret: (value: string) => void,
  ) {}

  now(): number {
    return this.clock();
  }

  // OP sessions
  newSession(params: Map<string, string>): OpSession {
    const s: OpSession = {
      id: uuid(),
      outsideSid: uuid(),
      opbs: uuid(),
      sessionState: '',
      authenticated: false,
      userName: null,
      authTime: null,
      params,
      permissions: new Map(),
      expiresAt: this.now() + OIDC_LIFETIMES.unauthenticatedSession * 1000,
    };
    this.putSession(s);
    return s;
  }

  putSession(s: OpSession): void {
    for (const v of [s.id, s.opbs, s.outsideSid]) this.onSecret(v);
    this.sessions.set(s.id, s);
  }

  session(id: string | undefined): OpSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (s && s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  sessionBySid(sid: string): OpSession | undefined {
    for (const s of this.sessions.values()) if (s.outsideSid === sid) return this.session(s.id);
    return undefined;
  }

  removeSession(id: string): void {
    this.sessions.delete(id);
  }

  // Grants and their tokens
  addGrant(g: Omit<UserGrant, 'id'>): UserGrant {
    const grant = { ...g, id: uuid() };
    this.grants.set(grant.id, grant);
    return grant;
  }

  grant(id: string): UserGrant | undefined {
    return this.grants.get(id);
  }

  /** Codes, access and refresh tokens are random UUIDs in oxAuth 4.2 (AbstractToken). */
  issue(kind: UserTokenKind, grantId: string, lifetime: number, fromCode: string | null = null, code?: string): UserToken {
    const now = this.now();
    const t: UserToken = { code: code ?? uuid(), kind, grantId, createdAt: now, expiresAt: now + lifetime * 1000, fromCode };
    this.onSecret(t.code);
    this.tokens.set(t.code, t);
    return t;
  }

  token(code: string | null | undefined, kind: UserTokenKind): UserToken | undefined {
    if (!code) return undefined;
    const t = this.tokens.get(code);
    if (!t || t.kind !== kind) return undefined;
    if (t.expiresAt <= this.now()) {
      this.tokens.delete(code);
      return undefined;
    }
    return t;
  }

  removeToken(code: string): void {
    this.tokens.delete(code);
  }

  /** GrantService.removeAllByAuthorizationCode: every token made from the code. */
  removeAllByCode(code: string): void {
    for (const [k, t] of this.tokens) if (t.fromCode === code) this.tokens.delete(k);
  }

  /** GrantService.logout(sessionDn): every grant issued in the session loses its tokens. */
  logoutSession(sessionId: string): void {
    for (const [k, t] of this.tokens) if (this.grants.get(t.grantId)?.sessionId === sessionId) this.tokens.delete(k);
  }

  // Consents
  consent(userName: string, clientId: string): string[] | undefined {
    return this.consents.get(`${userName}|${clientId}`);
  }

  /** ClientAuthorizationsService.add: the scopes are merged into the stored entry. */
  addConsent(userName: string, clientId: string, scopes: string[]): void {
    const key = `${userName}|${clientId}`;
    this.consents.set(key, [...new Set([...(this.consents.get(key) ?? []), ...scopes])]);
  }

  rememberNonce(nonce: string): void {
    this.nonces.push(nonce);
    if (this.nonces.length > 50) this.nonces.shift();
  }
}
