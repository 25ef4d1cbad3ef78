// Security probes of the second tutorial (oidc-uma.md §6 W1, W5, W11, W12:
// findings of the weaknesses ledger, support/checks/security.ts) and what the
// website behind the gateway receives (echo upstream).
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/oidc-flow';
import * as oidc from '../support/checks/oidc';
import * as security from '../support/checks/security';
import { oidcUmaUrl } from '../support/provisioning';
import { SetupError } from '../support/errors';

Given('a second browser has opened the settings page and was sent to the login page', async function (this: UmaWorld) {
  const nav = await flow.openPage(this, 'second', 'settings');
  oidc.sentToAuthorization(this.checks, nav, (await this.op.config()).authorization_endpoint, 'a second browser without a session');
  oidc.loginPageShown(this.checks, nav);
});

When("the second browser brings the first browser's authorization response", async function (this: UmaWorld) {
  await flow.openUrl(this, 'second', flow.requireHeld(this).href);
});

Then('the gateway refuses the authorization response of another browser', async function (this: UmaWorld) {
  security.anotherBrowsersResponseRefused(this.checks, flow.lastNavigation(this, 'second'), oidcUmaUrl(await this.oidcSite(), 'callback'));
});

Given("a second browser holds a copy of the gateway's cookies", async function (this: UmaWorld) {
  const site = await this.oidcSite();
  const first = await this.websiteBrowser('first');
  await first.copyCookiesTo(await this.websiteBrowser('second'), [new URL(site.baseUrl).origin]);
});

Then('the copied session no longer opens the settings page', async function (this: UmaWorld) {
  security.copiedSessionEnded(this.checks, flow.lastNavigation(this, 'second'), (await this.op.config()).authorization_endpoint, flow.SETTINGS_HEADING);
});

Then('the browser is sent to the claims-gathering pages, as for the settings page', async function (this: UmaWorld) {
  security.pathVariantProtected(this.checks, flow.lastNavigation(this), flow.claimsEndpoint((await this.as.config()).claims_interaction_endpoint), flow.SETTINGS_HEADING);
});

Then(
  "the upstream receives the id_token claims: the authorization server as issuer, the gateway's OP client as audience, a subject, and the nonce of the browser's authorization request",
  async function (this: UmaWorld) {
    const site = await this.oidcSite();
    if (!site.opClient) throw new SetupError("the gateway's OP client is only known when the suite registered it (UMA_PROVISION=auto)");
    const { request, exchange } = await flow.upstreamSaw(this);
    const nonce = flow.requireAuthRequest(this, 'first').searchParams.get('nonce') ?? '';
    oidc.idTokenPassedUpstream(this.checks, oidc.upstreamIdToken(request), { issuer: (await this.op.config()).issuer, clientId: site.opClient.clientId, nonce }, exchange);
  },
);

When('the user opens the settings page again, the browser sending the header {string} with the value {string}', async function (this: UmaWorld, name: string, value: string) {
  await flow.openPage(this, 'first', 'settings', { [name]: value });
});

Then('the upstream does not receive the browser\'s {string} header', async function (this: UmaWorld, name: string) {
  const sent = this.oidc.first?.last?.exchanges[0]?.request.headers[name.toLowerCase()];
  if (sent === undefined) throw new SetupError(`suite defect: the browser did not send ${name}`);
  if (!this.echo) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
  const requestId = this.oidc.first?.requestId;
  if (!requestId) throw new SetupError('suite defect: no browser visit to look up at the echo upstream');
  // A gateway that refused the request passed nothing on: the safe answer, judged by the probe.
  const { request, exchange } = await this.echo.received(requestId);
  security.spoofedHeaderKeptFromWebsite(this.checks, request, name, sent, exchange);
});

Then("the upstream does not receive the gateway's session cookies", async function (this: UmaWorld) {
  const site = await this.oidcSite();
  const { request, exchange } = await flow.upstreamSaw(this);
  // The cookies the browser holds for the website's origin that the gateway set (its session cookies).
  const held = (await (await this.websiteBrowser('first')).cookies(site.baseUrl)).map((c) => c.name).filter((n) => /^gluu_/.test(n));
  if (!held.length) throw new SetupError('the browser holds no gluu_* session cookie of the gateway after the login');
  oidc.sessionCookiesKeptFromUpstream(this.checks, request, held, exchange);
});
