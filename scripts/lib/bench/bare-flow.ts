// The bare-flow baseline: the @tutorial scenarios (features/tutorial/*.feature)
// as a plain script, without any test framework and without the suite's
// support code. Same sandbox, same HTTP calls in the same order (the Kong and
// oxd objects support/provisioning.ts makes per scenario, the 401 + ticket,
// oxd get-rpt, need_info, the claims URL, a real Chromium answering Country
// then City with the claims redirect captured by routing, the RPT, the
// resource, the clean-up), one fresh browser context per scenario. What it
// leaves out is what the suite adds: Cucumber, evidence and masking,
// screenshots, tracing, formatters, the journal.
//
// Run by the benchmark as a child process (so its wall time includes a node
// start like the suite's):  node -r ./scripts/register.js scripts/lib/bench/bare-flow.ts OUT.json
import * as crypto from 'node:crypto';
import { PlainHttp, ticketOf } from './plain-http';
import { startSandbox, type SandboxUrls } from '../sandbox-launcher';
import { expect, SharedBrowser } from './bare-common';
import { runAsChild } from './child-main';

const API_PATH = '/posts/1';
const CLAIMS_SCOPE = 'claim_gathering';
const NO_POLICY_SCOPE = 'non_claim_gathering';
const PATTERN = '/posts/??';
const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
const CAPTURED_PAGE = '<!doctype html><title>claims redirect captured</title><p>captured</p>';
const RUN_ID = crypto.randomBytes(3).toString('hex');

const UI_DEFAULT_CUSTOM_HEADERS = [
  { header_name: 'x-consumer-id', value_lua_exp: 'consumer.id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-client-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-consumer-custom-id', value_lua_exp: 'introspect_data.client_id', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-oauth-expiration', value_lua_exp: 'introspect_data.exp', format: 'string', sep: ' ', iterate: false },
  { header_name: 'x-authenticated-scope', value_lua_exp: 'introspect_data.scope', format: 'list', sep: ',', iterate: false },
];

export interface BareScenarioResult {
  name: string;
  feature: string;
  browser: boolean;
  durationMs: number;
}

export interface BareFlowResult {
  sandboxSpawnToReadyMs: number;
  sandboxStartMs: number;
  browserLaunchMs?: number;
  scenarios: BareScenarioResult[];
  scenarioSumMs: number;
  /** From the script's first line to its end (the parent adds node's own start). */
  insideMs: number;
}


function scopeExpression(scope: string) {
  return [{ path: PATTERN, conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: [scope] } }] }];
}

function claimToken(issuer: string, claims: Record<string, string>): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return `${b64(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${b64(JSON.stringify({ iss: issuer, sub: 'conformance-rqp', ...claims }))}.`;
}

const uniqueName = () => `ucc-bare-${RUN_ID}-${crypto.randomBytes(3).toString('hex')}`;

const browser = new SharedBrowser();

/** One scenario's objects and state, like the suite's World but with nothing else. */
class Scenario {
  private readonly undo: Array<() => Promise<unknown>> = [];
  private rqpClient?: { oxdId: string; clientId: string; clientSecret: string; claimsRedirectUri: string };
  private rqpAccessToken?: string;
  host = '';
  hostWithoutClaims?: string;

  constructor(
    private readonly http: PlainHttp,
    private readonly urls: SandboxUrls,
  ) {}

  private async oxd(command: string, body: unknown, token?: string) {
    return this.http.json('POST', `${this.urls.oxd}/${command}`, body, token ? { Authorization: `Bearer ${token}` } : {});
  }

