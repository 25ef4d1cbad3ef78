// The UMA claims-gathering session (UmaSessionService, CookieService;
// oxauth.md §4, §5). A request without a known `uma_session_id` cookie gets a
// new session and three cookies, in this exact form (sessionIdLifetime 86400):
//   uma_session_id=<id>; Path=/; Secure; HttpOnly; Expires=<date>;
//   session_state=<state>; Path=/; Secure; Expires=<date>;
//   opbs=<uuid>; Path=/; Secure; Expires=<date>;
import * as crypto from 'node:crypto';
import { parseCookies, headerValue, type Headers, type Request } from '../lib/http';
import { uuid } from '../lib/ids';
import type { AsContext } from './as-context';
import { SESSION_ID_LIFETIME, type UmaSession } from './store';

export const UMA_SESSION_COOKIE = 'uma_session_id';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** SimpleDateFormat("E, dd MMM yyyy HH:mm:ss Z") in UTC, e.g. "Sat, 28 Nov 2020 04:06:00 +0000". */
export function javaCookieDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function sessionCookies(session: UmaSession): string[] {
  const expires = `; Expires=${javaCookieDate(session.expiresAt)};`;
  return [
    `${UMA_SESSION_COOKIE}=${session.id}; Path=/; Secure; HttpOnly${expires}`,
    `session_state=${session.sessionState}; Path=/; Secure${expires}`,
    `opbs=${session.opbs}; Path=/; Secure${expires}`,
  ];
}

export interface SessionLookup {
  session: UmaSession;
  /** Set-Cookie values when the session was created by this request. */
  setCookies: string[];
}

/** The Set-Cookie header for a freshly created session, or nothing. */
export function cookieHeaders(setCookies: string[]): Headers {
  return setCookies.length > 0 ? { 'Set-Cookie': setCookies } : {};
}

/** UmaSessionService.getSession: the cookie's session, else a new one holding only uma=true. */
export function getSession(as: AsContext, req: Request): SessionLookup {
  const id = parseCookies(headerValue(req, 'cookie'))[UMA_SESSION_COOKIE];
  const existing = as.store.session(id);
  if (existing) return { session: existing, setCookies: [] };
  const salt = uuid();
  const opbs = uuid();
  const session: UmaSession = {
    id: uuid(),
    sessionState: crypto.createHash('sha256').update(`${opbs} ${salt}`).digest('hex') + '.' + salt,
    opbs,
    attributes: new Map([['uma', 'true']]),
    expiresAt: as.store.now() + SESSION_ID_LIFETIME * 1000,
    flash: [],
  };
  as.store.addSession(session);
  return { session, setCookies: sessionCookies(session) };
}

/** The uma_session_id the browser sent, if it names a live session. */
export function existingSession(as: AsContext, req: Request): UmaSession | undefined {
  return as.store.session(parseCookies(headerValue(req, 'cookie'))[UMA_SESSION_COOKIE]);
}

/** getStep: the "step" attribute, 1 when absent or not a number. */
export function getStep(session: UmaSession): number {
  const raw = session.attributes.get('step') ?? '';
  const n = /^-?\d+$/.test(raw) ? Number(raw) : -1;
  if (n === -1) {
    session.attributes.set('step', '1');
    return 1;
  }
  return n;
}

export function setStep(session: UmaSession, step: number): void {
  session.attributes.set('step', String(step));
}

export function markStep(session: UmaSession, step: number): void {
  session.attributes.set(`uma_step_passed_${step}`, 'true');
}

export function isPassedPreviousSteps(session: UmaSession, step: number): boolean {
  for (let i = 1; i < step; i++) if (session.attributes.get(`uma_step_passed_${i}`) !== 'true') return false;
  return true;
}
