// Provisioning: what the tutorial's manual Gluu Gateway steps create
// (reference README "Setup sequence"), made per scenario under names unique
// to the run, and removed afterwards. With UMA_PROVISION=existing nothing is
// created in Kong: the tutorial objects already configured are used.
import * as crypto from 'node:crypto';
import type { SuiteConfig } from './config';
import type { KongAdmin } from './clients/kong-admin';
import type { Oxd, RegisterSiteRequest, RegisterSiteResponse, RsResource } from './clients/oxd';
import type { Journal } from './journal';
import { SetupError } from './errors';

/** What a scenario wants the gateway to look like; provisioned on first use. */
export interface GatewayPlan {
  upstream: 'demo' | 'echo';
  /** GET patterns of the scope expression, all protected with the claims-gathering scope. */
  patterns: string[];
  denyByDefault: boolean;
  /** A second host protecting the same API with a scope that has no policy (flow C′). */
  noPolicyHost: boolean;
  /**
   * The plugin client's own access-token lifetime (s), sent with register-site;
   * the AS then issues the gateway's protection tokens with it (oxAuth
   * AbstractAuthorizationGrant lines 284–288). Unset: the AS's default.
   */
  pluginTokenLifetime?: number;
}

export const TUTORIAL_PATTERN = '/posts/??';
export const SECOND_PATTERN = '/comments/??';
export const SECOND_PATH = '/comments/1';

export function tutorialPlan(upstream: GatewayPlan['upstream']): GatewayPlan {
  return { upstream, patterns: [TUTORIAL_PATTERN], denyByDefault: true, noPolicyHost: false };
}

/** The plugin OP client both UMA plugins share (README: "plugin client P_*"). */
export interface PluginClient {
  oxdId: string;
  clientId: string;
  clientSecret: string;
}

export interface Gateway {
  /** Route host protected by the claims-gathering scope (tutorial: host_with_claims). */
  host: string;
  /** Route host protected by the scope without policy (tutorial: host_without_claims). */
  hostWithoutClaims?: string;
  pluginClient?: PluginClient;
  /** The Kong consumer gluu-uma-auth's `anonymous` names, when the suite created it. */
  anonymousConsumerId?: string;
}

/** The requesting party's consumer OP client (README: "consumer client C_*"). */
export interface RqpClient {
  oxdId: string;
  clientId: string;
  clientSecret: string;
  claimsRedirectUri: string;
  /** Its plain OAuth redirect URI, when the suite registered the client and knows it differs. */
  oauthRedirectUri?: string;
  /** The Kong consumer mapped to it (custom_id = client_id), when the suite created it. */
  consumerId?: string;
}

/** The Gluu Gateway UI's default custom headers (gateway.md §4, uma-plugin-controller.js). */
export const UI_DEFAULT_CUSTOM_HEADERS = [
  { header_name: 'x-consumer-id', value_lua_exp: 'consumer.id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-client-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-consumer-custom-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-expiration', value_lua_exp: 'introspect_data.exp', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-authenticated-scope', value_lua_exp: 'introspect_data.scope', format: 'list', sep: ',', iterate: false },
];

export function scopeExpression(patterns: string[], scope: string): RsResource[] {
  return patterns.map((path) => ({
    path,
    conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: [scope] } }],
  }));
}

function uniqueName(runId: string): string {
  return `ucc-${runId}-${crypto.randomBytes(3).toString('hex')}`;
}

export class Provisioner {
  /** Undo actions, newest first. */
  private readonly undo: Array<{ what: string; run: () => Promise<unknown> }> = [];

  constructor(
    private readonly config: SuiteConfig,
    private readonly kong: KongAdmin,
    private readonly oxd: Oxd,
    private readonly journal: Journal,
    private readonly runId: string,
  ) {}

  /**
   * Creates a Kong object under an id chosen here and journalled first
   * (write-ahead): a run interrupted while Kong's answer is on its way still
   * knows the object, and the sweep treats one that never came into being as gone.
   */
  private async kongCreate<T extends { id: string }>(kind: 'services' | 'routes' | 'consumers' | 'plugins', make: (id: string) => Promise<T>): Promise<T> {
    const id = crypto.randomUUID();
    this.journal.created(kind, id);
    this.undo.unshift({
      what: `Kong ${kind} ${id}`,
      run: async () => {
        const x = await this.kong.remove(kind, id);
        if (x.response.status !== 204 && x.response.status !== 404) throw new SetupError(`Kong did not delete ${kind} ${id}: HTTP ${x.response.status}`, x);
        this.journal.deleted(kind, id);
      },
    });
    return make(id);
  }