  private async oxdOk(command: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
    const r = await this.oxd(command, body, token);
    expect(r.status === 200, `oxd ${command}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    return r.body;
  }

  /** A Kong object under an id chosen here, its removal registered first (support/provisioning.ts does the same). */
  private async kongCreate(kind: string, body: Record<string, unknown>): Promise<string> {
    const id = crypto.randomUUID();
    this.undo.unshift(async () => {
      const d = await this.http.request('DELETE', `${this.urls.kongAdmin}/${kind}/${encodeURIComponent(id)}`);
      expect(d.status === 204 || d.status === 404, `Kong delete ${kind}: HTTP ${d.status}`);
    });
    const r = await this.http.json('POST', `${this.urls.kongAdmin}/${kind}`, { id, ...body });
    expect(r.status === 201, `Kong ${kind}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    return id;
  }

  /** An OP client through oxd register-site, removed afterwards with its own token (get-client-token, remove-site). */
  private async site(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const site = await this.oxdOk('register-site', body);
    this.undo.unshift(async () => {
      const token = await this.oxdOk('get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: this.urls.oxauth, scope: ['openid', 'oxd'] });
      const r = await this.oxd('remove-site', { oxd_id: site.oxd_id }, String(token.access_token));
      expect(r.status === 200, `oxd remove-site: HTTP ${r.status}`);
    });
    return site;
  }

  private async pluginClient(scope: string, name: string) {
    const site = await this.site({
      op_host: this.urls.oxauth,
      redirect_uris: [`https://${name}.conformance.invalid/cb`],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials'],
      client_name: `${name}-gg-uma-client`,
    });
    const token = await this.oxdOk('get-client-token', { client_id: site.client_id, client_secret: site.client_secret, op_host: this.urls.oxauth, scope: ['openid', 'oxd'] });
    await this.oxdOk('uma-rs-protect', { oxd_id: site.oxd_id, resources: scopeExpression(scope) }, String(token.access_token));
    return { oxd_id: String(site.oxd_id), client_id: String(site.client_id), client_secret: String(site.client_secret), oxd_url: this.urls.oxd, op_url: this.urls.oxauth };
  }

  private async umaPlugins(client: Record<string, string>, target: Record<string, { id: string }>, anonymous: string, scope: string) {
    await this.kongCreate('plugins', { name: 'gluu-uma-auth', config: { ...client, anonymous, pass_credentials: 'pass', consumer_mapping: true, custom_headers: UI_DEFAULT_CUSTOM_HEADERS }, ...target });
    await this.kongCreate('plugins', { name: 'gluu-uma-pep', config: { ...client, deny_by_default: true, uma_scope_expression: JSON.stringify(scopeExpression(scope)) }, ...target });
  }

  /** Background: the requesting party's consumer OP client and its Kong consumer. */
  async requestingParty(): Promise<void> {
    const name = uniqueName();
    const claimsRedirectUri = `https://${name}.rqp.conformance.invalid/claims-cb`;
    const site = await this.site({
      op_host: this.urls.oxauth,
      redirect_uris: [`https://${name}.rqp.conformance.invalid/oauth-cb`],
      claims_redirect_uri: [claimsRedirectUri],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      client_name: `${name}-consumer_op_client`,
    });
    this.rqpClient = { oxdId: String(site.oxd_id), clientId: String(site.client_id), clientSecret: String(site.client_secret), claimsRedirectUri };
    await this.kongCreate('consumers', { username: `${name}-rqp`, custom_id: site.client_id });
  }

  /** The tutorial's gateway objects (and the no-policy host), as support/provisioning.ts makes them. */
  async gateway(noPolicyHost = false): Promise<void> {
    const name = uniqueName();
    const client = await this.pluginClient(CLAIMS_SCOPE, name);
    const service = await this.kongCreate('services', { name, url: this.urls.upstream });
    this.host = `${name}.claims.example.com`;
    await this.kongCreate('routes', { name, hosts: [this.host], service: { id: service } });
    const anonymous = await this.kongCreate('consumers', { username: `${name}-anonymous`, custom_id: `${name}-anonymous` });
    await this.umaPlugins(client, { service: { id: service } }, anonymous, CLAIMS_SCOPE);
    if (noPolicyHost) {
      const npClient = await this.pluginClient(NO_POLICY_SCOPE, `${name}-np`);
      this.hostWithoutClaims = `${name}.no-claims.example.com`;
      const route = await this.kongCreate('routes', { name: `${name}-no-claims`, hosts: [this.hostWithoutClaims], service: { id: service } });
      await this.umaPlugins(npClient, { route: { id: route } }, anonymous, NO_POLICY_SCOPE);
    }
  }

  get rqp() {
    expect(this.rqpClient, 'no requesting party');
    return this.rqpClient;
  }

  private async rqpToken(): Promise<string> {
    if (!this.rqpAccessToken) {
      const t = await this.oxdOk('get-client-token', { client_id: this.rqp.clientId, client_secret: this.rqp.clientSecret, op_host: this.urls.oxauth, scope: ['openid', 'oxd'] });
      this.rqpAccessToken = String(t.access_token);
    }
    return this.rqpAccessToken;
  }

  async resource(host: string, rpt?: string) {
    const headers: Record<string, string> = { Host: host, 'X-Conformance-Request-Id': crypto.randomUUID() };
    if (rpt) headers.Authorization = `Bearer ${rpt}`;
    return this.http.request('GET', `${this.urls.kongProxy}${API_PATH}`, headers);
  }

  async ticket(host = this.host): Promise<string> {
    const r = await this.resource(host);
    const ticket = ticketOf(r);
    expect(r.status === 401 && ticket, `expected 401 with a ticket, got ${r.status}`);
    return ticket;
  }

  async getRpt(extra: Record<string, string>) {
    return this.oxd('uma-rp-get-rpt', { oxd_id: this.rqp.oxdId, ...extra }, await this.rqpToken());
  }

  /** The tutorial's update-site request (AS step 4) with the consumer client's token: the URI as given. */
  async updateSite(claimsRedirectUri: string | string[]) {
    return this.oxd('update-site', { oxd_id: this.rqp.oxdId, claims_redirect_uri: claimsRedirectUri }, await this.rqpToken());
  }

  async claimsUrl(ticket: string, state: string): Promise<string> {
    const r = await this.oxdOk('uma-rp-get-claims-gathering-url', { oxd_id: this.rqp.oxdId, ticket, claims_redirect_uri: this.rqp.claimsRedirectUri, state }, await this.rqpToken());
    expect(typeof r.url === 'string', 'no claims-gathering URL');
    return r.url as string;
  }

  pushed(claims: Record<string, string>) {
    return { claim_token: claimToken(this.urls.oxauth, claims), claim_token_format: ID_TOKEN_FORMAT };
  }

  /** A fresh browser context answers the AS's pages; the redirect to the claims redirect URI is captured. */
  async gather(url: string, answers: Record<string, string>): Promise<URL> {
    const b = await browser.get();
    const context = await b.newContext({ ignoreHTTPSErrors: true });
    this.undo.unshift(() => context.close());
    const watched = this.rqp.claimsRedirectUri;
    const asOrigin = new URL(url).origin;
    let captured: URL | undefined;
    const capture = (route: import('playwright').Route, target: string) => {
      captured ??= new URL(target);
      return route.fulfill({ status: 200, contentType: 'text/html', body: CAPTURED_PAGE });
    };
    await context.route(
      (u) => u.href.startsWith(watched) || u.origin === asOrigin,
      async (route) => {
        const u = route.request().url();
        if (u.startsWith(watched)) return capture(route, u);
        const response = await route.fetch({ maxRedirects: 0 });
        const location = response.headers()['location'];
        if (response.status() >= 300 && response.status() < 400 && location) {
          const target = new URL(location, u).href;
          if (target.startsWith(watched)) return capture(route, target);
        }
        await route.fulfill({ response });
      },
    );
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const asked: string[] = [];
    for (let i = 0; i < 6 && !captured; i++) {
      // The claims form's text inputs in one round trip (claims-browser.ts reads its page the same way).
      const ids = await page.evaluate(() => {
        const form = document.querySelector('form[id="loginForm"]');
        return form ? Array.from(form.querySelectorAll('input[type="text"]'), (e) => e.id) : null;
      });
      if (!ids) break;
      for (const id of ids.filter((x) => x.startsWith('loginForm:'))) {
        const name = id.slice('loginForm:'.length);
        asked.push(name);
        await page.locator(`[id="${id}"]`).fill(answers[name] ?? '');
      }
      await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.locator('[id="loginForm:gather"]').click()]);
      await page.waitForLoadState('load');
    }
    expect(asked.join(',') === 'country,city', `the AS asked ${asked.join(',') || 'nothing'}, not country then city`);
    expect(captured, `the browser was not sent to the claims redirect URI (ended at ${page.url()})`);
    return captured;
  }

