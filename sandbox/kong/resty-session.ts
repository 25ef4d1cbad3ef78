// lua-resty-session 3.5 (bungle/lua-resty-session @ v3.5, commit ee6e6ba,
// the third-party submodule of GG 4.2) as GG's plugins open it:
// `resty_session.open{ name = … }` with every other setting at the library
// default (oidc-uma.md §1.5): cookie storage (the cookie carries the data),
// default strategy, json serializer, base64url-without-padding encoder,
// AES-256-CBC cipher keyed through EVP_BytesToKey(SHA-512, 1 round),
// HMAC-SHA1, random 16-byte ids, lifetime 3600 s, renew 600 s, idletime 0,
// maxsize 4000, checks on User-Agent and scheme. Read from session.lua,
// strategies/default.lua, ciphers/aes.lua, encoders/base64.lua; no code copied.
import * as crypto from 'node:crypto';
import { cjsonEncode } from './json';
import { luaNumber } from './lua-values';
import type { PluginRequest } from './plugin-context';

const LIFETIME = 3600;
const RENEW = 600;
const MAXSIZE = 4000;
const ID_LENGTH = 16;

export interface SessionCookieSettings {
  /** `$session_secret`, else 32 random bytes drawn when the module loads (session.lua line 339). */
  secret: Buffer;
  /** `$session_cookie_httponly`, default on (fault `session-cookie-script-readable` turns it off). */
  httpOnly: boolean;
}

/** encoders/base64.lua: ngx.encode_base64(v, true) with `+/` → `-_`. */
export function encodeB64(value: Buffer): string {
  return value.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** ngx.decode_base64 after `-_` → `+/`: stops at `=`, any other foreign character or a length ≡ 1 (mod 4) fails. */
export function decodeB64(value: string): Buffer | undefined {
  const std = value.replace(/-/g, '+').replace(/_/g, '/');
  const end = std.indexOf('=');
  const body = end === -1 ? std : std.slice(0, end);
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) return undefined;
  return Buffer.from(body, 'base64');
}

const hmacSha1 = (key: Buffer, data: Buffer): Buffer => crypto.createHmac('sha1', key).update(data).digest();

/** resty.aes with a hash: EVP_BytesToKey(aes-256-cbc, sha512, salt, key, 1 round) gives key and IV. */
function aesKeyIv(hkey: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const d = crypto.createHash('sha512').update(Buffer.concat([hkey, salt])).digest();
  return { key: d.subarray(0, 32), iv: d.subarray(32, 48) };
}

/** ciphers/aes.lua adjust_salt: the id's first 8 bytes (repeated when shorter; an empty id has no salt). */
function adjustSalt(id: Buffer): Buffer | undefined {
  if (id.length === 0) return undefined;
  if (id.length < 8) return Buffer.concat(Array(Math.ceil(8 / id.length)).fill(id)).subarray(0, 8);
  return id.subarray(0, 8);
}

function encrypt(plain: Buffer, hkey: Buffer, id: Buffer): Buffer {
  const salt = adjustSalt(id);
  if (!salt) throw new Error('salt must be 8 characters or nil');
  const { key, iv } = aesKeyIv(hkey, salt);
  const c = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([c.update(plain), c.final()]);
}

function decrypt(data: Buffer, hkey: Buffer, id: Buffer): Buffer | undefined {
  const salt = adjustSalt(id);
  if (!salt) return undefined;
  const { key, iv } = aesKeyIv(hkey, salt);
  try {
    const d = crypto.createDecipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    return undefined;
  }
}

/** Lua tonumber(s, 10): optional sign, decimal digits, surrounding whitespace. */
function luaToInteger(s: string): number | undefined {
  return /^\s*-?[0-9]+\s*$/.test(s) ? Number(s) : undefined;
}

interface ParsedCookie {
  id: Buffer;
  expires: number;
  usebefore?: number;
  data: Buffer;
  hash: Buffer;
}

