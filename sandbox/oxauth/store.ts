// The AS's persistent state (LDAP in a real install), in memory: clients,
// access tokens, scopes, resources, permissions grouped by ticket, PCTs,
// RPTs and UMA sessions. Entries past their lifetime are treated as already
// removed by oxAuth's cleanup job (oxauth.md §3.6: tickets "vanish with
// umaTicketLifetime cleanup"). Lifetimes come from ctx.settings.as.
import { gluuCode, uuid } from '../lib/ids';
import type { AsSettings } from '../settings';
import { ClaimSet } from './claim-set';

/** Milliseconds since the epoch; tests pass their own. */
export type Clock = () => number;

/** CES oxauth-config.json sessionIdLifetime (seconds). */
export const SESSION_ID_LIFETIME = 86_400;

/** The OAuth scopes of a default install (ou=scopes, oxScopeType openid). */
export const OAUTH_SCOPES = [
  'openid', 'profile', 'email', 'address', 'phone', 'mobile_phone', 'clientinfo', 'user_name',
  'uma_protection', 'permission', 'oxd', 'offline_access', 'revoke_session', 'super_gluu_ro_session',
];

export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  registrationAccessToken: string;
  /** Seconds. */
  clientIdIssuedAt: number;
  redirectUris: string[];
  /** oxClaimRedirectURI (registration parameter claims_redirect_uri). */
  claimRedirectUris: string[];
  responseTypes: string[];
  grantTypes: string[];
  scopes: string[];
  clientName: string;
  tokenEndpointAuthMethod: string;
  applicationType: string;
  subjectType: string;
  postLogoutRedirectUris: string[];
  contacts: string[];
  /**
   * oxAccessTokenLifetime, the registration's `access_token_lifetime` (s):
   * RegisterRestWebServiceImpl lines 669–671. Absent → the AS's accessTokenLifetime.
   */
  accessTokenLifetime?: number;
  /** oxTrust "Is Active" off. No API sets it; tests may. */
  disabled: boolean;
  /** oxAuthTrustedClient (oxTrust "Pre-Authorization"): no consent page. DCR never sets it. */
  trusted: boolean;
}

export interface AccessTokenRecord {
  code: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
}

export interface ScopeRecord {
  id: string;
  type: 'openid' | 'uma';
  /** Names of the uma_rpt_policy scripts attached (oxUmaPolicyScriptDn). */
  policies: string[];
  description: string | null;
  iconUri: string | null;
}

export interface ResourceRecord {
  id: string;
  name: string | null;
  description: string | null;
  iconUri: string | null;
  scopes: string[];
  scopeExpression: string | null;
  type: string | null;
  createdAt: number;
  expiresAt: number;
  clientId: string;
  rev: number;
}

export interface PermissionRecord {
  /** The part of the LDAP DN after `oxTicket=<ticket>,`. */
  id: string;
  ticket: string;
  resourceId: string;
  scopes: string[];
  /** Ticket attributes: permission params, then gathering_id and pct. */
  attributes: Record<string, string>;
  createdAt: number;
  expiresAt: number;
}

export interface PctRecord {
  code: string;
  clientId: string;
  claims: ClaimSet;
  createdAt: number;
  expiresAt: number;
}

export interface RptRecord {
  code: string;
  clientId: string;
  createdAt: number;
  expiresAt: number;
  /** DNs of the permission entries, newest first after an upgrade. */
  permissionDns: string[];
}

export interface UmaSession {
  id: string;
  sessionState: string;
  opbs: string;
  attributes: Map<string, string>;
  expiresAt: number;
  /** FacesMessages kept for the page after a redirect. */
  flash: string[];
}

export function permissionDn(p: PermissionRecord): string {
  return `oxTicket=${p.ticket},${p.id}`;
}

export class AsStore {
  readonly clients = new Map<string, ClientRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly scopes = new Map<string, ScopeRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  readonly tickets = new Map<string, PermissionRecord[]>();
  readonly pcts = new Map<string, PctRecord>();
  readonly rpts = new Map<string, RptRecord>();
  readonly sessions = new Map<string, UmaSession>();
  private writes = 0;
  /** Told every secret the AS hands out (`--record-secrets`, for the suite's leak tests). */
  onSecret: (value: string) => void = () => undefined;

  /** When this oxAuth started: CleanerTimer's schedule counts from here. */
  readonly startedAt: number;

  constructor(
    readonly as: AsSettings,
    readonly clock: Clock,
  ) {
    this.startedAt = clock();
    for (const id of OAUTH_SCOPES) this.scopes.set(id, { id, type: 'openid', policies: [], description: null, iconUri: null });
    for (const s of as.scopes) this.scopes.set(s.id, { id: s.id, type: 'uma', policies: [...s.policies], description: null, iconUri: null });
  }

  now(): number {
    return this.clock();
  }

