// The tutorial's Authorization Server step 4: the consumer client's claims
// redirect URI set with oxd update-site (support/checks/update-site.ts).
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/rqp-flow';
import * as as from '../support/checks/authorization-server';
import { newClaimsRedirectUriKnown, updateSiteAccepted } from '../support/checks/update-site';
import { SetupError } from '../support/errors';

Given("the requesting party's client of the suite's own, registered through oxd with a claims redirect URI", async function (this: UmaWorld) {
  // Never the tutorial's configured client: update-site would rewrite it for every later run.
  await this.useOwnRqp();
});

When(
  /^the administrator sends the tutorial's update-site request with a new claims redirect URI as (a JSON string|a JSON list)$/,
  async function (this: UmaWorld, form: string) {
    const client = await this.rqp();
    const claimsRedirectUri = `${client.claimsRedirectUri.replace(/\/+$/, '')}-updated`;
    const asString = form === 'a JSON string';
    // The tutorial's curl: the Bearer token of the consumer client, oxd_id and claims_redirect_uri.
    const exchange = await this.oxd.updateSite({ oxd_id: client.oxdId, claims_redirect_uri: asString ? claimsRedirectUri : [claimsRedirectUri] }, await this.rqpToken());
    this.flow.updateSite = { exchange, form: asString ? 'a JSON string, as the tutorial writes it' : 'a JSON list', claimsRedirectUri };
  },
);

Then('oxd accepts the update', async function (this: UmaWorld) {
  const done = this.flow.updateSite;
  if (!done) throw new SetupError('suite defect: no update-site call in an earlier step');
  updateSiteAccepted(this.checks, done.exchange, done.form);
  // From here on the client's claims redirect URI is the one update-site set.
  (await this.rqp()).claimsRedirectUri = done.claimsRedirectUri;
});

When('the user answers Country {string} and City {string} in the browser, for the new claims redirect URI', async function (this: UmaWorld, country: string, city: string) {
  const done = this.flow.updateSite;
  if (!done) throw new SetupError('suite defect: no update-site call in an earlier step');
  await flow.answerInBrowser(this, { country, city });
  newClaimsRedirectUriKnown(this.checks, this.flow.gathering!.redirect, done.claimsRedirectUri);
  as.pagesInOrder(this.checks, this.flow.gathering!, [['country'], ['city']]);
});
