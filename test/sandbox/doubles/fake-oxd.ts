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
  | { status: number; body?: unknown }
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

export interface FakeOxdOptions {
  /** The AS issuer that goes into as_uri. */
  asUri?: string;
  /** Resources protected with uma-rs-protect: path → methods. */
  protect?: Record<string, string[]>;
  tls?: boolean;
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

  private constructor(
    private readonly listening: Listening,
    readonly url: string,
    options: FakeOxdOptions,
  ) {
    this.asUri = options.asUri ?? 'https://as.example.org';
    this.protect = options.protect ?? { '/posts/??': ['GET'] };
  }

  static async start(options: FakeOxdOptions = {}): Promise<FakeOxd> {
    const tls = options.tls === false ? undefined : makeSelfSignedCertificate();
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
    const scripted = this.scripts.get(command)?.(body, call);
    const answer = scripted ?? this.defaultAnswer(command, body);
    if (answer === 'unreachable') {
      res.socket?.destroy();
      return;
    }
    if ('raw' in answer) return send(res, answer.status, answer.raw, { 'Content-Type': 'text/plain' });
    sendJson(res, answer.status, answer.body);
  }

  private newTicket(): string {
    this.ticketCounter++;
    return FakeOxd.ticket(this.ticketCounter);
  }

  private defaultAnswer(command: string, body: Record<string, unknown>): Exclude<Scripted, 'unreachable'> {
    const now = Math.floor(Date.now() / 1000);
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
      default:
        return { status: 404, body: { code: 404, message: 'HTTP 404 Not Found' } };
    }
  }
}
