// Kong 2.2.1 route matching for HTTP (kong/router.lua): routes are split per
// path, grouped by how many attributes they match on (hosts, headers, paths,
// methods), sorted (regex paths first, regex_priority, longer paths first,
// older first), and the first route whose every attribute matches wins.
// Paths are plain prefixes (no segment boundary) or anchored regexes on the
// raw request path; hosts are exact (with or without port) or wildcards.
// Then the upstream path (strip_path, path_handling v0/v1) and Host header.
import { isJsonObject, type JsonObject } from './json';

const HOST = 0x40;
const HEADER = 0x20;
const URI = 0x10;
const METHOD = 0x08;
const HAS_REGEX_URI = 0x01;
const PLAIN_HOSTS_ONLY = 0x02;

interface RouteT {
  route: JsonObject;
  service: JsonObject | undefined;
  matchRules: number;
  matchWeight: number;
  submatchWeight: number;
  maxUriLength: number;
  plainHosts: Set<string>;
  wildcardHosts: RegExp[];
  headers: Array<{ name: string; values: Set<string> }>;
  uri?: { prefix?: string; regex?: RegExp; value: string };
  methods: Set<string>;
}

export interface RouteMatch {
  route: JsonObject;
  service: JsonObject | undefined;
  /** Path (and no query) to call the upstream with. */
  upstreamUri: string;
  /** The Host header to send when preserve_host is on. */
  preservedHost?: string;
  /** The stripped prefix, for X-Forwarded-Prefix. */
  prefix?: string;
}

export interface RouterRequest {
  method: string;
  /** Raw path without the query string. */
  uri: string;
  host: string;
  scheme: 'http' | 'https';
  headers: Record<string, string | string[] | undefined>;
}

function wildcardRegex(host: string): RegExp {
  let re = host.replace(/[.+?^${}()|[\]\\]/g, (c) => (c === '*' ? c : `\\${c}`)).replace(/\*/g, '.+') + '$';
  if (!/:\d+$/.test(host)) re = re.replace(/\$$/, '(?::\\d+)?$');
  return new RegExp('^' + re, 'i');
}

function marshall(route: JsonObject, service: JsonObject | undefined, path: string | undefined): RouteT {
  const t: RouteT = {
    route,
    service,
    matchRules: 0,
    matchWeight: 0,
    submatchWeight: 0,
    maxUriLength: 0,
    plainHosts: new Set(),
    wildcardHosts: [],
    headers: [],
    methods: new Set(),
  };
  const hosts = Array.isArray(route.hosts) ? route.hosts.map(String) : [];
  if (hosts.length > 0) {
    for (const h of hosts) {
      if (h.includes('*')) t.wildcardHosts.push(wildcardRegex(h));
      else t.plainHosts.add(h.toLowerCase());
    }
    t.matchRules |= HOST;
    t.matchWeight++;
    if (t.wildcardHosts.length === 0) t.submatchWeight |= PLAIN_HOSTS_ONLY;
  }
  if (isJsonObject(route.headers)) {
    for (const [name, values] of Object.entries(route.headers)) {
      if (name.toLowerCase() === 'host' || !Array.isArray(values)) continue;
      t.headers.push({ name: name.toLowerCase(), values: new Set(values.map((v) => String(v).toLowerCase())) });
    }
    if (t.headers.length > 0) {
      t.matchRules |= HEADER;
      t.matchWeight++;
    }
  }
  if (path !== undefined) {
    t.matchRules |= URI;
    t.matchWeight++;
    if (/^[a-zA-Z0-9.\-_~/%]*$/.test(path)) {
      t.uri = { prefix: path, value: path };
      t.maxUriLength = path.length;
    } else {
      let regex: RegExp | undefined;
      try {
        regex = new RegExp(`^(?:${path})`);
      } catch {
        regex = undefined;
      }
      t.uri = { regex, value: path };
      t.submatchWeight |= HAS_REGEX_URI;
    }
  }
  const methods = Array.isArray(route.methods) ? route.methods.map(String) : [];
  if (methods.length > 0) {
    for (const m of methods) t.methods.add(m.toUpperCase());
    t.matchRules |= METHOD;
    t.matchWeight++;
  }
  return t;
}