  async cleanUp(): Promise<void> {
    while (this.undo.length) await this.undo.shift()!();
  }
}

type Flow = (s: Scenario) => Promise<void>;

async function needInfo(s: Scenario, ticket: string): Promise<{ ticket: string; redirectUser: string }> {
  const x = await s.getRpt({ ticket });
  expect(x.status === 403 && x.body.error === 'need_info' && typeof x.body.ticket === 'string', `expected need_info, got ${x.status} ${x.text.slice(0, 200)}`);
  return { ticket: x.body.ticket as string, redirectUser: String(x.body.redirect_user) };
}

function expectRpt(x: { status: number; body: Record<string, unknown>; text: string }): string {
  expect(x.status === 200 && typeof x.body.access_token === 'string', `expected an RPT, got ${x.status} ${x.text.slice(0, 200)}`);
  return x.body.access_token as string;
}

function expectPolicyRefusal(x: { status: number; body: Record<string, unknown>; text: string }): void {
  expect(x.status === 403 && x.body.error === 'forbidden_by_policy', `expected forbidden_by_policy, got ${x.status} ${x.text.slice(0, 200)}`);
}

async function expectData(s: Scenario, host: string, rpt: string): Promise<void> {
  const r = await s.resource(host, rpt);
  expect(r.status === 200 && r.text.includes('"id"'), `expected the API's data, got ${r.status}`);
}

