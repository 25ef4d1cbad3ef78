// The second tutorial (oidc-uma.md): the user's browser on the website
// behind gluu-openid-connect and gluu-uma-pep, the authorization server's
// login, consent and claims pages, and what the gateway answers.
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/oidc-flow';
import type { BrowserName } from '../support/oidc-flow';
import * as oidc from '../support/checks/oidc';
import { oidcUmaUrl } from '../support/provisioning';
import { SetupError } from '../support/errors';

/** "the browser" / "the same browser" is the user's; "a second browser" / "the second browser" another context. */
const browserOf = (words: string): BrowserName => (/second/.test(words) ? 'second' : 'first');

const HOME_HEADING = 'Gluu Security';
const POST_LOGOUT_HEADING = 'Successfully logout!!!';

Given("the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page", function (this: UmaWorld) {
  this.oidcPlan = { upstream: 'website' };
});

Given('the website is replaced by an echo upstream', function (this: UmaWorld) {
  this.changeOidcPlan((p) => {
    p.upstream = 'echo';
  });
});

// ── the browser's moves ──

When(/^the user opens the (settings|home) page (?:again )?in (the browser|the same browser|a second browser|the second browser)$/, async function (this: UmaWorld, page: 'settings' | 'home', which: string) {
  await flow.openPage(this, browserOf(which), page);
});

When('the user opens the logout path in the browser', async function (this: UmaWorld) {
  await flow.openPage(this, 'first', 'logout');
});

When('the user opens {string} in the browser', async function (this: UmaWorld, path: string) {
  await flow.openPage(this, 'first', path);
});

When(/^the user logs in as the test user(?: and allows the consent)?(?: in (the second browser))?$/, async function (this: UmaWorld, which?: string) {
  await flow.logIn(this, browserOf(which ?? ''));
});

When('the user logs in as the test user and does not allow the consent', async function (this: UmaWorld) {
  await flow.holdNext(this, 'first', 'callback');
  const nav = await flow.logInAndRefuseConsent(this, 'first');
  if (!nav) {
    this.log("Skipped: the authorization server showed no consent page after the login (the gateway's OP client is trusted, or the consent was stored in an earlier scenario), so Don't Allow cannot be chosen.");
    return 'skipped';
  }
  // The AS's error answer is brought to the callback as it came.
  if (!nav.held) throw new SetupError(`the authorization server did not send the browser back to the gateway's callback after "Don't Allow": ${oidc.hops(nav)}`);
  await flow.openUrl(this, 'first', nav.held.href);
});

When('the user answers Country {string} and City {string}', async function (this: UmaWorld, country: string, city: string) {
  await flow.answerClaims(this, 'first', { country, city });
});

// ── what the browser went through ──

Then(/^(the browser|the second browser) is sent to the authorization server's login page$/, async function (this: UmaWorld, which: string) {
  const nav = flow.lastNavigation(this, browserOf(which));
  oidc.sentToAuthorization(this.checks, nav, (await this.op.config()).authorization_endpoint, 'a browser without a session');
  oidc.loginPageShown(this.checks, nav);
});

Then('the browser is sent to the authorization server to log in again', async function (this: UmaWorld) {
  oidc.sentToAuthorization(this.checks, flow.lastNavigation(this), (await this.op.config()).authorization_endpoint, 'a browser whose login was refused');
});

Then(/^(the browser|the second browser) is sent to the claims-gathering pages$/, async function (this: UmaWorld, which: string) {
  oidc.sentToClaimsGathering(this.checks, flow.lastNavigation(this, browserOf(which)), flow.claimsEndpoint((await this.as.config()).claims_interaction_endpoint));
});

Then('the pages asked for Country and then City', function (this: UmaWorld) {
  const nav = flow.lastNavigation(this);
  oidc.claimsPagesInOrder(this.checks, nav.pages, [['country'], ['city']], nav);
});

Then("the browser lands on the website's settings page", function (this: UmaWorld) {
  oidc.landedOn(this.checks, flow.lastNavigation(this), flow.SETTINGS_HEADING, 'UMA-GRANT-3.3.4-ASSESSMENT', 'After Country US and City NY the gateway did not serve the settings page.');
});