  /**
   * An OP client registered through oxd (register-site), removed from oxd
   * afterwards (remove-site). oxd 4.2 has no command that deletes the client
   * at the AS: like the GG UI's own clients, it stays registered there.
   */
  private async site(req: RegisterSiteRequest): Promise<RegisterSiteResponse> {
    const site = await this.oxd.registerSite(req);
    this.undo.unshift({
      what: `oxd site ${site.oxd_id}`,
      run: async () => {
        const token = await this.oxd.clientToken(site.client_id, site.client_secret, this.config.ceUrl);
        const x = await this.oxd.removeSite(site.oxd_id, token.access_token);
        if (x.response.status !== 200) throw new SetupError(`oxd did not remove site ${site.oxd_id}: HTTP ${x.response.status}`, x);
      },
    });
    return site;
  }

  /** Plugin OP client: register-site, then protect the patterns with the scope (setup steps 1–3). */
  private async pluginClient(patterns: string[], scope: string, name: string, tokenLifetime?: number): Promise<PluginClient> {
    const site = await this.site({
      op_host: this.config.ceUrl,
      redirect_uris: [`https://${name}.conformance.invalid/cb`],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials'],
      client_name: `${name}-gg-uma-client`,
      ...(tokenLifetime !== undefined ? { access_token_lifetime: tokenLifetime } : {}),
    });
    const token = await this.oxd.clientToken(site.client_id, site.client_secret, this.config.ceUrl);
    await this.oxd.protect(site.oxd_id, scopeExpression(patterns, scope), token.access_token);
    return { oxdId: site.oxd_id, clientId: site.client_id, clientSecret: site.client_secret };
  }

  private async umaPlugins(client: PluginClient, scope: { service?: string; route?: string }, anonymousId: string, patterns: string[], umaScope: string, denyByDefault: boolean) {
    const common = { oxd_id: client.oxdId, client_id: client.clientId, client_secret: client.clientSecret, oxd_url: this.config.oxdUrl, op_url: this.config.ceUrl };
    await this.kongCreate('plugins', (id) =>
      this.kong.createPlugin(id, 'gluu-uma-auth', { ...common, anonymous: anonymousId, pass_credentials: 'pass', consumer_mapping: true, custom_headers: UI_DEFAULT_CUSTOM_HEADERS }, scope),
    );
    await this.kongCreate('plugins', (id) =>
      this.kong.createPlugin(id, 'gluu-uma-pep', { ...common, deny_by_default: denyByDefault, uma_scope_expression: JSON.stringify(scopeExpression(patterns, umaScope)) }, scope),
    );
  }

  /** Setup steps 1–6 (and 9's second host): plugin client, service, route(s), anonymous consumer, plugins. */
  async gateway(plan: GatewayPlan): Promise<Gateway> {
    if (this.config.provision === 'existing') {
      if (!this.config.hostWithClaims) throw new SetupError('HOST_WITH_CLAIMS is not set');
      return { host: this.config.hostWithClaims, hostWithoutClaims: this.config.hostWithoutClaims };
    }
    const name = uniqueName(this.runId);
    const upstreamUrl = plan.upstream === 'echo' ? this.config.echoUpstreamUrl : this.config.upstreamUrl;
    if (!upstreamUrl) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
    const pluginClient = await this.pluginClient(plan.patterns, this.config.claimsScope, name, plan.pluginTokenLifetime);
    const service = await this.kongCreate('services', (id) => this.kong.createService(id, name, upstreamUrl));
    const host = `${name}.claims.example.com`;
    await this.kongCreate('routes', (id) => this.kong.createRoute(id, name, service.id, [host]));
    const anonymous = await this.kongCreate('consumers', (id) => this.kong.createConsumer(id, `${name}-anonymous`, `${name}-anonymous`));
    await this.umaPlugins(pluginClient, { service: service.id }, anonymous.id, plan.patterns, this.config.claimsScope, plan.denyByDefault);
    const gateway: Gateway = { host, pluginClient, anonymousConsumerId: anonymous.id };
    if (plan.noPolicyHost) {
      // Same API, second route whose own plugins protect it with the no-policy scope;
      // route plugins take precedence over the service's.
      const noPolicyClient = await this.pluginClient(plan.patterns, this.config.noPolicyScope, `${name}-np`);
      const hostWithoutClaims = `${name}.no-claims.example.com`;
      const route = await this.kongCreate('routes', (id) => this.kong.createRoute(id, `${name}-no-claims`, service.id, [hostWithoutClaims]));
      await this.umaPlugins(noPolicyClient, { route: route.id }, anonymous.id, plan.patterns, this.config.noPolicyScope, plan.denyByDefault);
      gateway.hostWithoutClaims = hostWithoutClaims;
    }
    return gateway;
  }

