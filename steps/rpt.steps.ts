// The requesting party asks oxd for RPTs (README flows A, B, C).
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/rqp-flow';
import * as as from '../support/checks/authorization-server';
import { verify } from '../support/checks/core';
import { bodyObject } from '../support/http';
import { SetupError } from '../support/errors';
import { grantedWithoutPolicy, NO_POLICY_OFF_REASON, NO_POLICY_SKIP_REASON, refusedForNoPolicy } from '../support/checks/no-policy-grant';

When('the client asks oxd for an RPT with the permission ticket', async function (this: UmaWorld) {
  await flow.askOxdForRpt(this);
});

// Flow C′ depends on the AS's umaGrantAccessIfNoPolicies (support/checks/no-policy-grant.ts): the
// operator's UMA_GRANT_ACCESS_IF_NO_POLICIES says it, else the AS's own answer shows it.
When('the client asks oxd for an RPT for the scope without a policy', async function (this: UmaWorld) {
  const declared = this.config.grantAccessIfNoPolicies;
  if (declared === false) {
    this.log(NO_POLICY_OFF_REASON);
    return 'skipped';
  }
  const x = await flow.askOxdForRpt(this);
  if (declared === true) grantedWithoutPolicy(this.checks, x);
  else if (refusedForNoPolicy(x)) {
    this.log(NO_POLICY_SKIP_REASON);
    return 'skipped';
  }
  return undefined;
});

When('the client asks oxd for an RPT with the ticket from the redirect', async function (this: UmaWorld) {
  await flow.askOxdForRpt(this);
});

When('the client asks oxd for an RPT with the permission ticket and the PCT', async function (this: UmaWorld) {
  if (!this.flow.pct) throw new SetupError('suite defect: no PCT from an earlier step');
  await flow.askOxdForRpt(this, { pct: this.flow.pct });
});

When('the client asks oxd for an RPT pushing a claim token with country {string} and city {string}', async function (this: UmaWorld, country: string, city: string) {
  await flow.askOxdForRpt(this, flow.pushedClaims(this, { country, city }));
});

When('the client asks oxd for an RPT pushing a claim token with only country {string}', async function (this: UmaWorld, country: string) {
  await flow.askOxdForRpt(this, flow.pushedClaims(this, { country }));
});

When('the client asks oxd for an RPT pushing a claim token without its format', async function (this: UmaWorld) {
  await flow.askOxdForRpt(this, { claim_token: flow.claimToken(this, { country: 'US', city: 'NY' }) });
});

Given('the authorization server has asked for more information about a fresh permission ticket', async function (this: UmaWorld) {
  await flow.needInfoForFreshTicket(this);
});

Given('the client holds an RPT for the protected resource', async function (this: UmaWorld) {
  await flow.rptForResource(this, 'protected');
});

Given('the client holds an RPT for the second protected path', async function (this: UmaWorld) {
  await flow.rptForResource(this, 'second path');
});

Given('another client, without a Kong consumer, holding an RPT for the protected resource', async function (this: UmaWorld) {
  const ticket = await flow.obtainTicket(this);
  const other = await this.provisioner.requestingParty({ withConsumer: false });
  this.secrets.add(other.clientSecret);
  const token = await this.oxd.clientToken(other.clientId, other.clientSecret, this.config.ceUrl);
  this.secrets.add(token.access_token);
  const x = await this.oxd.getRpt({ oxd_id: other.oxdId, ticket, ...flow.pushedClaims(this, { country: 'US', city: 'NY' }) }, token.access_token);
  const r = as.rptIssued(this.checks, x, 'to a second client for a claim token with country US and city NY');
  this.secrets.add(r.rpt);
  this.flow.otherRpt = r.rpt;
});

Then(/^the authorization server needs more information: a new ticket, the claims? (.+?)(?: only)?, and a claims-gathering URL$/, function (this: UmaWorld, list: string) {
  flow.expectNeedInfo(this, this.flow.rptExchange!, list.split(/ and |, /));
});

Then('the client receives an RPT', function (this: UmaWorld) {
  flow.expectRpt(this, this.flow.rptExchange!, 'for the ticket from the claims redirect');
});

Then('the client receives an RPT without being asked for more information', function (this: UmaWorld) {
  flow.expectRpt(this, this.flow.rptExchange!, 'at once');
});

Then('the policy refuses the RPT without asking for more information', function (this: UmaWorld) {
  as.policyRefused(this.checks, this.flow.rptExchange!);
});

Then('oxd rejects the request with 400 invalid_claim_token_or_claim_token_form', function (this: UmaWorld) {
  const x = this.flow.rptExchange!;
  // oxd.md §4.9 / §2.3: the pair is checked by oxd before the AS is called (sic: "..._form").
  verify(this.checks, {
    aspect: 'oxd claim token pair',
    failure: 'oxd did not reject a claim token sent without claim_token_format.',
    expected: 'status 400, error invalid_claim_token_or_claim_token_form',
    actual: `status ${x.response.status}, error ${String(bodyObject(x).error ?? '(none)')}`,
    pass: x.response.status === 400 && bodyObject(x).error === 'invalid_claim_token_or_claim_token_form',
    evidence: x,
  });
});