Then("the browser lands on the website's home page without any claims page", function (this: UmaWorld) {
  const nav = flow.lastNavigation(this);
  oidc.noClaimsGathering(this.checks, nav, nav.pages);
  oidc.landedOn(this.checks, nav, HOME_HEADING, 'OIDC-CORE-3.1.2.5-LOGGED-IN', 'After the login the gateway did not serve the home page, which its UMA expression does not protect (deny_by_default false).');
});

Then('the settings page is served from the session, without a new login', async function (this: UmaWorld) {
  const nav = flow.lastNavigation(this);
  const claims = flow.claimsEndpoint((await this.as.config()).claims_interaction_endpoint);
  if (oidc.servedFromSession(this.checks, nav, (await this.op.config()).authorization_endpoint, claims, flow.SETTINGS_HEADING) === 'served') return;
  // A multi-worker GG 4.2: this worker holds no grant for the id_token (oidc-uma.md §3.9, W9).
  this.log('Note (oidc-uma.md W9): the visit reached a gateway worker without the UMA grant, so the claims were asked again; answering Country US and City NY.');
  oidc.landedOn(this.checks, await flow.answerClaims(this, 'first', { country: 'US', city: 'NY' }), flow.SETTINGS_HEADING, 'UMA-GRANT-3.3.4-ASSESSMENT', 'After Country US and City NY, asked again on another gateway worker, the gateway did not serve the settings page.');
});

Then('the settings page is not shown', function (this: UmaWorld) {
  oidc.pageNotShown(this.checks, flow.lastNavigation(this), flow.SETTINGS_HEADING, 'UMA-GRANT-3.3.6-REQUEST-DENIED', 'The gateway served the settings page although the policy refuses these claims.');
});

Then('the gateway answers 403 Forbidden', function (this: UmaWorld) {
  oidc.deniedAsForbidden(this.checks, flow.lastNavigation(this));
});

Then("the browser passes the authorization server's end_session and lands on the post-logout page", async function (this: UmaWorld) {
  const endSession = (await this.op.config()).end_session_endpoint;
  if (!endSession) throw new SetupError('the OpenID discovery document has no end_session_endpoint');
  const nav = flow.lastNavigation(this);
  oidc.loggedOutThroughEndSession(this.checks, nav, endSession, oidcUmaUrl(await this.oidcSite(), 'postLogout'));
  oidc.landedOn(this.checks, nav, POST_LOGOUT_HEADING, 'OIDC-RPLOGOUT-2-END-SESSION', "The logout did not end on the website's post-logout page.");
});

Then("the session cookies the gateway set are out of reach of the website's scripts", async function (this: UmaWorld) {
  const site = await this.oidcSite();
  const browser = await this.websiteBrowser('first');
  const nav = flow.lastNavigation(this);
  const gatewayOrigin = new URL(site.baseUrl).origin;
  // The cookies the gateway's answers set, by name, with what the browser made of them.
  const setByGateway = new Set(
    Object.values(this.oidc)
      .flatMap((f) => f?.last?.exchanges ?? [])
      .concat(nav.exchanges)
      .filter((x) => new URL(x.request.url).origin === gatewayOrigin)
      .flatMap((x) => (x.response.headers['set-cookie'] ?? '').split(/\n|,(?=\s*[^;,=\s]+=)/))
      .map((c) => c.split('=')[0].trim())
      .filter(Boolean),
  );
  const cookies = (await browser.cookies(site.baseUrl)).filter((c) => setByGateway.has(c.name) || /^gluu_/.test(c.name));
  oidc.sessionCookiesHttpOnly(this.checks, cookies, await browser.scriptCookies(), nav.exchanges);
});

// ── held callbacks ──

Given('the user has logged in on the way to the settings page and is on the claims-gathering pages', async function (this: UmaWorld) {
  await flow.loggedInOnClaimsPages(this);
});

Given(/^the user has logged in and answered Country "US" and City "NY" for the settings page$/, async function (this: UmaWorld) {
  await flow.loggedInAndGathered(this);
});

Given('the user has logged out', async function (this: UmaWorld) {
  const endSession = (await this.op.config()).end_session_endpoint;
  if (!endSession) throw new SetupError('the OpenID discovery document has no end_session_endpoint');
  const nav = await flow.openPage(this, 'first', 'logout');
  oidc.loggedOutThroughEndSession(this.checks, nav, endSession, oidcUmaUrl(await this.oidcSite(), 'postLogout'));
});