  /**
   * Setup steps 7–8: the consumer OP client with its claims redirect URI, and
   * its Kong consumer. A client given in the settings (CLIENT_*) is used as
   * is; its Kong consumer must already exist (the tutorial's "Add Consumer
   * with OP Client"), since Kong allows one consumer per custom_id.
   */
  async requestingParty(options: { withConsumer: boolean; claimsRedirectQuery?: string } = { withConsumer: true }): Promise<RqpClient> {
    if (this.config.client && options.withConsumer) {
      const consumer = await this.kong.consumerByCustomId(this.config.client.clientId);
      if (!consumer && this.config.provision === 'auto') {
        throw new SetupError(
          `Kong has no consumer with custom_id ${this.config.client.clientId} (CLIENT_ID): add it as in the tutorial's "Add Consumer with OP Client", or unset CLIENT_OXD_ID, CLIENT_ID and CLIENT_SECRET to let the suite register its own client`,
        );
      }
      return { ...this.config.client, claimsRedirectUri: this.config.claimsRedirectUrl, consumerId: consumer?.id };
    }
    const name = uniqueName(this.runId);
    const claimsRedirectUri = `https://${name}.rqp.conformance.invalid/claims-cb${options.claimsRedirectQuery ? `?${options.claimsRedirectQuery}` : ''}`;
    const oauthRedirectUri = `https://${name}.rqp.conformance.invalid/oauth-cb`;
    const site = await this.site({
      op_host: this.config.ceUrl,
      redirect_uris: [oauthRedirectUri],
      claims_redirect_uri: [claimsRedirectUri],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      client_name: `${name}-consumer_op_client`,
    });
    const client: RqpClient = { oxdId: site.oxd_id, clientId: site.client_id, clientSecret: site.client_secret, claimsRedirectUri, oauthRedirectUri };
    if (options.withConsumer) {
      if (this.config.provision === 'existing') throw new SetupError('UMA_PROVISION=existing creates nothing in Kong, so it needs CLIENT_OXD_ID, CLIENT_ID and CLIENT_SECRET');
      const consumer = await this.kongCreate('consumers', (id) => this.kong.createConsumer(id, `${name}-rqp`, site.client_id));
      client.consumerId = consumer.id;
    }
    return client;
  }

