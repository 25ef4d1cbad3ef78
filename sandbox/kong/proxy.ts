// Kong's proxy (:8000): route match, the access phase of the configured
// plugins (gluu-uma-auth, gluu-openid-connect, then gluu-uma-pep; they see
// the client's full path, strip_path only changes the upstream request),
// then proxy_pass to the
// service with the headers Kong adds, and Kong's response headers
// (gateway.md §6.3; kong/runloop/handler.lua, kong/init.lua @ 2.2.1).
import type { ServerResponse } from 'node:http';
import type { Component, ComponentContext } from '../component';
import { headerValue, send, type Request } from '../lib/http';
import { cjsonEncode, type JsonObject } from './json';
import { nginxUri } from './nginx-uri';
import type { PluginDeps, PluginRequest } from './plugin-context';
import { pluginsFor } from './plugins-iterator';
import { OPENID_CONNECT, UMA_AUTH } from './plugin-schemas';
import { OpenIdConnect, type OpenIdConnectConf } from './openid-connect';
import { KongExit, kongErrorPage, NGINX_302_PAGE, RESPONSES } from './responses';
import { KongRouter, type RouteMatch } from './router';
import { UmaAuth, type UmaAuthConf } from './uma-auth';
import { UmaPep, type UmaPepConf } from './uma-pep';
import { callUpstream, UpstreamFailure, type UpstreamAnswer } from './upstream-client';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Hop-by-hop and nginx-hidden headers that never cross the proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'expect']);
const HIDDEN_FROM_CLIENT = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-authenticate', 'trailer', 'x-pad']);