  private live<T extends { expiresAt: number }>(map: Map<string, T>, key: string): T | undefined {
    const v = map.get(key);
    if (v && v.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return v;
  }

  /** Drops expired entries now and then, as oxAuth's cleanup timer does. */
  private wrote(): void {
    if (++this.writes % 512 !== 0) return;
    const now = this.now();
    for (const map of [this.accessTokens, this.resources, this.pcts, this.rpts, this.sessions] as Map<string, { expiresAt: number }>[]) {
      for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
    }
    for (const [t, ps] of this.tickets) if (ps.every((p) => now >= this.cleanedAt(p.expiresAt))) this.tickets.delete(t);
  }

  // Clients
  addClient(c: ClientRecord): void {
    this.onSecret(c.clientSecret);
    this.onSecret(c.registrationAccessToken);
    this.clients.set(c.clientId, c);
    this.wrote();
  }

  client(clientId: string | null | undefined): ClientRecord | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  // Access tokens (client credentials grants, PATs)
  issueAccessToken(clientId: string, scopes: string[], lifetime: number): AccessTokenRecord {
    const now = this.now();
    const t = { code: uuid(), clientId, scopes, createdAt: now, expiresAt: now + lifetime * 1000 };
    this.onSecret(t.code);
    this.accessTokens.set(t.code, t);
    this.wrote();
    return t;
  }

  accessToken(code: string | null | undefined): AccessTokenRecord | undefined {
    return code ? this.live(this.accessTokens, code) : undefined;
  }

  // Scopes
  scope(id: string): ScopeRecord | undefined {
    return this.scopes.get(id);
  }

  /** UmaScopeService.addScope: only with umaAddScopesAutomatically. */
  addUmaScope(id: string): ScopeRecord {
    const s: ScopeRecord = { id, type: 'uma', policies: [], description: null, iconUri: null };
    this.scopes.set(id, s);
    return s;
  }

  // Resources
  putResource(r: ResourceRecord): void {
    this.resources.set(r.id, r);
    this.wrote();
  }

  resource(id: string): ResourceRecord | undefined {
    return this.live(this.resources, id);
  }

  // Permissions and tickets
  addPermissions(ps: PermissionRecord[]): void {
    if (ps.length === 0) return;
    this.tickets.set(ps[0].ticket, ps);
    this.wrote();
  }

  /**
   * UmaPermissionService.getPermissionsByTicket: an LDAP search by oxTicket that does not look at
   * the expiration (oxAuth version_4.2.3 uma/service/UmaPermissionService.java lines 127-136), and
   * UmaValidationService.validateTicket checks only that some were found (lines 219-231): a ticket
   * past its lifetime is usable until the cleaner removes its entries ([] from then on).
   */
  permissionsByTicket(ticket: string): PermissionRecord[] {
    const ps = this.tickets.get(ticket);
    if (!ps) return [];
    const now = this.now();
    const kept = ps.filter((p) => now < this.cleanedAt(p.expiresAt));
    if (kept.length === 0) this.tickets.delete(ticket);
    return kept;
  }

  /**
   * When oxAuth's CleanerTimer removes an entry that expires at `expiresAt` (ms). Its event fires
   * every 30 s (DEFAULT_INTERVAL, CleanerTimer.java line 51) and cleans only when at least
   * cleanServiceInterval has passed since the last clean-up finished (isStartProcess, lines 113-121),
   * removing what expired before that moment. With 60 s the runs are at 60 s after start, then
   * every 90 s (the 120 s tick comes a moment short of 60 s after the first run finished).
   */
  cleanedAt(expiresAt: number): number {
    const interval = this.as.cleanServiceInterval * 1000;
    if (interval < 0) return Infinity;
    const tick = Math.max(1, this.as.cleanerTimerTick * 1000);
    const first = this.startedAt + tick * Math.max(1, Math.ceil(interval / tick));
    if (expiresAt < first) return first;
    const period = tick * (Math.floor(interval / tick) + 1);
    return first + period * (Math.floor((expiresAt - first) / period) + 1);
  }

  permissionByDn(dn: string): PermissionRecord | undefined {
    const m = /^oxTicket=([^,]*),(.*)$/.exec(dn);
    if (!m) return undefined;
    return this.tickets.get(m[1])?.find((p) => p.id === m[2]);
  }

  /**
   * UmaPermissionService.changeTicket: the entries move to a new ticket with
   * the given attributes; the old ticket is gone. With keepOld (fault
   * ticket-reusable) the old entries stay as they were.
   */
  changeTicket(permissions: PermissionRecord[], attributes: Record<string, string>, keepOld = false): string {
    const newTicket = uuid();
    const moved = permissions.map((p) => ({ ...p, ticket: newTicket, attributes: { ...attributes } }));
    if (!keepOld && permissions.length > 0) this.tickets.delete(permissions[0].ticket);
    this.tickets.set(newTicket, moved);
    this.wrote();
    return newTicket;
  }

  // PCTs
  createPct(clientId: string): PctRecord {
    const now = this.now();
    const pct = { code: gluuCode(), clientId, claims: new ClaimSet(), createdAt: now, expiresAt: now + this.as.umaPctLifetime * 1000 };
    this.onSecret(pct.code);
    this.pcts.set(pct.code, pct);
    this.wrote();
    return pct;
  }

  pct(code: string | null | undefined): PctRecord | undefined {
    return code ? this.live(this.pcts, code) : undefined;
  }

  // RPTs
  createRpt(clientId: string, permissionDns: string[]): RptRecord {
    const now = this.now();
    const rpt = { code: gluuCode(), clientId, createdAt: now, expiresAt: now + this.as.umaRptLifetime * 1000, permissionDns };
    this.onSecret(rpt.code);
    this.rpts.set(rpt.code, rpt);
    this.wrote();
    return rpt;
  }

  rpt(code: string | null | undefined): RptRecord | undefined {
    return code ? this.live(this.rpts, code) : undefined;
  }

  // UMA sessions
  addSession(s: UmaSession): void {
    for (const cookie of [s.id, s.opbs, s.sessionState]) this.onSecret(cookie);
    this.sessions.set(s.id, s);
    this.wrote();
  }

  session(id: string | undefined): UmaSession | undefined {
    return id ? this.live(this.sessions, id) : undefined;
  }
}