/** The `;`-separated pairs of a Cookie header (nginx's $cookie_NAME compares names case-insensitively). */
function cookiePairs(header: string | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}

/** The Cookie header(s) as they stand now (an earlier plugin's hide() may have split them). */
function cookieHeader(req: PluginRequest): string | undefined {
  const v = req.upstreamHeaders.cookie;
  return Array.isArray(v) ? v.join('; ') : v;
}

function cookieVar(header: string | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return cookiePairs(header).find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** session.lua is_session_cookie: the name, or name_<number> (a chunk). Returns the trimmed pair too. */
function isSessionCookie(raw: string, name: string): { session: boolean; cookie?: string } {
  const cookie = raw.trim();
  if (cookie === '') return { session: false };
  const eq = cookie.indexOf('=');
  if (eq === -1) return { session: false, cookie };
  const cookieName = cookie.slice(0, eq).replace(/\s+$/, '');
  if (cookieName === '') return { session: false, cookie };
  if (cookieName !== name) {
    if (!cookieName.startsWith(name) || cookieName[name.length] !== '_') return { session: false, cookie };
    if (luaToInteger(cookieName.slice(name.length + 1)) === undefined) return { session: false, cookie };
  }
  return { session: true, cookie };
}

/** One opened session (session.open / start / save / destroy / hide). */
export class RestySession {
  data: Record<string, unknown> = {};
  present = false;
  started = false;
  destroyed = false;
  private id: Buffer;
  private expires = 0;
  private usebefore: number | undefined;
  /** Chunks of the cookie received (get_cookie), so destroy() clears each. */
  private chunks: number | undefined;
  /** ngx.time() when the session was opened. */
  private readonly now: number;
  /** check.ua + check.scheme: the HMAC binds the cookie to both. */
  private readonly bindKey: string;
  private readonly secure: boolean;
  /** Why the cookie was not accepted (session.open's third result). */
  reason?: string;

  constructor(
    readonly name: string,
    private readonly req: PluginRequest,
    private readonly settings: SessionCookieSettings,
    nowSeconds: number,
  ) {
    this.now = Math.floor(nowSeconds);
    this.secure = req.scheme === 'https';
    const ua = req.clientHeaders['user-agent'];
    this.bindKey = `${Array.isArray(ua) ? ua[0] : (ua ?? '')}${req.scheme}`;
    this.id = crypto.randomBytes(ID_LENGTH);
    const value = this.readCookie();
    if (value !== undefined) {
      const parsed = this.parse(value);
      if (typeof parsed === 'string') this.reason = parsed;
      else {
        const loaded = this.load(parsed);
        if (loaded !== undefined) this.reason = loaded;
      }
    }
    if (!this.present) {
      // regenerate(self, true): fresh id, empty data
      this.id = crypto.randomBytes(ID_LENGTH);
      this.data = {};
    }
  }

  /** get_cookie: `name`, then `name_2`, … while a chunk is longer than maxsize (the trailing "0"). */
  private readCookie(): string | undefined {
    const header = cookieHeader(this.req);
    let value = cookieVar(header, this.name);
    if (value === undefined) return undefined;
    this.chunks = 1;
    let out = '';
    let i = 1;
    while (value !== undefined && value.length > MAXSIZE) {
      out += value.slice(0, MAXSIZE);
      i++;
      value = cookieVar(header, `${this.name}_${i}`);
      if (value !== undefined) this.chunks = i;
    }
    return out + (value ?? '');
  }

  /** session:parse_cookie for cookie storage: id|expires[:usebefore]|data|hash. */
  private parse(value: string): ParsedCookie | string {
    const parts = value.split('|');
    if (parts.length > 4) return 'too many session cookie parts';
    if (parts.length !== 4) return 'invalid number of session cookie parts';
    const [idPart, expiresPart, dataPart, hashPart] = parts;
    const id = decodeB64(idPart);
    if (!id) return 'unable to decode session cookie part (id)';
    let expires: number | undefined;
    let usebefore: number | undefined;
    const colon = expiresPart.indexOf(':', 1);
    if (colon !== -1) {
      expires = luaToInteger(expiresPart.slice(0, colon));
      if (expires === undefined) return 'invalid session cookie expiry';
      usebefore = luaToInteger(expiresPart.slice(colon + 1));
      if (usebefore === undefined) return 'invalid session cookie usebefore';
    } else {
      expires = luaToInteger(expiresPart);
      if (expires === undefined) return 'invalid session cookie expiry';
    }
    const data = decodeB64(dataPart);
    if (!data) return 'unable to decode session cookie part (data)';
    const hash = decodeB64(hashPart);
    if (!hash) return 'unable to decode session cookie part (hash)';
    if (expires <= this.now) return 'session cookie has expired';
    if (usebefore !== undefined && usebefore <= this.now) return 'session cookie idle time has passed';
    return { id, expires, usebefore, data, hash };
  }

  /** `id .. expires .. usebefore` as Lua's table.concat writes it. */
  private static keyOf(id: Buffer, expires: number, usebefore: number | undefined): Buffer {
    return Buffer.concat([id, Buffer.from(luaNumber(expires) + (usebefore === undefined ? '' : luaNumber(usebefore)))]);
  }

  /** strategies/default.lua load: decrypt, check the HMAC (with UA and scheme), deserialize. */
  private load(c: ParsedCookie): string | undefined {
    const key = RestySession.keyOf(c.id, c.expires, c.usebefore);
    const hkey = hmacSha1(this.settings.secret, key);
    const plain = decrypt(c.data, hkey, c.id);
    if (!plain) return 'unable to decrypt data';
    const expected = hmacSha1(hkey, Buffer.concat([key, plain, Buffer.from(this.bindKey)]));
    if (!expected.equals(c.hash)) return 'cookie has invalid signature';
    let data: unknown;
    try {
      data = JSON.parse(plain.toString('utf8'));
    } catch {
      return 'unable to deserialize data';
    }
    this.id = c.id;
    this.expires = c.expires;
    this.usebefore = c.usebefore;
    this.data = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    this.present = true;
    return undefined;
  }

  /** The session's id as the cookie carries it (b64) and its expiry epoch (fix-logout-server-side). */
  get idAndExpiry(): { id: string; expires: number } {
    return { id: encodeB64(this.id), expires: this.expires };
  }

  /** A cookie the gateway refuses (fix-logout-server-side): as if none had been sent, as open() leaves it then. */
  forget(): void {
    this.present = false;
    this.reason = 'session ended';
    this.id = crypto.randomBytes(ID_LENGTH);
    this.expires = 0;
    this.usebefore = undefined;
    this.data = {};
  }

  /** session:start(): a new session is saved at once; a present one only inside the renew window. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.present) {
      this.save();
      return;
    }
    if (this.expires - this.now < RENEW || this.expires > this.now + LIFETIME) this.save();
    else if (this.usebefore !== undefined) {
      // touch(): idletime 0 drops a usebefore the cookie carried
      this.usebefore = undefined;
      this.setCookie(this.cookieValue(), false);
    }
  }

  /** session:save(): expiry = now + 3600, carried in the cookie. */
  save(): void {
    this.expires = this.now + LIFETIME;
    this.usebefore = undefined;
    this.setCookie(this.cookieValue(), false);
  }

  /** session:destroy(): start(), then a delete cookie for every chunk received. */
  destroy(): void {
    if (this.destroyed) return;
    this.start();
    this.data = {};
    this.present = false;
    this.destroyed = true;
    this.setCookie('', true);
  }

  /** strategies/default.lua modify: b64(id)|expires|b64(AES(data))|b64(HMAC). */
  private cookieValue(): string {
    const key = RestySession.keyOf(this.id, this.expires, this.usebefore);
    const hkey = hmacSha1(this.settings.secret, key);
    const plain = Buffer.from(cjsonEncode(this.data), 'utf8');
    const hash = hmacSha1(hkey, Buffer.concat([key, plain, Buffer.from(this.bindKey)]));
    const data = encrypt(plain, hkey, this.id);
    const expires = luaNumber(this.expires) + (this.usebefore === undefined ? '' : `:${luaNumber(this.usebefore)}`);
    return [encodeB64(this.id), expires, encodeB64(data), encodeB64(hash)].join('|');
  }

  /** set_cookie: attributes, chunks of 4000 (+ "0" on all but the last), replacing an earlier Set-Cookie of the same chunk. */
  private setCookie(value: string, expire: boolean): void {
    let attrs = '';
    if (expire) attrs += '; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0';
    attrs += '; Path=/; SameSite=Lax';
    if (this.secure) attrs += '; Secure';
    if (this.settings.httpOnly) attrs += '; HttpOnly';
    const parts = expire ? (this.chunks ?? 1) : Math.max(Math.ceil(value.length / MAXSIZE), 1);
    const current = this.req.responseHeaders['Set-Cookie'];
    const list = current === undefined ? [] : Array.isArray(current) ? [...current] : [current];
    for (let j = 1; j <= parts; j++) {
      const chunkName = j > 1 ? `${this.name}_${j}=` : `${this.name}=`;
      let piece = '';
      if (!expire) piece = j < parts ? `${value.slice((j - 1) * MAXSIZE, j * MAXSIZE)}0` : value.slice((j - 1) * MAXSIZE);
      const content = `${chunkName}${piece}${attrs}`;
      const at = list.findIndex((c) => c.startsWith(chunkName));
      if (at === -1) list.push(content);
      else list[at] = content;
    }
    this.req.responseHeaders['Set-Cookie'] = list.length === 1 ? list[0] : list;
  }

  /** session:hide(): the session cookie and its chunks leave the Cookie header that goes upstream. */
  hide(): void {
    const header = cookieHeader(this.req);
    if (header === undefined || header === '') return;
    const kept: string[] = [];
    let found = false;
    const parts = header.split(';');
    const last = parts.pop() as string;
    for (const raw of parts) {
      const r = isSessionCookie(raw, this.name);
      if (r.session) found = true;
      else if (r.cookie !== undefined) kept.push(r.cookie);
    }
    // As session.lua has it: only a non-session last pair with nothing found leaves the header alone;
    // an empty last pair ("a=1;") rewrites it even without a session cookie.
    const r = isSessionCookie(last, this.name);
    if (!r.session && r.cookie !== undefined) {
      if (!found) return;
      kept.push(r.cookie);
    }
    if (kept.length === 0) delete this.req.upstreamHeaders.cookie;
    else this.req.upstreamHeaders.cookie = kept.length === 1 ? kept[0] : kept;
  }
}

/** The module: one secret per Kong start, shared by every plugin and worker (oidc-uma.md §1.5). */
export class RestySessions {
  /**
   * fix-logout-server-side only: the ids of sessions that logged out, each
   * until its cookie's own expiry (after that the cookie is refused anyway).
   * Stock GG keeps nothing: with cookie storage, destroy() only sends the
   * delete cookie to the browser that logged out (storage/cookie.lua).
   */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly settings: SessionCookieSettings,
    private readonly now: () => number,
  ) {}

  /** resty_session.open{ name = name } */
  open(name: string, req: PluginRequest): RestySession {
    return new RestySession(name, req, this.settings, this.now());
  }

  /** Remembers a present session as ended (fix-logout-server-side). */
  end(session: RestySession): void {
    if (!session.present) return;
    const now = this.now();
    for (const [id, expires] of this.ended) if (expires <= now) this.ended.delete(id);
    const { id, expires } = session.idAndExpiry;
    this.ended.set(`${session.name}|${id}`, expires);
  }

  /** Whether this present session's id was ended by a logout. */
  isEnded(session: RestySession): boolean {
    return session.present && this.ended.has(`${session.name}|${session.idAndExpiry.id}`);
  }
}
