// The gluu_uma_pep_session cookie of gluu-uma-pep (lua-resty-session 3.x as
// GG opens it: `resty_session.open{ name = "gluu_uma_pep_session" }`,
// gateway.md §6.2 step 1, §11). The real cookie carries the encrypted data;
// the sandbox keeps the data server-side behind an opaque random value
// (DEVIATIONS). `hide()` removes the cookie (and its `_N` chunks) from the
// request before it goes upstream.
import * as crypto from 'node:crypto';

export const SESSION_COOKIE = 'gluu_uma_pep_session';
const LIFETIME_SECONDS = 3600;

export interface SessionData {
  uma_original_url?: string;
  uma_ticket?: string;
  uma_state?: string;
}

export interface OpenSession {
  id?: string;
  present: boolean;
  data: SessionData;
}

function cookiePairs(header: string | undefined): string[] {
  return (header ?? '').split(';').map((c) => c.trim()).filter((c) => c !== '');
}

function isSessionCookie(cookie: string): boolean {
  const eq = cookie.indexOf('=');
  if (eq <= 0) return false;
  const name = cookie.slice(0, eq).trim();
  if (name === SESSION_COOKIE) return true;
  return name.startsWith(`${SESSION_COOKIE}_`) && /^\d+$/.test(name.slice(SESSION_COOKIE.length + 1));
}

/** session:hide() — the Cookie header without the session cookie; undefined = no Cookie header left. */
export function hideSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return header;
  const all = cookiePairs(header);
  if (!all.some(isSessionCookie)) return header;
  const rest = all.filter((c) => !isSessionCookie(c));
  return rest.length === 0 ? undefined : rest.join('; ');
}

export class PepSessions {
  private readonly sessions = new Map<string, { data: SessionData; expires: number }>();

  constructor(private readonly now: () => number) {}

  open(cookieHeader: string | undefined): OpenSession {
    for (const c of cookiePairs(cookieHeader)) {
      if (!c.startsWith(`${SESSION_COOKIE}=`)) continue;
      const id = c.slice(SESSION_COOKIE.length + 1);
      const s = this.sessions.get(id);
      if (s && s.expires > this.now()) return { id, present: true, data: { ...s.data } };
    }
    return { present: false, data: {} };
  }

  /** session:save() — returns the Set-Cookie value. */
  save(session: OpenSession, secure: boolean): string {
    const id = session.id ?? crypto.randomBytes(32).toString('base64url');
    session.id = id;
    this.sessions.set(id, { data: { ...session.data }, expires: this.now() + LIFETIME_SECONDS });
    return `${SESSION_COOKIE}=${id}; Path=/; SameSite=Lax${secure ? '; Secure' : ''}; HttpOnly`;
  }
}