/** Claims gathered in the browser with oxd's URL and a state; returns the ticket of the redirect. */
async function gathered(s: Scenario, country: string, city: string, info?: { ticket: string }): Promise<string> {
  info ??= await needInfo(s, await s.ticket());
  const state = crypto.randomBytes(16).toString('hex');
  const back = await s.gather(await s.claimsUrl(info.ticket, state), { country, city });
  expect(back.searchParams.get('state') === state, 'the redirect did not carry the state');
  const ticket = back.searchParams.get('ticket');
  expect(ticket && ticket !== info.ticket, 'the redirect carried no new ticket');
  return ticket;
}

interface BareScenario {
  feature: string;
  name: string;
  browser: boolean;
  noPolicyHost?: boolean;
  flow: Flow;
}

const CLAIMS = 'features/tutorial/claims-gathering.feature';
const PUSHED = 'features/tutorial/pushed-claims.feature';
const UPDATE_SITE = 'features/tutorial/update-site.feature';

const denied = (kase: string, country: string, city: string): BareScenario => ({
  feature: CLAIMS,
  name: `${kase} is denied, and the denial grants nothing later`,
  browser: true,
  flow: async (s) => {
    const ticket = await gathered(s, country, city);
    expectPolicyRefusal(await s.getRpt({ ticket }));
    await needInfo(s, await s.ticket());
  },
});

const pushedDenied = (kase: string, country: string, city: string): BareScenario => ({
  feature: PUSHED,
  name: `A claim token with ${kase} is denied without claims gathering`,
  browser: false,
  flow: async (s) => expectPolicyRefusal(await s.getRpt({ ticket: await s.ticket(), ...s.pushed({ country, city }) })),
});

