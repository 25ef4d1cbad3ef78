// A test double of oxd-server 4.2 for the Kong plugins: answers the
// commands GG calls as oxd does (oxd.md §4.4, §4.7, §4.8, §4.9, §4.10,
// §4.11), records every call, and can be scripted per test (an RPT active
// for a client, check-access 500, an unreachable or non-JSON oxd, …).
import * as crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bind, send, sendJson, type Listening, type Request } from '../../../sandbox/lib/http';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';

export interface RecordedCall {
  command: string;
  body: Record<string, unknown>;
  authorization?: string;
}

/** What a scripted command answers. */
export type Scripted =
  /** `delayMs`: the answer comes that much later (a slow oxd). */
  | { status: number; body?: unknown; delayMs?: number }
  | { status: number; raw: string }
  /** The connection is dropped without an answer (transport error). */
  | 'unreachable';

export type Responder = (body: Record<string, unknown>, call: RecordedCall) => Scripted | undefined;

export interface ActiveRpt {
  client_id: string;
  exp?: number;
  iat?: number;
  permissions?: unknown[];
  /** "METHOD path" pairs check-access grants for this RPT; default: everything protected. */
  grants?: string[];
  /** Extra/overriding introspection fields (e.g. to drop `iat`). */
  fields?: Record<string, unknown>;
}

/**
 * One entry of a scripted oxd model, as GG's busted harness uses them
 * (t/lib/oxd-mock.lua semantics, described in oidc-uma.md §4): consumed
 * strictly in order; a wrong command or a failed check answers 400, a
 * missing Bearer 401 (register-site and get-client-token excepted), a
 * call past the end 500.
 */
export interface ModelStep {
  command: string;
  /** Throws (e.g. an assert) when the request is not the expected one. */
  check?: (body: Record<string, unknown>, call: RecordedCall) => void;
  answer: (body: Record<string, unknown>) => { status?: number; body: unknown };
}

export interface FakeOxdOptions {
  /** The AS issuer that goes into as_uri. */
  asUri?: string;
  /** Resources protected with uma-rs-protect: path → methods. */
  protect?: Record<string, string[]>;
  tls?: boolean;
  /** The clock of the id_token claims it hands out (seconds); defaults to the wall clock. */
  now?: () => number;
}

export class FakeOxd {
  readonly calls: RecordedCall[] = [];
  readonly asUri: string;
  private readonly scripts = new Map<string, Responder>();
  private readonly rpts = new Map<string, ActiveRpt>();
  private readonly protect: Record<string, string[]>;
  private ticketCounter = 0;
  jwks: unknown[] = [];
  tokenLifetime = 299;
  /** When set, every call is answered by the next step of the model (see ModelStep). */
  private model: ModelStep[] | undefined;
  private modelIndex = 0;
  /** Why a model step refused a call (for the test's message). */
  readonly modelFailures: string[] = [];
  private authorizationCounter = 0;
  private readonly clock: () => number;
  private codeCounter = 0;

  private constructor(
    private readonly listening: Listening,
    readonly url: string,
    options: FakeOxdOptions,
  ) {
    this.asUri = options.asUri ?? 'https://as.example.org';
    this.protect = options.protect ?? { '/posts/??': ['GET'] };
    this.clock = options.now ?? (() => Date.now() / 1000);
  }

  static async start(options: FakeOxdOptions = {}): Promise<FakeOxd> {
    const tls = options.tls === false ? undefined : await makeSelfSignedCertificate();
    const listening = await bind('127.0.0.1', 0, tls);
    const fake = new FakeOxd(listening, `${tls ? 'https' : 'http'}://127.0.0.1:${listening.port}`, options);
    listening.attach({
      bodyLimit: 1024 * 1024,
      handler: (req, res) => fake.handle(req, res),
      onTooLarge: (res) => send(res, 413, 'too large'),
      onError: (res) => sendJson(res, 500, { code: 500, message: 'There was an error processing your request.' }),
    });
    return fake;
  }

  close(): Promise<void> {
    return this.listening.close();
  }

  /** Command names in call order. */
  commands(): string[] {
    return this.calls.map((c) => c.command);
  }

  /** Forget recorded calls (scripts and RPTs stay). */
  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Override a command; return undefined from the responder to fall back to the default answer. */
  script(command: string, responder: Responder): void {
    this.scripts.set(command, responder);
  }

  /** Answer every call from this list, in order (GG's oxd-mock). */
  useModel(steps: ModelStep[]): void {
    this.model = steps;
    this.modelIndex = 0;
  }

