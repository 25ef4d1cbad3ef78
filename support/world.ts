// One World per scenario: its own HTTP clients, secrets, provisioned
// objects, browser context and flow state. Nothing is shared between
// scenarios but the worker's configuration and browser process.
import * as path from 'node:path';
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { loadConfig, type SuiteConfig } from './config';
import { DivergenceLedger } from './divergences';
import { WeaknessLedger } from './weaknesses';
import { HttpClient, type Exchange } from './http';
import { Secrets, isSecretKey } from './mask';
import { attachmentName, renderExchange } from './evidence';
import type { CheckContext, CheckRecord } from './checks/core';
import { KongAdmin } from './clients/kong-admin';
import { KongProxy, type ProxyResult } from './clients/kong-proxy';
import { Oxd, type NeedInfoBody } from './clients/oxd';
import { UmaAs } from './clients/uma-as';
import { EchoUpstream } from './clients/echo-upstream';
import { ClaimsBrowserSession, type GatheringOutcome } from './clients/claims-browser';
import { Journal } from './journal';
import { Provisioner, tutorialPlan, type Gateway, type GatewayPlan, type OidcUmaPlan, type OidcUmaSite, type RqpClient } from './provisioning';
import { OpenIdProvider } from './clients/openid-provider';
import { WebsiteBrowser } from './clients/website-browser';
import type { BrowserFlow, BrowserName } from './oidc-flow';
import { SetupError } from './errors';

let workerConfig: SuiteConfig | undefined;
let workerLedger: DivergenceLedger | undefined;
let workerWeaknesses: WeaknessLedger | undefined;

export function suiteConfig(): SuiteConfig {
  workerConfig ??= loadConfig();
  return workerConfig;
}

export function ledger(): DivergenceLedger {
  workerLedger ??= DivergenceLedger.load(suiteConfig().divergencesFile);
  return workerLedger;
}

export function weaknesses(): WeaknessLedger {
  workerWeaknesses ??= WeaknessLedger.load(suiteConfig().weaknessesFile);
  return workerWeaknesses;
}

/** What the scenario has learnt so far along the UMA flow. */
export interface FlowState {
  proxied: ProxyResult[];
  /** When the gateway's protection-token window falls (issue 14 item 11), and the request sent inside it. */
  tokenWindow?: { schedule: import('./protection-token-window').WindowSchedule; inside?: Exchange };
  /** The current permission ticket, and every ticket seen in order. */
  ticket?: string;
  tickets: string[];
  /** The ticket that need_info replaced, and the one claims were gathered for. */
  replacedTicket?: string;
  gatheredTicket?: string;
  /** The ticket that reached the claims interaction endpoint without a completed gathering. */
  presentedTicket?: string;
  needInfo?: { exchange: Exchange; body: NeedInfoBody };
  claimsUrl?: string;
  state?: string;
  /** URI the browser is watched for (the claims redirect URI, or an untrusted one). */
  watchedUri?: string;
  gathering?: GatheringOutcome;
  rptExchange?: Exchange;
  rpt?: string;
  pct?: string;
  claimToken?: string;
  lastAs?: Exchange;
  introspection?: Exchange;
  discovery?: Exchange;
  /** An RPT belonging to a second client (no Kong consumer). */
  otherRpt?: string;
  /** Why the ticket of the last direct AS call should be refused. */
  situation?: import('./checks/authorization-server').TicketSituation;
  /** The error code of an error redirect from the claims interaction endpoint. */
  redirectError?: string;
  /** The administrator's update-site call and the claims redirect URI it set. */
  updateSite?: { exchange: Exchange; form: 'a JSON string, as the tutorial writes it' | 'a JSON list'; claimsRedirectUri: string };
}