/** The @tutorial scenarios, in the suite's order (feature files by name, then top to bottom). */
export const SCENARIOS: BareScenario[] = [
  {
    feature: CLAIMS,
    name: 'Country US and City NY grant access to the protected API',
    browser: true,
    flow: async (s) => {
      const rpt = expectRpt(await s.getRpt({ ticket: await gathered(s, 'US', 'NY') }));
      await expectData(s, s.host, rpt);
    },
  },
  {
    feature: CLAIMS,
    name: 'The claims-gathering URL built from redirect_user works as well',
    browser: true,
    flow: async (s) => {
      const info = await needInfo(s, await s.ticket());
      const back = await s.gather(`${info.redirectUser}&claims_redirect_uri=${s.rqp.claimsRedirectUri}`, { country: 'US', city: 'NY' });
      const ticket = back.searchParams.get('ticket');
      expect(ticket && !back.searchParams.has('state'), 'expected a new ticket and no state');
      await expectData(s, s.host, expectRpt(await s.getRpt({ ticket })));
    },
  },
  denied('A wrong city', 'US', 'LA'),
  denied('A wrong country', 'FR', 'NY'),
  denied('Lower-case us and ny', 'us', 'ny'),
  denied('An empty country and city', '', ''),
  denied('A wrong country and city', 'FR', 'Paris'),
  {
    feature: PUSHED,
    name: 'A claim token with country US and city NY gets an RPT at once',
    browser: false,
    flow: async (s) => {
      const rpt = expectRpt(await s.getRpt({ ticket: await s.ticket(), ...s.pushed({ country: 'US', city: 'NY' }) }));
      await expectData(s, s.host, rpt);
    },
  },
  pushedDenied('a wrong city', 'US', 'LA'),
  pushedDenied('a wrong country', 'FR', 'NY'),
  pushedDenied('lower-case values', 'us', 'ny'),
  {
    feature: PUSHED,
    name: 'A claim token with only the country leads to gathering the city',
    browser: false,
    flow: async (s) => {
      const x = await s.getRpt({ ticket: await s.ticket(), ...s.pushed({ country: 'US' }) });
      expect(x.status === 403 && x.body.error === 'need_info', `expected need_info, got ${x.status}`);
    },
  },
  {
    feature: PUSHED,
    name: 'A scope without a policy grants an RPT directly',
    browser: false,
    noPolicyHost: true,
    flow: async (s) => {
      const rpt = expectRpt(await s.getRpt({ ticket: await s.ticket(s.hostWithoutClaims) }));
      await expectData(s, s.hostWithoutClaims!, rpt);
    },
  },
  {
    feature: PUSHED,
    name: 'oxd refuses a claim token sent without its format',
    browser: false,
    flow: async (s) => {
      const x = await s.getRpt({ ticket: await s.ticket(), claim_token: s.pushed({ country: 'US', city: 'NY' }).claim_token });
      expect(x.status === 400 && x.body.error === 'invalid_claim_token_or_claim_token_form', `expected 400 invalid_claim_token_or_claim_token_form, got ${x.status}`);
    },
  },
  {
    feature: UPDATE_SITE,
    name: 'update-site as the tutorial writes it, with the claims redirect URI as a JSON string',
    browser: false,
    flow: async (s) => {
      // oxd 4.2 refuses the string (DIV-TUT-01, which the suite records); the bare flow only notes the answer.
      const x = await s.updateSite(`${s.rqp.claimsRedirectUri}-updated`);
      expect(x.status === 200 || x.status === 400, `expected 200 or oxd's 400, got ${x.status}`);
    },
  },
  {
    feature: UPDATE_SITE,
    name: 'update-site with the claims redirect URI as a JSON list, then claims gathering redirects to the new URI',
    browser: true,
    flow: async (s) => {
      const info = await needInfo(s, await s.ticket());
      const uri = `${s.rqp.claimsRedirectUri}-updated`;
      const x = await s.updateSite([uri]);
      expect(x.status === 200 && typeof x.body.oxd_id === 'string', `update-site with a list: HTTP ${x.status} ${x.text.slice(0, 200)}`);
      s.rqp.claimsRedirectUri = uri;
      expectRpt(await s.getRpt({ ticket: await gathered(s, 'US', 'NY', info) }));
    },
  },
];

export async function runBareFlow(): Promise<BareFlowResult> {
  const t0 = performance.now();
  // As `npm test` starts it (scripts/run.ts): the tutorial admin's umaGrantAccessIfNoPolicies=true.
  const sandbox = await startSandbox(['--admin', 'tutorial']);
  const http = new PlainHttp();
  const scenarios: BareScenarioResult[] = [];
  try {
    for (const sc of SCENARIOS) {
      const started = performance.now();
      const s = new Scenario(http, sandbox.urls);
      try {
        // Background, then the gateway on first use (the suite provisions it lazily, in this order).
        await s.requestingParty();
        await s.gateway(sc.noPolicyHost);
        await sc.flow(s);
      } catch (err) {
        throw new Error(`bare flow "${sc.name}": ${(err as Error).message}`, { cause: err });
      } finally {
        await s.cleanUp();
      }
      scenarios.push({ name: sc.name, feature: sc.feature, browser: sc.browser, durationMs: Math.round(performance.now() - started) });
    }
  } finally {
    await browser.close();
    http.close();
    await sandbox.stop();
  }
  return {
    sandboxSpawnToReadyMs: sandbox.spawnToReadyMs,
    sandboxStartMs: sandbox.startMs,
    browserLaunchMs: browser.launchMs,
    scenarios,
    scenarioSumMs: scenarios.reduce((a, s) => a + s.durationMs, 0),
    insideMs: Math.round(performance.now() - t0),
  };
}

if (require.main === module) {
  runAsChild(() => runBareFlow());
}
