// A test double of oxAuth for the oxd tests: the endpoints oxd calls, answering
// as oxauth.md and the shared oxd↔oxAuth contract say, with the uma-ticket
// grant scriptable (need_info / invalid_ticket / forbidden_by_policy / success /
// any JSON error / a non-JSON body) and every call recorded.
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { bind, parseForm, send, type Listening, type Request } from '../../../sandbox/lib/http';
import { gluuCode, nowSeconds, uuid } from '../../../sandbox/lib/ids';
import { FakeOidcOp } from './fake-oidc-op';

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed form body (form posts only). */
  form?: URLSearchParams;
  /** Parsed JSON body (JSON posts only). */
  json?: unknown;
}

export interface FakeClient {
  clientId: string;
  clientSecret: string;
  registrationAccessToken: string;
  /** The registration metadata as last received. */
  metadata: Record<string, unknown>;
  scopes: string[];
}

export interface FakeAccessToken {
  token: string;
  clientId: string;
  scopes: string[];
  active: boolean;
  exp: number;
  iat: number;
}

export interface FakePermission {
  resource_id: string;
  resource_scopes: string[];
  exp: number;
}

export interface FakeRpt {
  token: string;
  clientId: string;
  permissions: FakePermission[];
  pct: string;
  active: boolean;
  exp: number;
  iat: number;
}

export interface FakeResource {
  _id: string;
  body: Record<string, unknown>;
}

/** How the token endpoint answers the next uma-ticket request. */
export type UmaTokenAnswer =
  | { kind: 'rpt'; upgraded?: boolean; rptActive?: boolean }
  | { kind: 'need_info' }
  | { kind: 'error'; error: string; status?: number }
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'raw'; status: number; body: string; contentType?: string };

