// lua-resty-session 3.5 cookie storage as GG opens it (oidc-uma.md §1.5):
// the value format, AES-256-CBC + HMAC-SHA1 over id, expiry, data, UA and
// scheme, the attributes, expiry carried in the cookie, chunking, delete
// cookies, hide(), tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import type { PluginRequest } from '../../../sandbox/kong/plugin-context';
import { decodeB64, encodeB64, RestySessions } from '../../../sandbox/kong/resty-session';

const NAME = 'gluu_openid_connect_session';
const SECRET = crypto.randomBytes(32);
const T0 = 1_700_000_000;

function request(opts: { cookie?: string; ua?: string; scheme?: 'http' | 'https' } = {}): PluginRequest {
  const headers: Record<string, string> = {};
  if (opts.ua !== undefined) headers['user-agent'] = opts.ua;
  if (opts.cookie !== undefined) headers.cookie = opts.cookie;
  return {
    method: 'GET',
    uri: '/',
    requestUri: '/',
    query: new URLSearchParams(),
    scheme: opts.scheme ?? 'https',
    host: 'gg.example.org',
    serverPort: 443,
    clientHeaders: { ...headers },
    upstreamHeaders: { ...headers },
    responseHeaders: {},
    body: Buffer.alloc(0),
    shared: {},
    forwardUpstream: async () => undefined,
  };
}