export class UmaWorld extends World {
  readonly config = suiteConfig();
  readonly secrets = new Secrets();
  readonly exchanges: Exchange[] = [];
  readonly checkRecords: CheckRecord[] = [];
  readonly checks: CheckContext;
  readonly kong: KongAdmin;
  readonly proxy: KongProxy;
  readonly oxd: Oxd;
  readonly as: UmaAs;
  readonly echo?: EchoUpstream;
  readonly provisioner: Provisioner;
  readonly flow: FlowState = { proxied: [], tickets: [] };
  /** The second tutorial: the AS as OpenID Provider, the website's plan, each browser's journey. */
  readonly op: OpenIdProvider;
  readonly oidc: Partial<Record<BrowserName, BrowserFlow>> = {};
  oidcPlan: OidcUmaPlan = { upstream: 'website' };
  private oidcSitePromise?: Promise<OidcUmaSite>;
  private readonly websiteBrowsers = new Map<BrowserName, Promise<WebsiteBrowser>>();
  plan?: GatewayPlan;
  private gatewayPromise?: Promise<Gateway>;
  private rqpPromise?: Promise<RqpClient>;
  private rqpTokenPromise?: Promise<string>;
  private browserSession?: Promise<ClaimsBrowserSession>;
  scenarioName = '';

  constructor(options: IWorldOptions) {
    super(options);
    const cfg = this.config;
    this.secrets.add(cfg.client?.clientSecret);
    this.secrets.add(cfg.testUser?.password);
    this.checks = { secrets: this.secrets, ledger: ledger(), weaknesses: weaknesses(), record: (r) => this.checkRecords.push(r) };
    const client = (target: string) => {
      const c = new HttpClient(target, { timeoutMs: cfg.httpTimeoutMs, tlsInsecure: cfg.tlsInsecure });
      c.onExchange((x) => this.recordExchange(x));
      return c;
    };
    this.kong = new KongAdmin(client('Kong Admin API'), cfg.ggAdminUrl);
    this.proxy = new KongProxy(client('Kong proxy'), cfg.ggProxyUrl);
    this.oxd = new Oxd(client('oxd'), cfg.oxdUrl);
    this.as = new UmaAs(client('authorization server'), cfg.ceUrl);
    this.op = new OpenIdProvider(client('authorization server'), cfg.ceUrl);
    if (cfg.echoUpstreamUrl) this.echo = new EchoUpstream(client('echo upstream'), cfg.echoUpstreamUrl);
    const journalDir = process.env.UMA_JOURNAL_DIR ?? path.join(process.env.UMA_REPORTS_DIR ?? 'reports', '.journal');
    this.provisioner = new Provisioner(cfg, this.kong, this.oxd, new Journal(journalDir, cfg.ggAdminUrl), process.env.UMA_RUN_ID ?? 'local');
  }

  /** Every exchange becomes evidence on the step that made it; secrets it carries are learnt first. */
  private recordExchange(x: Exchange): void {
    this.learnSecrets(x.response.json);
    this.exchanges.push(x);
    this.attach(renderExchange(x, this.secrets), { mediaType: 'text/plain', fileName: `${attachmentName(x)}.txt` });
  }