function compare(a: RouteT, b: RouteT): number {
  if (a.matchWeight !== b.matchWeight) return b.matchWeight - a.matchWeight;
  if (a.matchRules !== b.matchRules) return b.matchRules - a.matchRules;
  if (a.submatchWeight !== b.submatchWeight) return b.submatchWeight - a.submatchWeight;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  const rp = Number(b.route.regex_priority ?? 0) - Number(a.route.regex_priority ?? 0);
  if (rp !== 0) return rp;
  if (a.maxUriLength !== b.maxUriLength) return b.maxUriLength - a.maxUriLength;
  return Number(a.route.created_at ?? 0) - Number(b.route.created_at ?? 0);
}

function splitPort(host: string, defaultPort: number): { noPort: string; withPort: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(host);
  const name = m?.[1] ?? host;
  return { noPort: name, withPort: m?.[2] ? host : `${name}:${defaultPort}` };
}

/** Upstream path construction (router.lua find_route, path_handling v0 and v1). */
function upstreamPath(t: RouteT, reqUri: string, prefix: string | undefined, postfixMatch: string | undefined): string {
  const base = t.service && typeof t.service.path === 'string' ? t.service.path : '/';
  const strip = t.route.strip_path === true;
  const postfix = postfixMatch ?? reqUri.slice(1);
  if (t.route.path_handling === 'v1') {
    if (strip) return base.endsWith('/') && postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
    return base + reqUri.slice(1);
  }
  if (base.endsWith('/')) {
    if (!strip) return base + reqUri.slice(1);
    if (postfix === '') {
      if (base === '/') return '/';
      return reqUri.endsWith('/') ? base : base.slice(0, -1);
    }
    return postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
  }
  if (strip) {
    if (postfix === '') return reqUri.length > 1 && reqUri.endsWith('/') ? base + '/' : base;
    return postfix.startsWith('/') ? base + postfix : `${base}/${postfix}`;
  }
  return reqUri === '/' ? base : base + reqUri;
}

export class KongRouter {
  private readonly routes: RouteT[];

  constructor(routes: JsonObject[], serviceById: (id: string) => JsonObject | undefined) {
    const marshalled: RouteT[] = [];
    for (const route of routes) {
      const service = isJsonObject(route.service) ? serviceById(String(route.service.id)) : undefined;
      const paths = Array.isArray(route.paths) && route.paths.length > 0 ? route.paths.map(String) : [undefined];
      for (const p of paths) marshalled.push(marshall(route, service, p));
    }
    this.routes = marshalled.sort(compare);
  }

  find(req: RouterRequest): RouteMatch | undefined {
    const { noPort, withPort } = splitPort(req.host.toLowerCase(), req.scheme === 'https' ? 443 : 80);
    for (const t of this.routes) {
      if (t.matchRules & HOST) {
        const plain = t.plainHosts.has(withPort) || t.plainHosts.has(noPort);
        if (!plain && !t.wildcardHosts.some((re) => re.test(withPort))) continue;
      }
      if (t.matchRules & HEADER) {
        const allMatch = t.headers.every((h) => {
          const v = req.headers[h.name];
          const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.toLowerCase());
          return values.some((x) => h.values.has(x));
        });
        if (!allMatch) continue;
      }
      let prefix: string | undefined;
      let postfix: string | undefined;
      if (t.matchRules & URI && t.uri) {
        if (t.uri.prefix !== undefined) {
          if (!req.uri.startsWith(t.uri.prefix)) continue;
          prefix = t.uri.prefix;
          postfix = req.uri.slice(t.uri.prefix.length);
        } else {
          const m = t.uri.regex?.exec(req.uri);
          if (!m) continue;
          prefix = m[0];
          postfix = req.uri.slice(m[0].length);
        }
      }
      if (t.matchRules & METHOD && !t.methods.has(req.method)) continue;
      const strip = t.route.strip_path === true;
      const preserveHost = t.route.preserve_host === true;
      return {
        route: t.route,
        service: t.service,
        upstreamUri: upstreamPath(t, req.uri, prefix, postfix),
        preservedHost: preserveHost ? req.host : undefined,
        prefix: strip && prefix !== undefined && prefix !== '/' ? prefix : undefined,
      };
    }
    return undefined;
  }
}
