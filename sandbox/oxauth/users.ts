// The people the AS knows (ctx.settings.as.users, contract §2): the password
// check of the default login form, the claims each scope releases, and the
// pairwise subject.
// * Claims per scope: CES templates/scopes.ldif oxAuthClaim lists
//   (profile: name, family_name, given_name, … picture …; email: email,
//   email_verified). userinfo writes every value with String.valueOf except
//   booleans and lists (UserInfoRestWebServiceImpl.getJSonResponse).
// * Subject: CES defaultSubjectType pairwise, pairwiseIdType algorithmic,
//   shareSubjectIdBetweenClientsWithSameSectorId true: one value per user and
//   sector (the host of the client's first redirect URI, SectorIdentifierService),
//   an HMAC-SHA256 under the install's pairwise key and salt. The exact text
//   oxAuth's PairwiseUtil produces is not reproduced (unverified format).
import * as crypto from 'node:crypto';
import type { TestUser } from '../settings';
import type { AsContext } from './as-context';
import type { ClientRecord } from './store';

export const SCOPE_CLAIMS: Record<string, readonly string[]> = {
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  email: ['email', 'email_verified'],
};

/** Made per sandbox start, as CES makes pairwiseCalculationKey/Salt per install. */
const PAIRWISE_KEY = crypto.randomBytes(32);
const PAIRWISE_SALT = crypto.randomBytes(16).toString('hex');

export function findUser(as: AsContext, username: string): TestUser | undefined {
  return as.settings.users.find((u) => u.username === username);
}

/** The LDAP bind of the default ("internal") authentication. */
export function passwordMatches(user: TestUser, password: string): boolean {
  const a = Buffer.from(user.password);
  const b = Buffer.from(password);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The person's inum: stable for the username. */
export function userInum(user: TestUser): string {
  const h = crypto.createHash('sha256').update(`inum:${user.username}`).digest('hex').toUpperCase();
  return `${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}`;
}

/** SectorIdentifierService.getSectorIdentifier: no sector_identifier_uri, so the first redirect URI's host. */
export function sectorOf(client: ClientRecord): string {
  try {
    return new URL(client.redirectUris[0] ?? '').hostname;
  } catch {
    return '';
  }
}

/** The `sub` this client sees for the user (public clients get the inum). */
export function subjectFor(user: TestUser, client: ClientRecord): string {
  if (client.subjectType !== 'pairwise') return userInum(user);
  return crypto.createHmac('sha256', PAIRWISE_KEY).update(`${sectorOf(client)}${userInum(user)}${PAIRWISE_SALT}`).digest('base64url');
}

/** The user's claims the granted scopes release, as userinfo renders them (sub excluded). */
export function scopeClaims(user: TestUser, scopes: readonly string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const values = user.claims as Record<string, string | boolean | undefined>;
  for (const scope of scopes) {
    for (const claim of SCOPE_CLAIMS[scope] ?? []) {
      const v = values[claim];
      if (v === undefined) continue;
      out[claim] = typeof v === 'boolean' ? v : String(v);
    }
  }
  return out;
}
