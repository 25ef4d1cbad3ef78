// What a plugin's access phase sees and may change (the slice of nginx/Kong
// PDK state GG's plugins use), and the services they share.
import type { IncomingHttpHeaders } from 'node:http';
import type { Faults } from '../faults';
import type { PluginCaches, TokenData } from './caches';
import type { JwksCache } from './jwt';
import type { OxdClient } from './oxd-client';
import type { RestySessions } from './resty-session';
import type { KongStore } from './store';

export interface PluginRequest {
  method: string;
  /** ngx.var.uri: decoded, normalised path. */
  uri: string;
  /** ngx.var.request_uri: raw path and query as sent. */
  requestUri: string;
  query: URLSearchParams;
  scheme: 'http' | 'https';
  /** ngx.var.host: Host header without port, lower case. */
  host: string;
  /** ngx.var.server_port: the port the proxy listens on. */
  serverPort: number;
  /** The client's headers, untouched. */
  clientHeaders: IncomingHttpHeaders;
  /** The headers that will go upstream (lower-case names); plugins edit them. */
  upstreamHeaders: Record<string, string | string[] | undefined>;
  /** Headers set with ngx.header during access: they go out with any answer. */
  responseHeaders: Record<string, string | string[]>;
  /** kong.service.request.set_method / set_raw_body (gluu-openid-connect restore_original_auth_params). */
  upstreamMethod?: string;
  upstreamBody?: Buffer;
  /** The request body as the client sent it. */
  body: Buffer;
  /** kong.ctx.shared between the authenticating plugin (gluu-uma-auth or gluu-openid-connect) and gluu-uma-pep. */
  shared: {
    /** The RPT (gluu-uma-auth) or the raw id_token (gluu-openid-connect). */
    requestToken?: string;
    /** Introspection data, or the id_token claims. */
    requestTokenData?: TokenData;
    /** gluu-openid-connect: the userinfo of the session. */
    userinfo?: unknown;
    authenticatedConsumer?: Record<string, unknown>;
    /** fault `invalid-rpt-accepted`: the auth plugin let an inactive RPT through. */
    faultAccepted?: boolean;
  };
  /** Sends the request upstream and drops the answer (fault `upstream-on-deny`). */
  forwardUpstream(): Promise<void>;
}

export interface PluginDeps {
  store: KongStore;
  oxd: OxdClient;
  caches: PluginCaches;
  jwks: JwksCache;
  /** lua-resty-session 3.5 with the per-start secret (both plugins' cookies). */
  sessions: RestySessions;
  faults: Faults;
  /** Seconds since the epoch, with fractions (ngx.now()). */
  now: () => number;
  log: (msg: string) => void;
}

/** A consumer as the plugins get it from Kong's DAO (select without nulls). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}

export function setUpstreamHeader(req: PluginRequest, name: string, value: string | undefined): void {
  const key = name.toLowerCase();
  if (value === undefined) delete req.upstreamHeaders[key];
  else req.upstreamHeaders[key] = value;
}

/** kong-common.lua get_path_with_base_url: scheme://$host[:port unless 80/http or 443/https]<path>. */
export function pathWithBaseUrl(req: PluginRequest, path: string): string {
  const defaultPort = (req.scheme === 'http' && req.serverPort === 80) || (req.scheme === 'https' && req.serverPort === 443);
  return `${req.scheme}://${req.host}${defaultPort ? '' : `:${req.serverPort}`}${path}`;
}