  /** How many model steps were consumed. */
  modelPosition(): number {
    return this.modelIndex;
  }

  private modelAnswer(command: string, body: Record<string, unknown>, call: RecordedCall): Exclude<Scripted, 'unreachable'> {
    const steps = this.model as ModelStep[];
    const step = steps[this.modelIndex];
    this.modelIndex++;
    if (!step) {
      this.modelFailures.push(`#${this.modelIndex} ${command}: scenario is finished`);
      return { status: 500, raw: '' };
    }
    if (command !== 'register-site' && command !== 'get-client-token' && !/^\s*[Bb]earer\s+.+/.test(call.authorization ?? '')) {
      this.modelFailures.push(`#${this.modelIndex} ${command}: no bearer token`);
      return { status: 401, raw: '' };
    }
    if (command !== step.command) {
      this.modelFailures.push(`#${this.modelIndex}: expected ${step.command}, got ${command}`);
      return { status: 400, raw: '' };
    }
    try {
      step.check?.(body, call);
    } catch (e) {
      this.modelFailures.push(`#${this.modelIndex} ${command}: ${(e as Error).message}`);
      return { status: 400, raw: '' };
    }
    const a = step.answer(body);
    return { status: a.status ?? 200, body: a.body };
  }

  unscript(command: string): void {
    this.scripts.delete(command);
  }

  /** introspect-rpt answers active for this token (and check-access grants it). */
  activeRpt(token: string, rpt: ActiveRpt): void {
    this.rpts.set(token, rpt);
  }

  revoke(token: string): void {
    this.rpts.delete(token);
  }

  /** The challenge oxd builds (uma-rs RptPreProcessInterceptor): no spaces, fixed order. */
  challenge(ticket: string): string {
    return `UMA realm="rs",as_uri="${this.asUri}",error="insufficient_scope",ticket="${ticket}"`;
  }

  /** The n-th authorization state / nonce / raw id_token of the default OIDC answers. */
  static state(n: number): string {
    return `state${String(n).padStart(4, '0')}`;
  }

  static nonce(n: number): string {
    return `nonce${String(n).padStart(4, '0')}`;
  }

  static idToken(n: number): string {
    return `eyJhbGciOiJSUzI1NiJ9.eyJuIjo${n}fQ.sig${n}`;
  }

  /** Ticket n (1-based) as this double issues them. */
  static ticket(n: number): string {
    return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  }

  private handle(req: Request, res: ServerResponse): void {
    const command = req.path.replace(/^\//, '');
    let body: Record<string, unknown>;
    try {
      body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, 'Invalid parameters. Message: malformed JSON', { 'Content-Type': 'text/plain' });
    }
    const auth = req.headers.authorization;
    const call: RecordedCall = { command, body, authorization: Array.isArray(auth) ? auth[0] : auth };
    this.calls.push(call);
    if (this.model) {
      const a = this.modelAnswer(command, body, call);
      if ('raw' in a) return send(res, a.status, a.raw);
      return sendJson(res, a.status, a.body, {}, 'application/json; charset=UTF-8');
    }
    const scripted = this.scripts.get(command)?.(body, call);
    const answer = scripted ?? this.defaultAnswer(command, body);
    if (answer === 'unreachable') {
      res.socket?.destroy();
      return;
    }
    if ('raw' in answer) return send(res, answer.status, answer.raw, { 'Content-Type': 'text/plain' });
    if ('delayMs' in answer && answer.delayMs) {
      setTimeout(() => sendJson(res, answer.status, answer.body), answer.delayMs);
      return;
    }
    sendJson(res, answer.status, answer.body);
  }

  private newTicket(): string {
    this.ticketCounter++;
    return FakeOxd.ticket(this.ticketCounter);
  }