function remoteIp(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

/** runloop access.before: an https-only route on plain http, a gRPC route for a non-gRPC request. */
function protocolMismatch(route: JsonObject, scheme: string, host: string, req: Request): KongExit | undefined {
  const protocols = Array.isArray(route.protocols) ? route.protocols.map(String) : [];
  if (protocols.includes('https') && !protocols.includes('http') && scheme !== 'https') {
    const code = Number(route.https_redirect_status_code ?? 426);
    if (code === 426) return KongExit.of(RESPONSES.USE_HTTPS, { Connection: 'Upgrade', Upgrade: 'TLS/1.2, HTTP/1.1' });
    return new KongExit(code, undefined, { Location: `https://${host.replace(/:\d+$/, '')}${req.raw.url ?? req.rawPath}` });
  }
  if (protocols.includes('grpc') || protocols.includes('grpcs')) {
    const ct = headerValue(req, 'content-type') ?? '';
    if (!ct.startsWith('application/grpc')) return KongExit.of(RESPONSES.NON_GRPC);
  }
  return undefined;
}

export function createProxy(ctx: ComponentContext, deps: PluginDeps): Component {
  const version = ctx.settings.kong.version;
  const server = `kong/${version}`;
  const auth = new UmaAuth(deps);
  const pep = new UmaPep(deps);
  const oidc = new OpenIdConnect(deps);
  let router: KongRouter | undefined;
  let routerVersion = -1;

  function currentRouter(): KongRouter {
    if (!router || routerVersion !== deps.store.version) {
      router = new KongRouter(deps.store.all('routes'), (id) => deps.store.byId('services', id));
      routerVersion = deps.store.version;
    }
    return router;
  }

  const elapsed = (start: number) => String(Math.max(0, Math.round(Date.now() - start)));

  /** A response Kong generates itself (not proxied): Server + X-Kong-Response-Latency. */
  function sendExit(res: ServerResponse, exit: KongExit, pr: PluginRequest | undefined, start: number): void {
    const headers: Record<string, string | string[]> = { ...(pr?.responseHeaders ?? {}), ...exit.headers };
    headers.Server = server;
    headers['X-Kong-Response-Latency'] = elapsed(start);
    if (exit.redirect !== undefined) {
      let location = exit.redirect;
      // nginx absolute_redirect / port_in_redirect for a relative Location
      if (location.startsWith('/') && pr) {
        const defaultPort = (pr.scheme === 'http' && pr.serverPort === 80) || (pr.scheme === 'https' && pr.serverPort === 443);
        location = `${pr.scheme}://${pr.host}${defaultPort ? '' : `:${pr.serverPort}`}${location}`;
      }
      return send(res, 302, NGINX_302_PAGE, { ...headers, 'Content-Type': 'text/html', Location: location });
    }
    if (exit.body === undefined) return send(res, exit.status, '', headers);
    send(res, exit.status, cjsonEncode(exit.body), { 'Content-Type': JSON_TYPE, ...headers });
  }

  /** Kong's error page (error_handlers.lua) for Lua errors and nginx-level failures. */
  function sendErrorPage(res: ServerResponse, req: Request, status: number, start: number, proxied?: { upstreamMs: number; proxyMs: number }): void {
    const page = kongErrorPage(status, headerValue(req, 'accept'), headerValue(req, 'content-type'));
    const headers: Record<string, string> = { 'Content-Type': page.contentType };
    if (proxied) {
      headers['X-Kong-Upstream-Latency'] = String(proxied.upstreamMs);
      headers['X-Kong-Proxy-Latency'] = String(proxied.proxyMs);
      headers.Via = server;
      headers.Server = 'openresty';
    } else {
      headers['X-Kong-Response-Latency'] = elapsed(start);
      headers.Server = server;
    }
    send(res, status, page.body, headers);
  }

  function upstreamRequest(req: Request, pr: PluginRequest, match: RouteMatch, service: JsonObject) {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(pr.upstreamHeaders)) {
      if (value === undefined || HOP_BY_HOP.has(name) || name === 'host') continue;
      headers[name] = value;
    }
    const connectionListed = String(req.headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase());
    for (const h of connectionListed) if (h && h !== 'upgrade') delete headers[h];
    const protocol = String(service.protocol);
    const port = Number(service.port);
    const defaultPort = (protocol === 'http' && port === 80) || (protocol === 'https' && port === 443);
    headers.host = match.preservedHost ?? `${String(service.host)}${defaultPort ? '' : `:${port}`}`;
    headers.connection = 'keep-alive';
    const xff = headerValue(req, 'x-forwarded-for');
    const remote = remoteIp(req.remoteAddress);
    headers['x-forwarded-for'] = xff ? `${xff}, ${remote}` : remote;
    headers['x-forwarded-proto'] = pr.scheme;
    headers['x-forwarded-host'] = pr.host;
    headers['x-forwarded-port'] = String(pr.serverPort);
    headers['x-forwarded-path'] = req.rawPath;
    if (match.prefix !== undefined) headers['x-forwarded-prefix'] = match.prefix;
    else delete headers['x-forwarded-prefix'];
    headers['x-real-ip'] = remote;
    const q = req.raw.url?.indexOf('?') ?? -1;
    const query = q === -1 ? '' : (req.raw.url ?? '').slice(q);
    return {
      url: `${protocol}://${String(service.host)}:${port}${match.upstreamUri}${query}`,
      method: pr.upstreamMethod ?? req.method,
      headers,
      body: pr.upstreamBody ?? req.body,
      connectTimeoutMs: Number(service.connect_timeout ?? 60000),
      readTimeoutMs: Number(service.read_timeout ?? 60000),
    };
  }

  function sendProxied(res: ServerResponse, pr: PluginRequest, answer: UpstreamAnswer, upstreamMs: number, proxyMs: number, isHead: boolean): void {
    const out = new Map<string, { name: string; values: string[] }>();
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i];
      const lower = name.toLowerCase();
      if (HIDDEN_FROM_CLIENT.has(lower) || lower.startsWith('x-accel-')) continue;
      const entry = out.get(lower) ?? { name, values: [] };
      entry.values.push(answer.rawHeaders[i + 1]);
      out.set(lower, entry);
    }
    // ngx.header set during access (the session cookie, Cache-Control) joins the upstream's headers
    for (const [name, value] of Object.entries(pr.responseHeaders)) {
      const values = Array.isArray(value) ? value : [value];
      const existing = out.get(name.toLowerCase());
      out.set(name.toLowerCase(), { name, values: name.toLowerCase() === 'set-cookie' && existing ? [...existing.values, ...values] : values });
    }
    for (const { name, values } of out.values()) res.setHeader(name, values.length === 1 ? values[0] : values);
    // proxy_pass_header Server: the upstream's, else nginx's own (server_tokens off, OpenResty build)
    if (!out.has('server')) res.setHeader('Server', 'openresty');
    res.setHeader('X-Kong-Upstream-Latency', String(upstreamMs));
    res.setHeader('X-Kong-Proxy-Latency', String(proxyMs));
    res.setHeader('Via', server);
    if (isHead) {
      res.setHeader('Content-Length', String(answer.body.length));
      res.writeHead(answer.status);
      res.end();
      return;
    }
    res.setHeader('Content-Length', String(answer.body.length));
    res.writeHead(answer.status);
    res.end(answer.body);
  }

  async function handle(req: Request, res: ServerResponse): Promise<void> {
    const start = Date.now();
    const uri = nginxUri(req.rawPath);
    if (uri === undefined) return sendErrorPage(res, req, 400, start);
    const scheme: 'http' | 'https' = (req.raw.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const hostHeader = headerValue(req, 'host') ?? '';
    const match = currentRouter().find({ method: req.method, uri: req.rawPath, host: hostHeader, scheme, headers: req.headers });
    if (!match) return sendExit(res, KongExit.of(RESPONSES.NO_ROUTE), undefined, start);
    const protocolExit = protocolMismatch(match.route, scheme, hostHeader, req);
    if (protocolExit) return sendExit(res, protocolExit, undefined, start);

    const upstreamHeaders: Record<string, string | string[] | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) upstreamHeaders[k.toLowerCase()] = v;
    const pr: PluginRequest = {
      method: req.method,
      uri,
      requestUri: req.raw.url ?? req.rawPath,
      query: req.query,
      scheme,
      host: hostHeader.replace(/:\d+$/, '').toLowerCase() || 'kong',
      serverPort: req.raw.socket.localPort ?? 0,
      clientHeaders: req.headers,
      upstreamHeaders,
      responseHeaders: {},
      body: req.body,
      shared: {},
      forwardUpstream: async () => {
        if (!match.service) return;
        await callUpstream(upstreamRequest(req, pr, match, match.service)).catch(() => undefined);
      },
    };

    try {
      for (const plugin of pluginsFor(deps.store, match.route, match.service, scheme)) {
        if (plugin.name === UMA_AUTH) await auth.access(plugin.config as unknown as UmaAuthConf, pr);
        else if (plugin.name === OPENID_CONNECT) await oidc.access(plugin.config as unknown as OpenIdConnectConf, pr);
        else await pep.access(plugin.config as unknown as UmaPepConf, pr);
      }
    } catch (err) {
      if (err instanceof KongExit) return sendExit(res, err, pr, start);
      ctx.log('kong', `lua error: ${err instanceof Error ? err.message : String(err)}`);
      return sendErrorPage(res, req, 500, start);
    }
    if (!match.service) return sendExit(res, KongExit.of(RESPONSES.NO_SERVICE), pr, start);

    const proxyMs = Date.now() - start;
    const upstreamStart = Date.now();
    try {
      const answer = await callUpstream(upstreamRequest(req, pr, match, match.service));
      sendProxied(res, pr, answer, Date.now() - upstreamStart, proxyMs, req.method === 'HEAD');
    } catch (err) {
      const status = err instanceof UpstreamFailure ? err.status : 502;
      ctx.log('kong', `upstream failure: ${err instanceof Error ? err.message : String(err)}`);
      sendErrorPage(res, req, status, start, { upstreamMs: Date.now() - upstreamStart, proxyMs });
    }
  }

  return {
    name: 'kongProxy',
    // Kong's proxy has client_max_body_size 0 (unlimited); the sandbox caps at 64 MiB.
    bodyLimit: 64 * 1024 * 1024,
    handler: handle,
    onTooLarge: (res) => send(res, 413, 'Payload too large\n', { 'Content-Type': 'text/plain; charset=utf-8', Server: server }),
    onError: (res) => send(res, 500, 'An unexpected error occurred\n', { 'Content-Type': 'text/plain; charset=utf-8', Server: server }),
  };
}