  learnSecrets(json: unknown): void {
    if (!json || typeof json !== 'object') return;
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      if (typeof v === 'string' && isSecretKey(k)) this.secrets.add(v);
    }
  }

  /** The gateway this scenario uses, provisioned on first use. */
  gateway(): Promise<Gateway> {
    this.gatewayPromise ??= this.provisioner.gateway(this.plan ?? tutorialPlan('demo'));
    return this.gatewayPromise;
  }

  /** Changes to the plan are only possible before the gateway is provisioned. */
  changePlan(change: (plan: GatewayPlan) => void): void {
    if (this.gatewayPromise) throw new Error('suite defect: the gateway plan was changed after provisioning');
    this.plan ??= tutorialPlan('demo');
    change(this.plan);
  }

  /**
   * A requesting party's client of the suite's own, registered with a claims
   * redirect URI that carries `query`; it replaces the scenario's client.
   */
  useRqpWithClaimsRedirectQuery(query: string): Promise<RqpClient> {
    return this.useOwnRqp(query);
  }

  /**
   * A requesting party's client of the suite's own (also with
   * UMA_PROVISION=existing), for scenarios that change the client: the
   * tutorial's configured one is never touched. It replaces the scenario's client.
   */
  useOwnRqp(claimsRedirectQuery?: string): Promise<RqpClient> {
    // No Kong consumer: these scenarios end before any RPT reaches the gateway.
    this.rqpPromise = this.knowSecret(this.provisioner.requestingParty({ withConsumer: false, claimsRedirectQuery }));
    this.rqpTokenPromise = undefined;
    return this.rqpPromise;
  }

  rqp(): Promise<RqpClient> {
    this.rqpPromise ??= this.knowSecret(this.provisioner.requestingParty());
    return this.rqpPromise;
  }

  private async knowSecret(client: Promise<RqpClient>): Promise<RqpClient> {
    const c = await client;
    this.secrets.add(c.clientSecret);
    return c;
  }

  /** The requesting party's oxd access token (get-client-token, README A2). */
  rqpToken(): Promise<string> {
    this.rqpTokenPromise ??= this.rqp().then(async (c) => {
      const t = await this.oxd.clientToken(c.clientId, c.clientSecret, this.config.ceUrl);
      this.secrets.add(t.access_token);
      return t.access_token;
    });
    return this.rqpTokenPromise;
  }

  browser(): Promise<ClaimsBrowserSession> {
    const cfg = this.config;
    this.browserSession ??= ClaimsBrowserSession.open({ ...cfg.browser, tlsInsecure: cfg.tlsInsecure }, true);
    return this.browserSession;
  }

  /** The second tutorial's website, provisioned on first use. */
  oidcSite(): Promise<OidcUmaSite> {
    this.oidcSitePromise ??= this.provisioner.oidcUmaSite(this.oidcPlan);
    return this.oidcSitePromise;
  }

  changeOidcPlan(change: (plan: OidcUmaPlan) => void): void {
    if (this.oidcSitePromise) throw new Error('suite defect: the website plan was changed after provisioning');
    change(this.oidcPlan);
  }

  /** One browser context per browser of the scenario, opened on first use. */
  websiteBrowser(name: BrowserName): Promise<WebsiteBrowser> {
    let b = this.websiteBrowsers.get(name);
    if (!b) {
      const cfg = this.config;
      b = this.oidcSite().then((site) =>
        WebsiteBrowser.open({ ...cfg.browser, tlsInsecure: cfg.tlsInsecure }, { [new URL(site.baseUrl).origin]: 'Kong proxy', [new URL(cfg.ceUrl).origin]: 'authorization server' }, true),
      );
      this.websiteBrowsers.set(name, b);
    }
    return b;
  }

  /** The website browsers opened, for the After hook. */
  openedWebsiteBrowsers(): Array<Promise<WebsiteBrowser>> {
    return [...this.websiteBrowsers.values()];
  }

  hasBrowser(): boolean {
    return this.browserSession !== undefined;
  }

  /** A new ticket joins the flow. */
  setTicket(ticket: string): void {
    this.flow.ticket = ticket;
    this.flow.tickets.push(ticket);
  }

  requireTicket(): string {
    if (!this.flow.ticket) throw new SetupError('suite defect: this step needs a permission ticket from an earlier step');
    return this.flow.ticket;
  }

  requireRpt(): string {
    if (!this.flow.rpt) throw new SetupError('suite defect: this step needs an RPT from an earlier step');
    return this.flow.rpt;
  }

  lastProxied(): ProxyResult {
    const last = this.flow.proxied[this.flow.proxied.length - 1];
    if (!last) throw new SetupError('suite defect: this step needs a request through the gateway from an earlier step');
    return last;
  }
}

setWorldConstructor(UmaWorld);