  /**
   * Auto mode (contract §4): the OP client registered as the GG UI's save does
   * (register-site with the redirect, post-logout and claims redirect URIs
   * under the route's prefix, then uma-rs-protect of `<prefix>/settings/??`),
   * a service, a route matched by the prefix alone, and both plugins on the
   * route with the UI's values and the tutorial's UMA PEP section
   * (deny_by_default false). Existing mode: the tutorial's objects at OIDC_UMA_URL.
   */
  async oidcUmaSite(plan: OidcUmaPlan): Promise<OidcUmaSite> {
    const { config, kong, oxd } = this;
    if (config.provision === 'existing') {
      if (!config.oidcUmaUrl) throw new SetupError('OIDC_UMA_URL is not set');
      return { baseUrl: config.oidcUmaUrl };
    }
    const upstreamUrl = plan.upstream === 'echo' ? config.echoUpstreamUrl : config.websiteUpstreamUrl;
    if (!upstreamUrl) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
    const name = uniqueName(this.runId);
    const prefix = `/${name}`;
    const baseUrl = `${config.ggProxyUrl}${prefix}`;
    const site = await this.site({
      op_host: config.ceUrl,
      redirect_uris: [`${baseUrl}${OIDC_UMA_PATHS.callback}`],
      client_name: `${name}-gg-openid-connect-client`,
      post_logout_redirect_uris: [`${baseUrl}${OIDC_UMA_PATHS.postLogout}`],
      scope: OIDC_UMA_REQUESTED_SCOPES,
      acr_values: [],
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      claims_redirect_uri: [`${baseUrl}${OIDC_UMA_PATHS.claimsCallback}`],
    });
    const expression = scopeExpression([`${prefix}/settings/??`], config.oidcUmaScope);
    const token = await oxd.clientToken(site.client_id, site.client_secret, config.ceUrl);
    await oxd.protect(site.oxd_id, expression, token.access_token);
    const opClient: PluginClient = { oxdId: site.oxd_id, clientId: site.client_id, clientSecret: site.client_secret };
    const service = await this.kongCreate('services', (id) => kong.createService(id, name, upstreamUrl));
    const route = await this.kongCreate('routes', (id) => kong.createPathRoute(id, name, service.id, [prefix]));
    const common = { oxd_id: opClient.oxdId, client_id: opClient.clientId, client_secret: opClient.clientSecret, oxd_url: config.oxdUrl, op_url: config.ceUrl };
    await this.kongCreate('plugins', (id) =>
      kong.createPlugin(
        id,
        'gluu-openid-connect',
        {
          ...common,
          authorization_redirect_path: `${prefix}${OIDC_UMA_PATHS.callback}`,
          logout_path: `${prefix}${OIDC_UMA_PATHS.logout}`,
          post_logout_redirect_path_or_url: `${prefix}${OIDC_UMA_PATHS.postLogout}`,
          requested_scopes: OIDC_UMA_REQUESTED_SCOPES,
          max_id_token_age: 3600,
          max_id_token_auth_age: 3600,
          restore_original_auth_params: false,
          custom_headers: OIDC_UI_DEFAULT_CUSTOM_HEADERS,
        },
        { route: route.id },
      ),
    );
    await this.kongCreate('plugins', (id) =>
      kong.createPlugin(
        id,
        'gluu-uma-pep',
        {
          ...common,
          uma_scope_expression: JSON.stringify(expression),
          deny_by_default: false,
          require_id_token: true,
          obtain_rpt: true,
          redirect_claim_gathering_url: true,
          claims_redirect_path: `${prefix}${OIDC_UMA_PATHS.claimsCallback}`,
          pushed_claims_lua_exp: '{id_token=id_token,userinfo=userinfo}',
        },
        { route: route.id },
      ),
    );
    return { baseUrl, opClient };
  }

  /** Removes everything this provisioner made, newest first; reports what could not be removed. */
  async cleanUp(): Promise<string[]> {
    const problems: string[] = [];
    while (this.undo.length) {
      const step = this.undo.shift()!;
      try {
        await step.run();
      } catch (err) {
        problems.push(`${step.what}: ${(err as Error).message}`);
      }
    }
    return problems;
  }
}

// ── The second tutorial: a website behind gluu-openid-connect + gluu-uma-pep ──

/** What a second-tutorial scenario wants behind the gateway. */
export interface OidcUmaPlan {
  /** The demo website (node-ejs), or the echo upstream to see what the gateway passes on. */
  upstream: 'website' | 'echo';
}

/** The website's paths as the tutorial configures them (oidc-uma.md §1.4), relative to the route. */
export const OIDC_UMA_PATHS = {
  settings: '/settings/',
  home: '/home/',
  callback: '/callback',
  claimsCallback: '/claims_callback',
  logout: '/logout',
  postLogout: '/logout_redirect_uri',
} as const;

export type OidcUmaPath = keyof typeof OIDC_UMA_PATHS;

/** The OIDC scopes the GG UI requests (openid-plugin-controller.js; uma_protection is mandatory with the PEP). */
export const OIDC_UMA_REQUESTED_SCOPES = ['openid', 'oxd', 'email', 'profile', 'uma_protection'];

/** The GG UI's four default custom headers of the "Gluu OIDC & UMA PEP" form (oidc-uma.md §1.4). */
export const OIDC_UI_DEFAULT_CUSTOM_HEADERS = [
  { header_name: 'http-kong-id-token-{*}', value_lua_exp: 'id_token', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo-{*}', value_lua_exp: 'userinfo', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo', value_lua_exp: 'userinfo', format: 'jwt', sep: ' ', iterate: false },
  { header_name: 'http-kong-id-token', value_lua_exp: 'id_token', format: 'jwt', sep: ' ', iterate: false },
];

/** The second tutorial's website as the scenario's browser reaches it. */
export interface OidcUmaSite {
  /** The origin plus the route's path prefix: `GG_PROXY_URL/<prefix>` (auto) or OIDC_UMA_URL (existing). */
  baseUrl: string;
  /** The OP client both plugins share, when the suite registered it (auto). */
  opClient?: PluginClient;
}

export function oidcUmaUrl(site: OidcUmaSite, path: OidcUmaPath | string): string {
  const p = path in OIDC_UMA_PATHS ? OIDC_UMA_PATHS[path as OidcUmaPath] : path;
  return `${site.baseUrl}${p}`;
}
