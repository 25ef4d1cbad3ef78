// A small fake of the whole environment for the doctor's tests: Kong Admin
// API and proxy over http, oxd and the AS over https with a self-signed
// certificate (like real installs), each answering as the reference says by
// default. A test replaces any route's answer to break one thing at a time,
// and runs the doctor CLI against it as a child process.
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { makeSelfSignedCertificate } from '../../sandbox/lib/tls';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';

export const CLIENT = {
  oxdId: 'b4ee0d5c-2f5c-4a1e-9a6a-0e2a3f6b3f10',
  clientId: '@!1736.179E.AA60.16B2!0001!8F7C.B9AB!0008!DB73.4F15',
  clientSecret: 'c0nsumer-s3cret-value',
};
export const CLAIMS_REDIRECT_URL = 'https://rqp.example.com/cgi-bin/index.py';
export const HOST_WITH_CLAIMS = 'gathering.example.com';
export const ISSUED_TOKEN = 'a1b2c3d4-oxd-issued-access-token';
/** The second tutorial's route (host 127.0.0.1: OIDC_UMA_URL is the fake proxy itself) and its plugins. */
export const OIDC_ROUTE = { id: '7b1c2d3e-0000-4000-8000-000000000001', hosts: ['127.0.0.1'], service: { id: '7b1c2d3e-0000-4000-8000-000000000002' } };
export const OIDC_UMA_EXPRESSION = JSON.stringify([{ path: '/settings/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['with-claims'] } }] }]);
export const OIDC_PLUGINS = [
  { name: 'gluu-openid-connect', enabled: true, config: { authorization_redirect_path: '/callback', logout_path: '/logout', post_logout_redirect_path_or_url: '/logout_redirect_uri' } },
  {
    name: 'gluu-uma-pep',
    enabled: true,
    config: { uma_scope_expression: OIDC_UMA_EXPRESSION, deny_by_default: false, obtain_rpt: true, redirect_claim_gathering_url: true, claims_redirect_path: '/claims_callback' },
  },
];
export const OIDC_TEST_USER = { name: 'test_user', password: 'pa55-w0rd-of-the-test-user' };
/** The second tutorial's settings of an existing run against the fake (the password is a secret). */
export function oidcUmaSettings(env: { urls: { proxy: string } }): Record<string, string> {
  return { UMA_PROVISION: 'existing', OIDC_UMA_URL: env.urls.proxy, TEST_USER_NAME: OIDC_TEST_USER.name, TEST_USER_PASSWORD: OIDC_TEST_USER.password };
}

/** The settings of an "existing environment" run against the fake: the tutorial's objects and client. */
export const EXISTING = {
  UMA_PROVISION: 'existing',
  HOST_WITH_CLAIMS,
  CLIENT_OXD_ID: CLIENT.oxdId,
  CLIENT_ID: CLIENT.clientId,
  CLIENT_SECRET: CLIENT.clientSecret,
  CLAIMS_REDIRECT_URL,
};

export type Route =
  | 'kong-root'
  | 'kong-consumers'
  | 'proxy'
  | 'oxd-health'
  | 'oxd-client-token'
  | 'as-discovery'
  | 'as-scope'
  | 'as-gather-claims'
  | 'as-authorize'
  | 'as-login'
  | 'kong-routes'
  | 'kong-route-plugins'
  | 'kong-service-plugins';

export interface Incoming {
  req: http.IncomingMessage;
  url: URL;
  body: string;
}

export type Answer = (x: Incoming, res: http.ServerResponse, env: FakeEnvironment) => void;

export interface FakeEnvironment {
  urls: { admin: string; proxy: string; oxd: string; as: string };
  /** Every request received, in order. */
  calls: Array<{ route: Route | 'unknown'; method: string; path: string }>;
  /** The settings of a run against this environment (external, TLS accepted, auto provisioning). */
  settings(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

const CERT = makeSelfSignedCertificate('127.0.0.1');

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function raw(status: number, contentType: string | undefined, text: string, headers: Record<string, string> = {}): Answer {
  return (_x, res) => {
    res.writeHead(status, { ...(contentType ? { 'Content-Type': contentType } : {}), 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
}

/** Bodies a wrong target sends where JSON is expected. */
export const BAD_BODIES: Record<string, Answer> = {
  'an HTML page': raw(200, 'text/html', '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>It works</body></html>'),
  'a non-JSON body': raw(200, 'application/json', 'OK, not JSON at all'),
  'a truncated JSON body': raw(200, 'application/json', '{"version":"2.2.1","status":"runn'),
  'a wrong content type': raw(200, 'text/plain', '{"version":"2.2.1","status":"running","issuer":"x"}'),
};

/** Headers promise more than is sent, then the connection closes. */
export const CUT_CONNECTION: Answer = (_x, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
  res.write('{"version":"2.');
  setImmediate(() => res.socket?.destroy());
};

/** Never answers (the doctor's deadline must end the wait). */
export const NEVER: Answer = () => undefined;

/** Sends the headers and one byte at a time, never finishing. */
export const TRICKLE: Answer = (_x, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 200);
  res.on('close', () => clearInterval(timer));
};

function discoveryDocument(as: string): Record<string, unknown> {
  const rest = `${as}/oxauth/restv1`;
  return {
    issuer: as,
    authorization_endpoint: `${rest}/authorize`,
    token_endpoint: `${rest}/token`,
    jwks_uri: `${rest}/jwks`,
    registration_endpoint: `${rest}/register`,
    grant_types_supported: ['authorization_code', 'implicit', 'client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
    introspection_endpoint: `${rest}/rpt/status`,
    code_challenge_methods_supported: null,
    claims_interaction_endpoint: `${rest}/uma/gather_claims`,
    uma_profiles_supported: [],
    permission_endpoint: `${rest}/host/rsrc_pr`,
    resource_registration_endpoint: `${rest}/host/rsrc/resource_set`,
    scope_endpoint: `${rest}/uma/scopes`,
  };
}

function loginPage(res: http.ServerResponse, message: string): void {
  const html = `<!doctype html><title>oxAuth - Login</title>${message}<form id="loginForm" method="post" action="/oxauth/login.htm">
<input id="loginForm:username" name="loginForm:username"><input id="loginForm:password" name="loginForm:password" type="password">
<input id="loginForm:loginButton" name="loginForm:loginButton" type="submit" value="    Login"></form>`;
  res.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

/** The reference answers (gateway.md, oxd.md, oxauth.md). */
export const DEFAULT_ANSWERS: Record<Route, Answer> = {
  'kong-root': (_x, res) =>
    json(res, 200, { tagline: 'Welcome to kong', version: '2.2.1', plugins: { available_on_server: { 'gluu-uma-auth': true, 'gluu-uma-pep': true, acl: true } } }, { Server: 'kong/2.2.1' }),
  'kong-consumers': (x, res) => {
    const id = x.url.searchParams.get('custom_id');
    const data = id === CLIENT.clientId ? [{ id: crypto.randomUUID(), username: 'consumer_op_client', custom_id: id, created_at: 1, tags: null }] : [];
    json(res, 200, { data, next: null });
  },
  proxy: (x, res, env) => {
    if (x.req.headers.host?.startsWith('127.0.0.1:') && x.url.pathname === '/settings/') {
      res.writeHead(302, { Location: `${env.urls.as}/oxauth/restv1/authorize?response_type=code&client_id=c&redirect_uri=x&scope=openid&state=s&nonce=n&max_age=3600`, 'Content-Length': 0 });
      res.end();
    } else if (x.req.headers.host === HOST_WITH_CLAIMS && x.url.pathname === '/posts/1') {
      json(res, 401, { message: 'Unauthorized' }, { 'WWW-Authenticate': `UMA realm="rs",as_uri="x",error="insufficient_scope",ticket="${crypto.randomUUID()}"` });
    } else json(res, 404, { message: 'no Route matched with those values' }, { Server: 'kong/2.2.1' });
  },
  'oxd-health': (_x, res) => json(res, 200, JSON.stringify({ application: 'oxd', version: '4.2.3', status: 'running' }, null, 3), { 'Content-Type': 'application/json' }),
  'oxd-client-token': (x, res) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(x.body) as Record<string, unknown>;
    } catch {
      // answered below
    }
    if (body.client_id === CLIENT.clientId && body.client_secret === CLIENT.clientSecret) {
      json(res, 200, { access_token: ISSUED_TOKEN, expires_in: 299, scope: ['openid', 'oxd'] });
    } else json(res, 500, { error: 'internal_error', error_description: 'Unknown internal server error occurs.' });
  },
  'as-discovery': (_x, res, env) => json(res, 200, JSON.stringify(discoveryDocument(env.urls.as), null, 2), { 'Content-Type': 'application/json' }),
  'as-scope': (x, res) => {
    const id = decodeURIComponent(x.url.pathname.split('/').pop() ?? '');
    if (id === 'claim_gathering' || id === 'with-claims') json(res, 200, { name: id, icon_uri: null, description: null });
    else json(res, 404, { error: 'not_found', error_description: 'Not found.' });
  },
  'as-gather-claims': (x, res) => {
    const q = x.url.searchParams;
    if (q.get('client_id') !== CLIENT.clientId) return json(res, 400, { error: 'invalid_client_id', error_description: 'The provided client_id is not valid.' });
    const cru = q.get('claims_redirect_uri') ?? '';
    const error = cru === CLAIMS_REDIRECT_URL ? 'invalid_ticket' : 'invalid_claims_redirect_uri';
    res.writeHead(302, { Location: `${cru}?error=${error}&error_description=x` });
    res.end();
  },
  // The AS's login page in the ids oxAuth renders (oidc-uma.md §2 F3); the test user of oidcUmaSettings logs in.
  'as-authorize': (_x, res) => loginPage(res, ''),
  'as-login': (x, res, env) => {
    const form = new URLSearchParams(x.body);
    if (form.get('loginForm:username') === OIDC_TEST_USER.name && form.get('loginForm:password') === OIDC_TEST_USER.password) {
      res.writeHead(302, { Location: `${env.urls.as}/consent`, 'Content-Length': 0 });
      res.end();
    } else loginPage(res, '<p class="error">Failed to authenticate.</p>');
  },
  'kong-routes': (_x, res) => json(res, 200, { data: [OIDC_ROUTE], next: null }),
  'kong-route-plugins': (_x, res) => json(res, 200, { data: OIDC_PLUGINS, next: null }),
  'kong-service-plugins': (_x, res) => json(res, 200, { data: [], next: null }),
};

function routeOf(server: 'admin' | 'proxy' | 'oxd' | 'as', method: string, pathname: string): Route | 'unknown' {
  if (server === 'proxy') return 'proxy';
  if (server === 'admin') {
    if (pathname === '/') return 'kong-root';
    if (pathname === '/consumers') return 'kong-consumers';
    if (pathname === '/routes') return 'kong-routes';
    if (/^\/routes\/[^/]+\/plugins$/.test(pathname)) return 'kong-route-plugins';
    if (/^\/services\/[^/]+\/plugins$/.test(pathname)) return 'kong-service-plugins';
    return 'unknown';
  }
  if (server === 'oxd') return pathname === '/health-check' ? 'oxd-health' : pathname === '/get-client-token' && method === 'POST' ? 'oxd-client-token' : 'unknown';
  if (pathname === '/.well-known/uma2-configuration') return 'as-discovery';
  if (pathname.startsWith('/oxauth/restv1/uma/scopes/')) return 'as-scope';
  if (pathname === '/oxauth/restv1/uma/gather_claims') return 'as-gather-claims';
  if (pathname === '/oxauth/restv1/authorize') return 'as-authorize';
  if (pathname === '/oxauth/login.htm' && method === 'POST') return 'as-login';
  return 'unknown';
}

export interface FakeOptions {
  answers?: Partial<Record<Route, Answer>>;
  /** Serve oxd and the AS over plain http instead of https. */
  plainHttp?: boolean;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startFakeEnvironment(options: FakeOptions = {}): Promise<FakeEnvironment> {
  const answers = { ...DEFAULT_ANSWERS, ...options.answers };
  const servers: http.Server[] = [];
  const env: FakeEnvironment = {
    urls: { admin: '', proxy: '', oxd: '', as: '' },
    calls: [],
    settings: (extra = {}) => ({
      UMA_TARGET: 'external',
      GG_ADMIN_URL: env.urls.admin,
      GG_PROXY_URL: env.urls.proxy,
      OXD_HOST: env.urls.oxd,
      CE_URL: env.urls.as,
      UMA_TLS_INSECURE: 'true',
      ...extra,
    }),
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
  const make = async (name: 'admin' | 'proxy' | 'oxd' | 'as', secure: boolean): Promise<string> => {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const route = routeOf(name, req.method ?? 'GET', url.pathname);
        env.calls.push({ route, method: req.method ?? 'GET', path: req.url ?? '/' });
        if (route === 'unknown') return json(res, 404, { message: 'Not found' });
        answers[route]({ req, url, body: Buffer.concat(chunks).toString('utf8') }, res, env);
      });
    };
    const server = secure ? https.createServer(await CERT, handler) : http.createServer(handler);
    servers.push(server);
    const port = await listen(server);
    return `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;
  };
  const secure = !options.plainHttp;
  [env.urls.admin, env.urls.proxy, env.urls.oxd, env.urls.as] = await Promise.all([make('admin', false), make('proxy', false), make('oxd', secure), make('as', secure)]);
  return env;
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together. */
  output: string;
  elapsedMs: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `scripts/doctor.ts` with exactly these settings (nothing inherited but PATH), asynchronously so fake servers keep answering. */
export function runDoctorCli(settings: Record<string, string>, args: string[] = []): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'doctor.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr, output: stdout + stderr, elapsedMs: performance.now() - started }));
  });
}

/** A Node stack trace line, which a user must never see. */
export const STACK_TRACE = /\n\s+at .+[(\s].*:\d+:\d+\)?/;
