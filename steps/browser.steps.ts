// The user's browser on the authorization server's claims-gathering pages.
import * as crypto from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/rqp-flow';
import * as as from '../support/checks/authorization-server';
import { withParam } from '../support/claims-url';
import { SetupError } from '../support/errors';

When('the client gets the claims-gathering URL from oxd with a state', async function (this: UmaWorld) {
  await flow.claimsUrlFromOxd(this);
});

When('the client builds the claims-gathering URL from redirect_user and its claims redirect URI', async function (this: UmaWorld) {
  await flow.claimsUrlFromRedirectUser(this);
});

When('the user answers Country {string} and City {string} in the browser', async function (this: UmaWorld, country: string, city: string) {
  await flow.answerInBrowser(this, { country, city });
  as.pagesInOrder(this.checks, this.flow.gathering!, [['country'], ['city']]);
});

Given('the user has answered Country {string} and City {string} for a fresh permission ticket', async function (this: UmaWorld, country: string, city: string) {
  await flow.gatheredForFreshTicket(this, country, city);
});

Given('the user has answered Country {string} and City {string} and the client holds the resulting RPT and PCT', async function (this: UmaWorld, country: string, city: string) {
  await flow.gatheredForFreshTicket(this, country, city);
  flow.expectRpt(this, await flow.askOxdForRpt(this), 'for the ticket from the claims redirect');
  if (!this.flow.pct) throw new SetupError('the RPT answer carried no PCT');
});

Then('the browser is sent back to the claims redirect URI with the same state and a new ticket', async function (this: UmaWorld) {
  await flow.expectRedirectBack(this);
});

Then('the browser is sent back to the claims redirect URI with a new ticket and no state', async function (this: UmaWorld) {
  await flow.expectRedirectBack(this);
});

Then('the redirect carries nothing but the ticket and the state', async function (this: UmaWorld) {
  const client = await this.rqp();
  as.onlyTicketAndState(this.checks, this.flow.gathering!.redirect!, client.claimsRedirectUri);
});

/** Two parameters, so that a reordered copy differs from the registered URI as a string. */
const CRU_QUERY = 'rp=conformance&v=2';

const UNTRUSTED: Record<string, (registered: string, oauthRedirect?: string) => string | undefined> = {
  'an unregistered URI on another host': () => 'https://untrusted.conformance.invalid/claims-cb',
  'the registered URI with another path': (registered) => `${registered.replace(/\/+$/, '')}/elsewhere`,
  "the client's OAuth redirect URI": (_registered, oauthRedirect) => oauthRedirect,
};

When(
  /^the user opens the claims-gathering URL naming (an unregistered URI on another host|the registered URI with another path|the client's OAuth redirect URI) as the claims redirect URI, and answers Country "([^"]*)" and City "([^"]*)"$/,
  async function (this: UmaWorld, which: string, country: string, city: string) {
    const client = await this.rqp();
    const uri = UNTRUSTED[which](client.claimsRedirectUri, client.oauthRedirectUri);
    if (!uri) return 'skipped'; // the client's OAuth redirect URI is only known for clients the suite registered
    await flow.claimsUrlFromOxd(this);
    this.flow.claimsUrl = withParam(this.flow.claimsUrl!, 'claims_redirect_uri', uri);
    this.flow.watchedUri = uri;
    await flow.answerInBrowser(this, { country, city }, [client.claimsRedirectUri]);
  },
);

Given("the requesting party's client is registered with a claims redirect URI that carries its own query", async function (this: UmaWorld) {
  await this.useRqpWithClaimsRedirectQuery(CRU_QUERY);
});

When('the client builds the claims-gathering URL from redirect_user, its claims redirect URI and a state', async function (this: UmaWorld) {
  await flow.claimsUrlEncoded(this, (await this.rqp()).claimsRedirectUri);
});

When(
  'the user opens the claims-gathering URL naming the registered URI with its query reordered, and answers Country {string} and City {string}',
  async function (this: UmaWorld, country: string, city: string) {
    const registered = (await this.rqp()).claimsRedirectUri;
    const u = new URL(registered);
    const reordered = `${u.origin}${u.pathname}?${[...u.searchParams].reverse().map(([k, v]) => `${k}=${v}`).join('&')}`;
    await flow.claimsUrlEncoded(this, reordered);
    await flow.answerInBrowser(this, { country, city });
  },
);

Then('the browser is not sent there with a new ticket', function (this: UmaWorld) {
  as.inexactUriNotAccepted(this.checks, this.flow.gathering!, this.flow.watchedUri!);
});

Then('the browser is not sent to that URI', async function (this: UmaWorld) {
  const client = await this.rqp();
  const requirement = this.flow.watchedUri?.includes('oauth-cb') ? 'UMA-GRANT-3.3.2-NO-RFC6749-REDIRECT' : 'UMA-GRANT-3.3.3-NO-REDIRECT-INVALID-CRU';
  as.notSentTo(this.checks, this.flow.gathering!, this.flow.watchedUri!, requirement, client.claimsRedirectUri);
});

When(/^the user opens the claims-gathering URL with (a made-up client id|no client id)$/, async function (this: UmaWorld, which: string) {
  const url = await flow.claimsUrlFromOxd(this);
  const changed = withParam(url, 'client_id', which === 'no client id' ? undefined : `made-up-${Date.now()}`);
  // What the browser is answered first: the AS must not redirect at all.
  this.flow.lastAs = await this.as.openClaimsUrl(changed);
});

Then('the authorization server refuses with 400 invalid_client_id and the browser stays there', function (this: UmaWorld) {
  as.claimsEndpointRefusedClient(this.checks, this.flow.lastAs!);
});

When('the user opens the claims-gathering URL with a ticket the authorization server never issued and a state', async function (this: UmaWorld) {
  await flow.obtainTicket(this);
  await flow.claimsUrlFromOxd(this);
  this.flow.claimsUrl = withParam(this.flow.claimsUrl!, 'ticket', crypto.randomUUID());
  await flow.answerInBrowser(this, { country: 'US', city: 'NY' });
});

Then('the browser is sent back to the claims redirect URI with an error and the same state', async function (this: UmaWorld) {
  const client = await this.rqp();
  this.flow.redirectError = as.errorRedirect(this.checks, this.flow.gathering!, client.claimsRedirectUri, this.flow.state!);
});

Then("the error is one of OAuth 2.0's authorization error codes", function (this: UmaWorld) {
  as.authorizationErrorCode(this.checks, this.flow.redirectError ?? '');
});
