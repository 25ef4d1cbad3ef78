// The value checks behind Kong 2.2.1's typedefs (kong/db/schema/typedefs.lua,
// kong/tools/utils.lua normalize_ip, LuaSocket url.parse). Each returns an
// error message, or undefined when the value is fine.

export interface ParsedUrl {
  scheme?: string;
  authority?: string;
  host?: string;
  port?: string;
  path?: string;
  query?: string;
  fragment?: string;
}

/** LuaSocket `url.parse` (lenient, never throws). */
export function parseUrl(url: string): ParsedUrl | undefined {
  if (url === '') return undefined;
  const parsed: ParsedUrl = {};
  let rest = url;
  rest = rest.replace(/^([A-Za-z0-9][A-Za-z0-9+\-.]*):/, (_, s: string) => {
    parsed.scheme = s;
    return '';
  });
  rest = rest.replace(/^\/\/([^/]*)/, (_, a: string) => {
    parsed.authority = a;
    return '';
  });
  rest = rest.replace(/#(.*)$/, (_, f: string) => {
    parsed.fragment = f;
    return '';
  });
  rest = rest.replace(/\?(.*)/, (_, q: string) => {
    parsed.query = q;
    return '';
  });
  rest = rest.replace(/;(.*)/, () => '');
  if (rest !== '') parsed.path = rest;
  let authority = parsed.authority;
  if (authority === undefined) return parsed;
  authority = authority.replace(/^([^@]*)@/, '');
  authority = authority.replace(/:([^:\]]*)$/, (_, p: string) => {
    parsed.port = p;
    return '';
  });
  if (authority !== '') parsed.host = /^\[(.+)\]$/.exec(authority)?.[1] ?? authority;
  return parsed;
}

/** typedefs.url */
export function validateUrl(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (!parsed) return 'could not parse url. invalid url';
  if (!parsed.host) return 'missing host in url';
  if (!parsed.scheme) return 'missing scheme in url';
  return undefined;
}

type HostType = 'ipv4' | 'ipv6' | 'name';

function hostnameType(name: string): HostType {
  if ((name.match(/:/g) ?? []).length > 1) return 'ipv6';
  if (/^[\d.]+$/.test(name.replace(/:/g, ''))) return 'ipv4';
  return 'name';
}

interface Normalized {
  type: HostType;
  port?: number;
}

function normalizeIpv4(address: string): Normalized | string {
  const m = address.includes(':')
    ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d+)$/.exec(address)
    : /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return `invalid ipv4 address: ${address}`;
  if (m.slice(1, 5).some((o) => Number(o) > 255)) return `invalid ipv4 address: ${address}`;
  if (m[5] !== undefined && Number(m[5]) > 65535) return 'invalid port number';
  return { type: 'ipv4', port: m[5] === undefined ? undefined : Number(m[5]) };
}

function normalizeIpv6(address: string): Normalized | string {
  let check = address;
  let port: number | undefined;
  const bracketed = /^(\[[^\]]*\])(.*)$/.exec(address);
  if (bracketed) {
    check = bracketed[1].slice(1, -1);
    if (bracketed[2] !== '') {
      const p = /^:(\d*)$/.exec(bracketed[2]);
      if (!p) return 'invalid ipv6 address';
      port = Number(p[1]);
      if (port > 65535) return 'invalid port number';
    }
  }
  if (check.startsWith(':')) check = '0' + check;
  if (check.endsWith(':')) check = check + '0';
  if (check.includes('::')) {
    const count = (check.match(/:/g) ?? []).length;
    check = check.replace('::', ':' + '0:'.repeat(Math.max(0, 8 - count)));
  }
  if (!/^([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}$/.test(check)) return `invalid ipv6 address: ${address}`;
  return { type: 'ipv6', port };
}

function checkHostname(address: string): Normalized | string {
  let name = address;
  let port: number | undefined;
  const p = /:(\d+)$/.exec(address);
  if (p) {
    name = name.slice(0, -(p[1].length + 1));
    port = Number(p[1]);
    if (port > 65535) return 'invalid port number';
  }
  if (!/^[A-Za-z0-9\-._]+$/.test(name)) return `invalid hostname: ${address}`;
  for (const segment of name.split('.')) {
    if (segment === '' || segment.endsWith('-')) return `invalid hostname: ${address}`;
  }
  return { type: 'name', port };
}

/** utils.normalize_ip: a result or an error message. */
export function normalizeIp(address: string): Normalized | string {
  const type = hostnameType(address);
  if (type === 'ipv4') return normalizeIpv4(address);
  if (type === 'ipv6') return normalizeIpv6(address);
  return checkHostname(address);
}

/** typedefs.host (service host) */
export function validateHost(host: string): string | undefined {
  const res = normalizeIp(host);
  if (typeof res === 'string' && res !== 'invalid port number') return `invalid value: ${host}`;
  if (res === 'invalid port number' || (typeof res !== 'string' && res.port !== undefined)) return 'must not have a port';
  return undefined;
}

/** routes hosts: validate_host_with_wildcards */
export function validateHostWithWildcards(host: string): string | undefined {
  const res = normalizeIp(host.replace(/\*/g, 'abc'));
  return typeof res === 'string' ? res : undefined;
}

const RFC3986_PATH = /^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/;

/** typedefs.path custom validator */
export function validatePath(path: string): { err: string; code: 'rfc3986' | 'percent' } | undefined {
  if (!RFC3986_PATH.test(path)) {
    return { err: `invalid path: '${path}' (characters outside of the reserved list of RFC 3986 found)`, code: 'rfc3986' };
  }
  const raw = path.replace(/%[0-9a-fA-F]{2}/g, '___');
  const pct = raw.indexOf('%');
  if (pct !== -1) return { err: `invalid url-encoded value: '${raw.slice(pct, pct + 3)}'`, code: 'percent' };
  return undefined;
}

/** routes paths: validate_path_with_regexes */
export function validateRoutePath(path: string): string | undefined {
  const res = validatePath(path);
  if (res?.code === 'percent') return res.err;
  if (/^[a-zA-Z0-9.\-_~/%]*$/.test(path)) return undefined;
  try {
    new RegExp(path);
  } catch (e) {
    return `invalid regex: '${path}' (PCRE returned: ${(e as Error).message})`;
  }
  return undefined;
}

/** typedefs.name */
export function validateName(name: string): string | undefined {
  if (!/^[A-Za-z0-9.\-_~]+$/.test(name)) {
    return `invalid value '${name}': it must only contain alphanumeric and '., -, _, ~' characters`;
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
}
