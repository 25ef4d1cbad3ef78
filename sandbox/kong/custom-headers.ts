// Upstream headers from `custom_headers` (kong-common.lua make_headers /
// map_header, gateway.md §9). The result is cached by token only (the
// anonymous path caches under "nil"), 1 h, across plugin instances (Q7).
import { cjsonEncode } from './json';
import { evalLuaExp, parseLuaExp } from './lua-exp';
import { base64NoPad, LuaError, luaNumber, luaToString } from './lua-values';
import { HEADER_CACHE_TTL, type LruCache } from './caches';

export interface CustomHeader {
  header_name: string;
  value_lua_exp: string;
  format?: string;
  sep?: string;
  iterate?: boolean;
}

const isTable = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** make_jwt_alg_none: base64 (standard alphabet, no padding) of the header and cjson payload, empty signature. */
export function jwtAlgNone(value: unknown): string {
  const header = base64NoPad(cjsonEncode({ typ: 'JWT', alg: 'none' }));
  const payload = base64NoPad(value === undefined ? 'null' : cjsonEncode(value));
  return `${header}.${payload}.`;
}

/** ngx.escape_uri: everything but ALPHA / DIGIT / "-" / "." / "_" / "~" is %XX. */
function escapeUri(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function scalarString(v: unknown, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return luaNumber(v);
  throw new LuaError(`bad argument #1 to '${fn}' (string expected, got ${v === null ? 'userdata' : typeof v})`);
}

/** map_header: sets `out[name]` or leaves it unset (logged by GG). */
function mapHeader(name: string, value: unknown, format: string | undefined, sep: string | undefined, out: Record<string, string>): void {
  if (value === undefined || value === false) return;
  const fmt = format ?? (typeof value === 'string' || typeof value === 'number' ? 'string' : 'base64');
  switch (fmt) {
    case 'jwt':
      if (isTable(value)) out[name] = jwtAlgNone(value);
      return;
    case 'base64':
      // ngx.encode_base64 without the no-padding flag
      out[name] = Buffer.from(isTable(value) ? cjsonEncode(value) : scalarString(value, 'encode_base64')).toString('base64');
      return;
    case 'list': {
      if (typeof value === 'string') return;
      if (!isTable(value)) throw new LuaError(`attempt to get length of a ${value === null ? 'userdata' : typeof value} value`);
      const items = Array.isArray(value) ? value : [];
      if (items.length === 0) return;
      out[name] = items.map((i) => scalarString(i, 'concat')).join(sep ?? ',');
      return;
    }
    case 'urlencoded':
      out[name] = escapeUri(isTable(value) ? cjsonEncode(value) : scalarString(value, 'escape_uri'));
      return;
    case 'string':
      out[name] = isTable(value) ? cjsonEncode(value) : luaToString(value);
      return;
    default:
      return;
  }
}

/**
 * make_headers(custom_headers, environment, cache_key). The returned table
 * is the cached one: the caller's later additions (X-Anonymous-Consumer)
 * land in the cache too, as in GG.
 */
export function makeHeaders(
  customHeaders: CustomHeader[] | undefined,
  env: Record<string, unknown>,
  /** The token (GG's key), undefined on the anonymous path; the fix profile of SEC-GW-03 passes a fuller key. */
  cacheKey: string | undefined,
  cache: LruCache<Record<string, string>>,
): Record<string, string> {
  const key = cacheKey ?? 'nil';
  const cached = cache.get(key);
  if (cached) return cached;
  if (!customHeaders || customHeaders.length === 0) return {};
  const out: Record<string, string> = {};
  for (const header of customHeaders) {
    const exp = parseLuaExp(header.value_lua_exp);
    const value = exp ? evalLuaExp(exp, env) : undefined;
    if (value === undefined) continue;
    if (header.iterate) {
      if (!isTable(value)) continue;
      const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v]) : Object.entries(value);
      for (const [k, v] of entries) {
        const name = header.header_name.split('{*}').join(k).replace(/_/g, '-');
        mapHeader(name, v, header.format, header.sep, out);
      }
    } else {
      mapHeader(header.header_name.replace(/_/g, '-'), value, header.format, header.sep, out);
    }
  }
  cache.set(key, out, HEADER_CACHE_TTL);
  return out;
}