/** oxauth.md §3.6: status and description of the AS's UMA token errors. */
export const UMA_TOKEN_ERRORS: Record<string, { status: number; description: string }> = {
  forbidden_by_policy: { status: 403, description: 'Forbidden by policy (policy returned false).' },
  invalid_ticket: { status: 400, description: 'The provided ticket was not found at the AS.' },
  invalid_resource_id: { status: 400, description: 'The provided resource id was not found at the AS.' },
  invalid_claim_token_format: {
    status: 400,
    description:
      'The claim token format is blank or otherwise not supported (supported format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken).',
  },
  invalid_claim_token: {
    status: 400,
    description:
      'The claim token is not valid or unsupported. (If format is http://openid.net/specs/openid-connect-core-1_0.html#IDToken then claim token has to be ID Token).',
  },
  invalid_pct: { status: 401, description: 'PCT is invalid (revoked, expired or does not exist anymore on AS)' },
  invalid_rpt: { status: 400, description: 'RPT is invalid (revoked, expired or does not exist anymore on AS)' },
  disabled_client: { status: 403, description: "The client is disabled and can't request an access token using this method." },
  invalid_scope: { status: 400, description: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.' },
  invalid_client: { status: 401, description: 'Client authentication failed (e.g. unknown client, no client authentication included, or unsupported authentication method).' },
  server_error: { status: 500, description: 'The AM server encountered an unexpected condition which prevented it from fulfilling the request.' },
};

const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

/** org.json pretty printing (4-space) of oxAuth error bodies. */
const pretty4 = (v: unknown) => JSON.stringify(v, null, 4);

function inum(): string {
  const g = () => crypto.randomBytes(2).toString('hex').toUpperCase();
  return `@!${g()}.${g()}.${g()}.${g()}!0001!${g()}.${g()}!0008!${g()}.${g()}.${g()}.${g()}`;
}

export class FakeOxAuth {
  readonly calls: FakeCall[] = [];
  readonly clients = new Map<string, FakeClient>();
  readonly accessTokens = new Map<string, FakeAccessToken>();
  readonly rpts = new Map<string, FakeRpt>();
  readonly resources = new Map<string, FakeResource>();
  /** ticket → permissions */
  readonly tickets = new Map<string, FakePermission[]>();
  /** Answers for the next uma-ticket requests, in order; empty → issue an RPT. */
  readonly umaAnswers: UmaTokenAnswer[] = [];
  /** Overrides for the next calls of "METHOD /path": status + raw body. */
  private readonly scripted = new Map<string, { status: number; body: string; contentType: string }[]>();
  /** Introspection answers without client_id when set (oxd's invalid_introspection_response). */
  introspectionWithoutClientId = false;
  /** Replaces token_endpoint in the UMA discovery document (e.g. an unreachable one). */
  umaTokenEndpointOverride?: string;
  /** The OpenID Connect side: codes, id_tokens, userinfo, JWKS (fake-oidc-op.ts). */
  oidc!: FakeOidcOp;
  /** More paths that serve the UMA discovery document (e.g. under an issuer with a path). */
  readonly umaDiscoveryAlsoAt = new Set<string>();
  /** Discovery members replaced (or removed with undefined) in the next OIDC discovery answers. */
  readonly oidcConfigurationOverrides: Record<string, unknown> = {};

  private constructor(
    private readonly listening: Listening,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOxAuth> {
    const listening = await bind('127.0.0.1', 0);
    const fake = new FakeOxAuth(listening, `http://127.0.0.1:${listening.port}`);
    fake.oidc = await FakeOidcOp.create(fake.url);
    listening.attach({
      handler: (req, res) => fake.handle(req, res),
      bodyLimit: 1024 * 1024,
      onTooLarge: (res) => send(res, 413, ''),
      onError: (res, err) => send(res, 500, String(err)),
    });
    return fake;
  }

  close(): Promise<void> {
    return this.listening.close();
  }

  get issuer(): string {
    return this.url;
  }

  /** The next call of `METHOD /path` answers this instead of the normal behaviour. */
  failNext(methodAndPath: string, status: number, body: string, contentType = 'application/json'): void {
    const list = this.scripted.get(methodAndPath) ?? [];
    list.push({ status, body, contentType });
    this.scripted.set(methodAndPath, list);
  }

  callsTo(method: string, path: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  /** Registers a client directly (as if created in oxTrust). */
  addClient(scopes: string[]): FakeClient {
    const client: FakeClient = { clientId: inum(), clientSecret: uuid(), registrationAccessToken: uuid(), metadata: {}, scopes };
    this.clients.set(client.clientId, client);
    return client;
  }

  issueAccessToken(clientId: string, scopes: string[], active = true): FakeAccessToken {
    const t: FakeAccessToken = { token: uuid(), clientId, scopes, active, iat: nowSeconds(), exp: nowSeconds() + 299 };
    this.accessTokens.set(t.token, t);
    return t;
  }

  issueRpt(clientId: string, permissions: FakePermission[], active = true): FakeRpt {
    const rpt: FakeRpt = { token: gluuCode(), clientId, permissions, pct: gluuCode(), active, iat: nowSeconds(), exp: nowSeconds() + 3600 };
    this.rpts.set(rpt.token, rpt);
    return rpt;
  }

  /** Creates a permission ticket directly (as the permission endpoint would). */
  addTicket(permissions: FakePermission[]): string {
    const ticket = uuid();
    this.tickets.set(ticket, permissions);
    return ticket;
  }

  needInfoBody(clientId: string, ticket: string): Record<string, unknown> {
    const claim = (name: string) => ({ issuer: [this.issuer], name, claim_token_format: [ID_TOKEN_FORMAT], claim_type: 'string', friendly_name: name });
    return {
      error: 'need_info',
      ticket,
      required_claims: [claim('country'), claim('city')],
      redirect_user: `${this.issuer}/oxauth/restv1/uma/gather_claims?customUserParam2=value2&customUserParam1=value1&client_id=${clientId}&ticket=${ticket}`,
    };
  }

  oidcConfiguration(): Record<string, unknown> {
    const base = `${this.url}/oxauth/restv1`;
    const doc: Record<string, unknown> = {
      issuer: this.issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      end_session_endpoint: `${base}/end_session`,
      jwks_uri: `${base}/jwks`,
      registration_endpoint: `${base}/register`,
      introspection_endpoint: `${base}/introspection`,
      scopes_supported: ['openid', 'oxd', 'uma_protection', 'profile', 'email'],
      response_types_supported: ['code', 'id_token', 'token'],
      grant_types_supported: ['authorization_code', 'implicit', 'client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
    for (const [k, v] of Object.entries(this.oidcConfigurationOverrides)) {
      if (v === undefined) delete doc[k];
      else doc[k] = v;
    }
    return doc;
  }

  /** oxauth.md §2, with nulls, Jackson pretty printer. */
  umaConfiguration(): Record<string, unknown> {
    const h = this.url;
    return {
      issuer: h,
      authorization_endpoint: `${h}/oxauth/restv1/authorize`,
      token_endpoint: this.umaTokenEndpointOverride ?? `${h}/oxauth/restv1/token`,
      jwks_uri: `${h}/oxauth/restv1/jwks`,
      registration_endpoint: `${h}/oxauth/restv1/register`,
      response_types_supported: ['code', 'id_token', 'token'],
      grant_types_supported: ['authorization_code', 'implicit', 'client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'],
      token_endpoint_auth_signing_alg_values_supported: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
      service_documentation: 'http://gluu.org/docs',
      ui_locales_supported: ['en', 'bg', 'de', 'es', 'fr', 'it', 'ru', 'tr'],
      op_policy_uri: 'http://ox.gluu.org/doku.php?id=oxauth:policy',
      op_tos_uri: 'http://ox.gluu.org/doku.php?id=oxauth:tos',
      introspection_endpoint: `${h}/oxauth/restv1/rpt/status`,
      code_challenge_methods_supported: null,
      claims_interaction_endpoint: `${h}/oxauth/restv1/uma/gather_claims`,
      uma_profiles_supported: [],
      permission_endpoint: `${h}/oxauth/restv1/host/rsrc_pr`,
      resource_registration_endpoint: `${h}/oxauth/restv1/host/rsrc/resource_set`,
      scope_endpoint: `${h}/oxauth/restv1/uma/scopes`,
    };
  }

  // ---------------------------------------------------------------- server

  private record(req: Request): FakeCall {
    const body = req.body.toString('utf8');
    const call: FakeCall = { method: req.method, path: req.path, query: req.query, headers: req.headers, body };
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/x-www-form-urlencoded')) call.form = parseForm(req.body);
    if (type.startsWith('application/json') && body !== '') {
      try {
        call.json = JSON.parse(body);
      } catch {
        call.json = undefined;
      }
    }
    this.calls.push(call);
    return call;
  }

  private handle(req: Request, res: http.ServerResponse): void {
    const call = this.record(req);
    const key = `${req.method} ${req.path}`;
    const scripted = this.scripted.get(key);
    if (scripted && scripted.length > 0) {
      const s = scripted.shift() as { status: number; body: string; contentType: string };
      send(res, s.status, s.body, { 'Content-Type': s.contentType });
      return;
    }
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      send(res, status, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
    const base = '/oxauth/restv1';
    const p = req.path;
    if (req.method === 'GET' && p === '/.well-known/openid-configuration') return json(200, this.oidcConfiguration());
    if (req.method === 'GET' && (p === '/.well-known/uma2-configuration' || p === `${base}/uma2-configuration` || this.umaDiscoveryAlsoAt.has(p)))
      return json(200, JSON.stringify(this.umaConfiguration(), null, 2).replace(/": /g, '" : '));
    if (p === `${base}/register`) return this.register(req, call, json);
    if (req.method === 'POST' && p === `${base}/token`) return this.token(call, json, res);
    if (req.method === 'POST' && p === `${base}/introspection`) return this.introspection(call, json);
    if (req.method === 'POST' && p === `${base}/rpt/status`) return this.rptStatus(call, json);
    if (p === `${base}/host/rsrc/resource_set` || p.startsWith(`${base}/host/rsrc/resource_set/`)) return this.resourceSet(req, call, json, res);
    if (req.method === 'POST' && p === `${base}/host/rsrc_pr`) return this.permission(call, json);
    if (req.method === 'GET' && p === `${base}/jwks`) return json(200, this.oidc.jwks());
    if (req.method === 'GET' && p === `${base}/userinfo`) {
      const u = this.oidc.userInfo(call.headers.authorization);
      return json(u.status, u.body, u.headers);
    }
    json(404, { error: 'not_found' });
  }

  /** Client auth: client_secret_basic (URL-decoded parts) or client_secret_post. */
  private authenticateClient(call: FakeCall): FakeClient | undefined {
    const auth = String(call.headers.authorization ?? '');
    let id: string | undefined;
    let secret: string | undefined;
    if (auth.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' '));
    } else if (call.form?.get('client_id')) {
      id = call.form.get('client_id') ?? undefined;
      secret = call.form.get('client_secret') ?? undefined;
    }
    const client = id ? this.clients.get(id) : undefined;
    return client && client.clientSecret === secret ? client : undefined;
  }

  private register(req: Request, call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (req.method === 'POST' && !req.query.get('client_id')) {
      const body = (call.json ?? {}) as Record<string, unknown>;
      const redirects = body.redirect_uris;
      if (!Array.isArray(redirects) || redirects.length === 0 || !redirects.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))) {
        return json(400, pretty4({ error: 'invalid_redirect_uri', error_description: 'The value of one or more redirect_uris is invalid.' }));
      }
      const client = this.addClient(typeof body.scope === 'string' ? body.scope.split(' ') : []);
      client.metadata = body;
      return json(200, this.clientJson(client));
    }
    const client = this.clients.get(req.query.get('client_id') ?? '');
    if (!client || call.headers.authorization !== `Bearer ${client.registrationAccessToken}`) return json(401, pretty4({ error: 'invalid_token' }));
    if (req.method === 'PUT') {
      const body = (call.json ?? {}) as Record<string, unknown>;
      client.metadata = body;
      if (typeof body.scope === 'string') client.scopes = body.scope.split(' ');
      return json(200, this.clientJson(client));
    }
    if (req.method === 'GET') return json(200, this.clientJson(client));
    json(405, '');
  }

  private clientJson(c: FakeClient): Record<string, unknown> {
    return {
      client_id: c.clientId,
      client_secret: c.clientSecret,
      registration_access_token: c.registrationAccessToken,
      registration_client_uri: `${this.url}/oxauth/restv1/register?client_id=${c.clientId}`,
      client_id_issued_at: nowSeconds(),
      client_secret_expires_at: 0,
      redirect_uris: c.metadata.redirect_uris,
      claims_redirect_uri: c.metadata.claims_redirect_uri,
      scope: c.scopes.join(' '),
      grant_types: c.metadata.grant_types,
      client_name: c.metadata.client_name,
    };
  }

  private token(call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void, res: http.ServerResponse): void {
    const form = call.form ?? new URLSearchParams();
    const client = this.authenticateClient(call);
    if (!client) {
      return json(401, pretty4({ error: 'invalid_client', error_description: UMA_TOKEN_ERRORS.invalid_client.description }), {
        'WWW-Authenticate': 'Basic realm="oxAuth"',
      });
    }
    const ticket = form.get('ticket') ?? '';
    if (ticket.trim() !== '') return this.umaGrant(client, ticket, form.get('grant_type') ?? '', json, res);
    if (form.get('grant_type') === 'authorization_code') {
      void this.oidc.codeGrant(client.clientId, form).then(
        (a) => json(a.status, a.status === 200 ? a.body : pretty4(a.body), a.status === 200 ? { 'Cache-Control': 'no-store', Pragma: 'no-cache' } : {}),
        (err: unknown) => send(res, 500, String(err)),
      );
      return;
    }
    if (form.get('grant_type') === 'client_credentials') {
      const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
      const granted = requested.filter((s) => client.scopes.includes(s));
      const t = this.issueAccessToken(client.clientId, granted);
      return json(200, { access_token: t.token, token_type: 'bearer', expires_in: 299, scope: granted.join(' ') });
    }
    json(400, pretty4({ error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' }));
  }

  private umaGrant(client: FakeClient, ticket: string, grantType: string, json: (s: number, b: unknown, h?: Record<string, string>) => void, res: http.ServerResponse): void {
    const permissions = this.tickets.get(ticket);
    if (!permissions) return json(400, pretty4({ error: 'invalid_ticket', error_description: UMA_TOKEN_ERRORS.invalid_ticket.description }));
    if (grantType !== 'urn:ietf:params:oauth:grant-type:uma-ticket') {
      return json(400, pretty4({ error: 'invalid_resource_id', error_description: UMA_TOKEN_ERRORS.invalid_resource_id.description }));
    }
    const answer = this.umaAnswers.shift() ?? { kind: 'rpt' };
    switch (answer.kind) {
      case 'rpt': {
        const rpt = this.issueRpt(client.clientId, permissions, answer.rptActive ?? true);
        return json(200, { access_token: rpt.token, token_type: 'Bearer', pct: rpt.pct, upgraded: answer.upgraded ?? false });
      }
      case 'need_info': {
        // oxauth.md §3.5: the ticket rotates.
        this.tickets.delete(ticket);
        const next = this.addTicket(permissions);
        return json(403, this.needInfoBody(client.clientId, next));
      }
      case 'error': {
        const spec = UMA_TOKEN_ERRORS[answer.error] ?? { status: answer.status ?? 400, description: 'error' };
        return json(answer.status ?? spec.status, pretty4({ error: answer.error, error_description: spec.description }));
      }
      case 'json':
        return json(answer.status, JSON.stringify(answer.body));
      case 'raw':
        return send(res, answer.status, answer.body, { 'Content-Type': answer.contentType ?? 'text/plain' });
    }
  }

  private bearer(call: FakeCall): string {
    const auth = String(call.headers.authorization ?? '');
    return auth.startsWith('Bearer ') ? auth.slice(7) : '';
  }

  private introspection(call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    const bearer = this.accessTokens.get(this.bearer(call));
    if (!(bearer && bearer.active) && !this.authenticateClient(call)) return json(401, pretty4({ error: 'invalid_client' }));
    const t = this.accessTokens.get(call.form?.get('token') ?? '');
    if (!t || !t.active) return json(200, { active: false });
    return json(200, {
      active: true,
      scope: t.scopes.join(' '),
      client_id: this.introspectionWithoutClientId ? null : t.clientId,
      token_type: 'bearer',
      exp: t.exp,
      iat: t.iat,
      sub: null,
      aud: t.clientId,
      iss: this.issuer,
      acr_values: null,
    });
  }

  /** oxauth.md §7: PAT checks of the protection API. */
  private checkPat(call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void): boolean {
    const token = this.bearer(call);
    if (token === '') {
      json(401, pretty4({ error: 'unauthorized_client' }));
      return false;
    }
    const t = this.accessTokens.get(token);
    if (!t || !t.active) {
      json(401, pretty4({ error: 'access_denied' }));
      return false;
    }
    if (!t.scopes.includes('uma_protection')) {
      json(406, pretty4({ error: 'invalid_client_scope' }));
      return false;
    }
    return true;
  }

  private rptStatus(call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (!this.checkPat(call, json)) return;
    const rpt = this.rpts.get(call.form?.get('token') ?? '');
    if (!rpt || !rpt.active) return json(200, { active: false }, { 'Cache-Control': 'no-store' });
    return json(
      200,
      {
        active: true,
        exp: rpt.exp,
        iat: rpt.iat,
        nbf: null,
        permissions: rpt.permissions.map((p) => ({ ...p, params: null })),
        client_id: rpt.clientId,
        sub: null,
        aud: rpt.clientId,
        iss: null,
        jti: null,
        pct_claims: { country: ['US'], city: ['NY'] },
      },
      { 'Cache-Control': 'no-store' },
    );
  }

  private resourceSet(req: Request, call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void, res: http.ServerResponse): void {
    if (!this.checkPat(call, json)) return;
    const id = req.path.split('/resource_set/')[1];
    if (req.method === 'POST' && id === undefined) {
      const body = (call.json ?? {}) as Record<string, unknown>;
      const scopes = body.resource_scopes;
      const hasScopes = Array.isArray(scopes) && scopes.length > 0;
      if (!hasScopes && (typeof body.scope_expression !== 'string' || body.scope_expression === '')) {
        return json(400, pretty4({ error: 'invalid_scope', error_description: UMA_TOKEN_ERRORS.invalid_scope.description }));
      }
      const r: FakeResource = { _id: uuid(), body };
      this.resources.set(r._id, r);
      return json(201, { _id: r._id, user_access_policy_uri: null });
    }
    if (req.method === 'GET' && id === undefined) return json(200, [...this.resources.keys()]);
    const r = id === undefined ? undefined : this.resources.get(id);
    if (!r) return json(404, pretty4({ error: 'not_found' }));
    if (req.method === 'DELETE') {
      this.resources.delete(r._id);
      return send(res, 204, '');
    }
    if (req.method === 'GET') return json(200, { _id: r._id, ...r.body });
    json(405, '');
  }

  private permission(call: FakeCall, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (!this.checkPat(call, json)) return;
    const body = call.json;
    const list = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
    if (list.length === 0) return json(400, pretty4({ error: 'invalid_permission_request' }));
    const permissions: FakePermission[] = [];
    for (const item of list as { resource_id?: string; resource_scopes?: string[] }[]) {
      const resource = item.resource_id ? this.resources.get(item.resource_id) : undefined;
      if (!resource) return json(400, pretty4({ error: 'invalid_resource_id' }));
      const allowed = (resource.body.resource_scopes as string[] | undefined) ?? [];
      const scopes = item.resource_scopes ?? [];
      if (scopes.some((s) => !allowed.includes(s))) return json(400, pretty4({ error: 'invalid_scope' }));
      permissions.push({ resource_id: resource._id, resource_scopes: scopes, exp: nowSeconds() + 3600 });
    }
    return json(201, { ticket: this.addTicket(permissions) });
  }
}
