// Secrets never reach a report or the console unmasked. Two layers:
// values the suite knows are secret (client secrets, tokens it received) are
// replaced wherever they appear, and fields, headers and query parameters
// whose names say "secret" are masked whatever their value.
import * as crypto from 'node:crypto';

/** JSON keys, form fields and query parameters that always hold secrets. */
const SECRET_KEYS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'registration_access_token',
  'rpt',
  'pct',
  'password',
  'secret',
  'token',
  'protection_access_token',
  // oxAuth's OP session id (its session_id cookie's value, also on the callback URL and in the consent form)
  'session_id',
  // an echo upstream's view of the request headers (the gateway's session cookies hold the id_token and access token)
  'cookie',
  'set-cookie',
]);

/** Headers that always hold credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

const MIN_SECRET_LENGTH = 6;

/**
 * A known secret cut short (a body excerpt, a page's text cut to its first
 * characters) is masked as well from this many characters on: the cut-off
 * start of a token is as much a leak as the whole of it.
 */
const MIN_CUT_PREFIX = 8;

/** What tokens are made of (base64url, base64, JWT dots, Gluu codes): a cut-off secret ends where a run of these ends. */
const TOKEN_CHAR = /[A-Za-z0-9._~+/=-]/;

/** A short stable fingerprint, so evidence can show "the same RPT" without showing it. */
export function fingerprint(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex').slice(0, 6);
}

export function maskToken(value: string): string {
  return value ? `«masked:${fingerprint(value)}»` : value;
}

export class Secrets {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    // The URL-encoded form travels too (query strings), and the form-encoded one (a browser's POST body:
    // space as "+", !'()* percent-encoded); Basic auth headers are masked by name.
    this.values.add(encodeURIComponent(value));
    this.values.add(new URLSearchParams({ v: value }).toString().slice(2));
    this.pattern = undefined;
  }

  /** Replaces every known secret value in free text, whole or cut short. */
  maskText(text: string): string {
    if (!this.values.size || !text) return text;
    if (!this.pattern) {
      const alternatives = [...this.values].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return this.maskCutOff(text.replace(this.pattern, (m) => maskToken(m)));
  }

  /**
   * The start of a known secret (at least MIN_CUT_PREFIX characters) that
   * ends where the text or its run of token characters ends: what is left of
   * the secret after an excerpt cut it. Another token that merely shares the
   * first characters (two JWTs' headers) goes on with token characters and is
   * left alone.
   */
  private maskCutOff(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (value.length <= MIN_CUT_PREFIX) continue;
      const head = value.slice(0, MIN_CUT_PREFIX);
      let at = out.indexOf(head);
      while (at >= 0) {
        let n = MIN_CUT_PREFIX;
        while (n < value.length && out[at + n] === value[n]) n++;
        const end = at + n;
        if (end >= out.length || !TOKEN_CHAR.test(out[end])) {
          const mask = maskToken(value);
          out = out.slice(0, at) + mask + out.slice(end);
          at = out.indexOf(head, at + mask.length);
        } else {
          at = out.indexOf(head, at + 1);
        }
      }
    }
    return out;
  }
}

/**
 * Also any name ending in "token", "secret" or "password" (oxd's
 * client_registration_access_token, claim_token, …), except token_type,
 * and JSF form fields of those names (oxAuth's loginForm:password,
 * authorizeForm:session_id).
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  const field = k.slice(k.lastIndexOf(':') + 1);
  return SECRET_KEYS.has(k) || SECRET_KEYS.has(field) || (/(^|[_.-])(token|secret|password)$/.test(field) && field !== 'token_type');
}

/** Deep copy of a JSON value with secret-named members masked and known secrets replaced. */
export function maskJson(value: unknown, secrets: Secrets): unknown {
  if (typeof value === 'string') return secrets.maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && typeof v === 'string' && v ? maskToken(v) : maskJson(v, secrets);
    }
    return out;
  }
  return value;
}

export function maskHeaders(headers: Record<string, unknown>, secrets: Secrets): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const text = Array.isArray(v) ? v.join(', ') : String(v);
    if (SECRET_HEADERS.has(k.toLowerCase())) {
      // Keep the scheme ("Bearer", "Basic") or cookie names: they are evidence, the rest is not.
      out[k] = maskCredentialHeader(k.toLowerCase(), text);
    } else {
      out[k] = secrets.maskText(text);
    }
  }
  return out;
}

function maskCredentialHeader(name: string, value: string): string {
  if (name === 'cookie' || name === 'set-cookie') {
    return value.replace(/(^|[;,]\s*)([^=;,\s]+)=([^;,]*)/g, (m, sep: string, key: string, v: string) =>
      /^(path|domain|expires|max-age|samesite)$/i.test(key) ? m : `${sep}${key}=${maskToken(v)}`,
    );
  }
  const m = /^(\S+)\s+(.+)$/.exec(value);
  return m ? `${m[1]} ${maskToken(m[2])}` : maskToken(value);
}

/** Masks secret-named parameters of a URL or form body, and known secrets anywhere in it. */
export function maskParams(text: string, secrets: Secrets): string {
  const masked = text.replace(/([?&]|^)([^=&?#]+)=([^&#]*)/g, (m, sep: string, key: string, v: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // keep as sent
    }
    return isSecretKey(name) && v && !v.startsWith('«masked:') ? `${sep}${key}=${maskToken(v)}` : m;
  });
  return secrets.maskText(masked);
}

/** Control characters (C0, DEL, C1) written as \u escapes: quoted input never drives the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A URL shown by its scheme, host and port only: a grid endpoint's path or query may carry its token. */
export function originOnly(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

/** Masks an error's message and stack in place (known secrets, secret-named parameters). */
export function maskError(err: unknown, secrets: Secrets): void {
  if (!(err instanceof Error)) return;
  // Read first: V8 renders the stack lazily, with whatever the message is then.
  const stack = err.stack;
  err.message = maskParams(err.message, secrets);
  if (stack) err.stack = maskParams(stack, secrets);
}