  private defaultAnswer(command: string, body: Record<string, unknown>): Exclude<Scripted, 'unreachable'> {
    const now = Math.floor(this.clock());
    switch (command) {
      case 'get-client-token':
        return { status: 200, body: { access_token: crypto.randomUUID(), expires_in: this.tokenLifetime, scope: ['openid', 'oxd'] } };
      case 'introspect-rpt': {
        const rpt = this.rpts.get(String(body.rpt));
        if (!rpt) return { status: 200, body: { active: false } };
        return {
          status: 200,
          body: {
            active: true,
            exp: rpt.exp ?? now + 3600,
            iat: rpt.iat ?? now,
            permissions: rpt.permissions ?? [{ resource_id: 'r1', resource_scopes: ['claim_gathering'], exp: now + 3600 }],
            client_id: rpt.client_id,
            sub: '',
            aud: rpt.client_id,
            iss: this.asUri,
            jti: crypto.randomUUID(),
            ...rpt.fields,
          },
        };
      }
      case 'uma-rs-check-access': {
        const path = String(body.path ?? '');
        const method = String(body.http_method ?? '');
        if (!method) return { status: 400, body: { error: 'invalid_http_method', error_description: 'http_method is not specified or otherwise not GET or POST or PUT or DELETE. Please check it according to protocol definition at https://gluu.org/docs/oxd' } };
        const methods = Object.entries(this.protect).find(([p]) => p.toLowerCase() === path.toLowerCase())?.[1];
        if (!methods || !methods.includes(method)) {
          return {
            status: 400,
            body: {
              error: 'invalid_request',
              error_description: `Resource is not protected with path: ${path} and httpMethod: ${method}. Please protect your resource first with uma_rs_protect command. Check details on https://gluu.org/docs/oxd`,
            },
          };
        }
        const rpt = this.rpts.get(String(body.rpt ?? ''));
        if (rpt && (!rpt.grants || rpt.grants.includes(`${method} ${path}`))) return { status: 200, body: { access: 'granted' } };
        const ticket = this.newTicket();
        return { status: 200, body: { access: 'denied', 'www-authenticate_header': this.challenge(ticket), ticket } };
      }
      case 'uma-rp-get-rpt':
        return {
          status: 403,
          body: { error: 'need_info', ticket: this.newTicket(), required_claims: [], redirect_user: `${this.asUri}/oxauth/restv1/uma/gather_claims?ticket=x` },
        };
      case 'uma-rp-get-claims-gathering-url': {
        const state = typeof body.state === 'string' ? body.state : 'd871gpie16np0f5kfv936sc33k';
        return {
          status: 200,
          body: {
            url: `${this.asUri}/oxauth/restv1/uma/gather_claims?client_id=C&ticket=${String(body.ticket)}&claims_redirect_uri=${String(body.claims_redirect_uri)}&state=${state}`,
            state,
          },
        };
      }
      case 'get-jwks':
        return { status: 200, body: { keys: this.jwks } };
      // ---- OpenID Connect (oxd.md, oidc-uma.md §2): plausible answers; tests script the details ----
      case 'get-authorization-url': {
        this.authorizationCounter++;
        const scope = Array.isArray(body.scope) ? (body.scope as string[]).join('+') : '';
        const params = (body.params ?? {}) as Record<string, unknown>;
        const extra = [
          body.prompt !== undefined ? `&prompt=${String(body.prompt)}` : '',
          Array.isArray(body.acr_values) ? `&acr_values=${(body.acr_values as string[]).join('+')}` : '',
          params.max_age !== undefined ? `&max_age=${String(params.max_age)}` : '',
        ].join('');
        return {
          status: 200,
          body: {
            authorization_url: `${this.asUri}/oxauth/restv1/authorize?response_type=code&client_id=P&redirect_uri=https://gg.example.org/callback&scope=${scope}&state=${FakeOxd.state(this.authorizationCounter)}&nonce=${FakeOxd.nonce(this.authorizationCounter)}${extra}`,
          },
        };
      }
      case 'get-tokens-by-code': {
        this.codeCounter++;
        const n = this.codeCounter;
        return {
          status: 200,
          body: {
            access_token: `AT-${n}`,
            expires_in: 299,
            id_token: FakeOxd.idToken(n),
            refresh_token: `RT-${n}`,
            id_token_claims: { iss: this.asUri, aud: 'P', sub: `sub-${n}`, nonce: FakeOxd.nonce(n), iat: now, exp: now + 3600, auth_time: now, acr: 'simple_password_auth', amr: ['10'] },
          },
        };
      }
      case 'get-user-info':
        return { status: 200, body: { sub: 'sub-1', name: 'Test User', given_name: 'Test', family_name: 'User', email: 'test_user@example.org', email_verified: false } };
      case 'get-logout-uri':
        return {
          status: 200,
          body: { uri: `${this.asUri}/oxauth/restv1/end_session?post_logout_redirect_uri=${encodeURIComponent(String(body.post_logout_redirect_uri))}&id_token_hint=${String(body.id_token_hint)}` },
        };
      default:
        return { status: 404, body: { code: 404, message: 'HTTP 404 Not Found' } };
    }
  }
}