function setCookies(req: PluginRequest): string[] {
  const v = req.responseHeaders['Set-Cookie'];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The Cookie header a browser would send back after these Set-Cookie values. */
function cookieHeader(set: string[]): string {
  return set.map((c) => c.split(';')[0]).join('; ');
}

function sessions(now: { t: number }, secret: Buffer = SECRET, httpOnly = true): RestySessions {
  return new RestySessions({ secret, httpOnly }, () => now.t);
}

function saved(data: Record<string, unknown>, opts: { ua?: string; scheme?: 'http' | 'https'; now?: { t: number }; secret?: Buffer } = {}): string[] {
  const now = opts.now ?? { t: T0 };
  const req = request({ ua: opts.ua ?? 'UA/1', scheme: opts.scheme });
  const s = sessions(now, opts.secret).open(NAME, req);
  s.start();
  Object.assign(s.data, data);
  s.save();
  return setCookies(req);
}

test('a new session: one Set-Cookie `name=b64(id)|expires|b64(data)|b64(hmac); Path=/; SameSite=Lax; Secure; HttpOnly`, no Expires', () => {
  const [cookie, ...rest] = saved({ original_url: '/settings/' });
  assert.equal(rest.length, 0);
  const m = /^gluu_openid_connect_session=([^;]+); Path=\/; SameSite=Lax; Secure; HttpOnly$/.exec(cookie);
  assert.ok(m, cookie);
  const [id, expires, data, hash] = m[1].split('|');
  assert.equal(decodeB64(id)?.length, 16);
  assert.equal(expires, String(T0 + 3600));
  assert.equal(decodeB64(hash)?.length, 20);
  assert.equal((decodeB64(data)?.length ?? 0) % 16, 0, 'AES-CBC blocks');
  assert.doesNotMatch(m[1], /[+/=]/, 'base64url without padding');
});

test('the data is AES-256-CBC under EVP_BytesToKey(SHA-512, salt = id[0..8], key = HMAC-SHA1(secret, id..expires)), signed over data, UA and scheme', () => {
  const [cookie] = saved({ original_url: '/a/b' }, { ua: 'Mozilla/5.0' });
  const [idB64, expires, dataB64, hashB64] = cookie.split(';')[0].slice(NAME.length + 1).split('|');
  const id = decodeB64(idB64) as Buffer;
  const key = Buffer.concat([id, Buffer.from(expires)]);
  const hkey = crypto.createHmac('sha1', SECRET).update(key).digest();
  const d = crypto.createHash('sha512').update(Buffer.concat([hkey, id.subarray(0, 8)])).digest();
  const decipher = crypto.createDecipheriv('aes-256-cbc', d.subarray(0, 32), d.subarray(32, 48));
  const plain = Buffer.concat([decipher.update(decodeB64(dataB64) as Buffer), decipher.final()]);
  assert.equal(plain.toString(), '{"original_url":"\\/a\\/b"}');
  const mac = crypto.createHmac('sha1', hkey).update(Buffer.concat([key, plain, Buffer.from('Mozilla/5.0https')])).digest();
  assert.equal(encodeB64(mac), hashB64);
});

test('round trip: the same UA and scheme open the session with its data; hide() takes the cookie out of the upstream Cookie header', () => {
  const now = { t: T0 };
  const set = saved({ original_url: '/x', n: 1 }, { now });
  const req = request({ ua: 'UA/1', cookie: `a=1; ${cookieHeader(set)}; b=2` });
  const s = sessions(now).open(NAME, req);
  assert.equal(s.present, true);
  assert.deepEqual(s.data, { original_url: '/x', n: 1 });
  s.hide();
  assert.deepEqual(req.upstreamHeaders.cookie, ['a=1', 'b=2']);
  assert.deepEqual(setCookies(req), [], 'opening alone writes no cookie');
});

test('binding: another User-Agent, the other scheme or another secret (Kong restarted) do not open it', () => {
  const now = { t: T0 };
  const header = cookieHeader(saved({ k: 'v' }, { now, ua: 'UA/1', scheme: 'https' }));
  const open = (ua: string, scheme: 'http' | 'https', secret = SECRET) => sessions(now, secret).open(NAME, request({ ua, scheme, cookie: header }));
  assert.equal(open('UA/1', 'https').present, true);
  const otherUa = open('UA/2', 'https');
  assert.equal(otherUa.present, false);
  assert.equal(otherUa.reason, 'cookie has invalid signature');
  assert.deepEqual(otherUa.data, {});
  assert.equal(open('UA/1', 'http').present, false);
  assert.equal(open('UA/1', 'https', crypto.randomBytes(32)).reason, 'unable to decrypt data');
});

test('a shared $session_secret opens the cookie on another Kong node (GG test "2 kongs")', () => {
  const now = { t: T0 };
  const secret = Buffer.from('1234567890');
  const header = cookieHeader(saved({ k: 'v' }, { now, secret }));
  assert.equal(sessions(now, Buffer.from('1234567890')).open(NAME, request({ ua: 'UA/1', cookie: header })).present, true);
});

test('expiry 3600 s after the save, carried in the cookie: valid at +3599, expired at +3600', () => {
  const now = { t: T0 };
  const header = cookieHeader(saved({ k: 'v' }, { now }));
  now.t = T0 + 3599;
  assert.equal(sessions(now).open(NAME, request({ ua: 'UA/1', cookie: header })).present, true);
  now.t = T0 + 3600;
  assert.equal(sessions(now).open(NAME, request({ ua: 'UA/1', cookie: header })).reason, 'session cookie has expired');
});

test('start() on a present session saves again only inside the renew window (600 s before expiry)', () => {
  const now = { t: T0 };
  const header = cookieHeader(saved({ k: 'v' }, { now }));
  now.t = T0 + 100;
  const early = request({ ua: 'UA/1', cookie: header });
  sessions(now).open(NAME, early).start();
  assert.deepEqual(setCookies(early), []);
  now.t = T0 + 3001;
  const late = request({ ua: 'UA/1', cookie: header });
  sessions(now).open(NAME, late).start();
  const [renewed] = setCookies(late);
  assert.equal(renewed.split('|')[1], String(T0 + 3001 + 3600));
});

test('tampering: a changed expiry, data or hash, a wrong part count or a bad base64 part is no session', () => {
  const now = { t: T0 };
  const value = cookieHeader(saved({ k: 'v' }, { now })).slice(NAME.length + 1);
  const [id, expires, data, hash] = value.split('|');
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  const open = (v: string) => sessions(now).open(NAME, request({ ua: 'UA/1', cookie: `${NAME}=${v}` }));
  assert.equal(open([id, String(Number(expires) + 1), data, hash].join('|')).present, false);
  assert.equal(open([id, expires, flip(data), hash].join('|')).present, false);
  assert.equal(open([id, expires, data, flip(hash)].join('|')).reason, 'cookie has invalid signature');
  assert.equal(open([id, expires, data].join('|')).reason, 'invalid number of session cookie parts');
  assert.equal(open([id, expires, data, hash, 'x'].join('|')).reason, 'too many session cookie parts');
  assert.equal(open([id, 'soon', data, hash].join('|')).reason, 'invalid session cookie expiry');
  assert.equal(open([`${id}!`, expires, data, hash].join('|')).reason, 'unable to decode session cookie part (id)');
});

test('chunking: values over 4000 chars go out as name, name_2, … (all but the last 4000 chars + "0") and are read back', () => {
  const now = { t: T0 };
  const big = crypto.randomBytes(4000).toString('hex');
  const set = saved({ big }, { now });
  assert.equal(set.length, 3);
  assert.match(set[0], /^gluu_openid_connect_session=/);
  assert.match(set[1], /^gluu_openid_connect_session_2=/);
  assert.match(set[2], /^gluu_openid_connect_session_3=[^;]+; Path=\/; SameSite=Lax; Secure; HttpOnly$/);
  const values = set.map((c) => c.split(';')[0].replace(/^[^=]+=/, ''));
  assert.equal(values[0].length, 4001);
  assert.equal(values[0].at(-1), '0');
  assert.equal(values[1].length, 4001);
  const req = request({ ua: 'UA/1', cookie: `x=1; ${cookieHeader(set)}` });
  const s = sessions(now).open(NAME, req);
  assert.equal(s.present, true);
  assert.equal(s.data.big, big);
  s.hide();
  assert.equal(req.upstreamHeaders.cookie, 'x=1');
});

test('destroy(): a delete cookie for every chunk received, `name=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; Path=/; SameSite=Lax; Secure; HttpOnly`', () => {
  const now = { t: T0 };
  const set = saved({ big: crypto.randomBytes(2500).toString('hex') }, { now });
  assert.equal(set.length, 2);
  const req = request({ ua: 'UA/1', cookie: cookieHeader(set) });
  const s = sessions(now).open(NAME, req);
  s.start();
  s.destroy();
  assert.deepEqual(setCookies(req), [
    'gluu_openid_connect_session=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; Path=/; SameSite=Lax; Secure; HttpOnly',
    'gluu_openid_connect_session_2=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; Path=/; SameSite=Lax; Secure; HttpOnly',
  ]);
});

test('over http the cookie has no Secure; with httponly off (fault session-cookie-script-readable) no HttpOnly', () => {
  const [plain] = saved({ k: 1 }, { scheme: 'http' });
  assert.match(plain, /; Path=\/; SameSite=Lax; HttpOnly$/);
  const req = request({ ua: 'UA/1' });
  const s = sessions({ t: T0 }, SECRET, false).open(NAME, req);
  s.save();
  assert.match(setCookies(req)[0], /; Path=\/; SameSite=Lax; Secure$/);
});

test('a second save in the same request replaces the first Set-Cookie of that name; another cookie name is kept', () => {
  const req = request({ ua: 'UA/1' });
  const all = sessions({ t: T0 });
  const a = all.open(NAME, req);
  a.start();
  a.data.step = 2;
  a.save();
  const b = all.open('gluu_uma_pep_session', req);
  b.save();
  const set = setCookies(req);
  assert.equal(set.length, 2);
  assert.match(set[0], /^gluu_openid_connect_session=/);
  assert.match(set[1], /^gluu_uma_pep_session=/);
  const reopened = all.open(NAME, request({ ua: 'UA/1', cookie: cookieHeader(set) }));
  assert.deepEqual(reopened.data, { step: 2 });
});

test('hide(): only the session cookie and its numbered chunks; nothing found leaves the header as it was; none left drops it', () => {
  const hidden = (cookie: string) => {
    const req = request({ ua: 'UA/1', cookie });
    sessions({ t: T0 }).open('gluu_uma_pep_session', req).hide();
    return req.upstreamHeaders.cookie;
  };
  assert.deepEqual(hidden('a=1; gluu_uma_pep_session=x; b=2'), ['a=1', 'b=2']);
  assert.equal(hidden('gluu_uma_pep_session=x;gluu_uma_pep_session_2=y'), undefined);
  assert.equal(hidden('gluu_uma_pep_session_x=1; a=2'), 'gluu_uma_pep_session_x=1; a=2');
  assert.equal(hidden('a=1'), 'a=1');
  assert.equal(hidden('gluu_openid_connect_session=z; gluu_uma_pep_session=x'), 'gluu_openid_connect_session=z');
});