Given('the user has logged in through the home page', async function (this: UmaWorld) {
  const config = await this.op.config();
  oidc.sentToAuthorization(this.checks, await flow.openPage(this, 'first', 'home'), config.authorization_endpoint, 'a browser without a session');
  oidc.landedOn(this.checks, await flow.logIn(this, 'first'), HOME_HEADING, 'OIDC-CORE-3.1.2.5-LOGGED-IN', 'After the login the gateway did not serve the home page.');
});

Given('the user has logged in at the authorization server and the browser holds the authorization response', async function (this: UmaWorld) {
  await flow.loggedInHoldingCallback(this);
});

Given('the browser has brought the authorization response to the gateway', async function (this: UmaWorld) {
  const nav = await flow.openUrl(this, 'first', flow.requireHeld(this).href);
  oidc.sentToClaimsGathering(this.checks, nav, flow.claimsEndpoint((await this.as.config()).claims_interaction_endpoint));
});

When('the browser brings the authorization response to the gateway with a made-up state', async function (this: UmaWorld) {
  await flow.openUrl(this, 'first', flow.withParam(flow.requireHeld(this), 'state', flow.madeUpState()));
});

When('a second browser starts its own login and brings the used code with its own state', async function (this: UmaWorld) {
  const used = flow.requireHeld(this);
  const start = await flow.openPage(this, 'second', 'settings');
  const own = oidc.sentToAuthorization(this.checks, start, (await this.op.config()).authorization_endpoint, 'a second browser without a session');
  await flow.openUrl(this, 'second', flow.withParam(used, 'state', own.searchParams.get('state')!));
});

When('a second browser that never visited the website brings that authorization response', async function (this: UmaWorld) {
  await flow.openUrl(this, 'second', flow.requireHeld(this).href);
});

/** Which refusal a step names, with the requirement it rests on. */
const REFUSALS: Record<string, { browser: BrowserName; requirement: string }> = {
  'with the made-up state': { browser: 'first', requirement: 'OIDC-CORE-3.1.2.7-STATE-CHECK' },
  'with the used code in the second browser': { browser: 'second', requirement: 'OIDC-CORE-3.1.3.2-CODE-SINGLE-USE' },
  'in the browser that never started a login': { browser: 'second', requirement: 'RFC6749-10.12-CSRF' },
  'that carries the error': { browser: 'first', requirement: 'OIDC-CORE-3.1.2.6-AUTH-ERROR' },
};

Then(/^the gateway refuses the authorization response (with the made-up state|with the used code in the second browser|in the browser that never started a login|that carries the error)$/, async function (this: UmaWorld, which: string) {
  const { browser, requirement } = REFUSALS[which];
  const callback = oidcUmaUrl(await this.oidcSite(), 'callback');
  oidc.callbackRefused(this.checks, flow.lastNavigation(this, browser), callback, requirement, 'authorization response refused', 'The gateway accepted an authorization response it must refuse, and logged the browser in with it.');
});

Then('the gateway tells the user that the authorization server answered {string}', async function (this: UmaWorld, error: string) {
  oidc.authorizationErrorReported(this.checks, flow.lastNavigation(this), oidcUmaUrl(await this.oidcSite(), 'callback'), error);
});

When('the user answers Country {string} and City {string} and the browser holds the claims redirect', async function (this: UmaWorld, country: string, city: string) {
  await flow.holdNext(this, 'first', 'claimsCallback');
  const nav = await flow.answerClaims(this, 'first', { country, city });
  if (!nav.held) throw new SetupError(`the authorization server did not send the browser to the gateway's claims redirect path: ${oidc.hops(nav)}`);
});

When('the browser brings the claims redirect to the gateway with a made-up state', async function (this: UmaWorld) {
  await flow.openUrl(this, 'first', flow.withParam(flow.requireHeld(this), 'state', flow.madeUpState()));
});

Then('the gateway refuses the claims redirect', async function (this: UmaWorld) {
  oidc.claimsRedirectRefused(this.checks, flow.lastNavigation(this), oidcUmaUrl(await this.oidcSite(), 'claimsCallback'));
});
