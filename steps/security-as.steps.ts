// Security probes of the authorization server (issue 12, items 5, 6, 7, 11):
// a second client of the requesting party tries the first client's PCT, RPT
// and ticket; the user is sent to gather claims again with a ticket an RPT
// was issued for. The checks are in support/checks/security-as.ts.
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import type { Exchange } from '../support/http';
import type { RqpClient } from '../support/provisioning';
import * as flow from '../support/rqp-flow';
import * as sec from '../support/checks/security-as';
import { ID_TOKEN_CLAIM_FORMAT } from '../support/clients/oxd';
import { newState, withParam } from '../support/claims-url';
import { SetupError } from '../support/errors';

/** What these probes keep beside the World's flow state. */
interface ProbeState {
  second?: RqpClient;
  /** The first client's RPT and PCT, and the ticket need_info gave it. */
  firstRpt?: string;
  firstPct?: string;
  firstTicket?: string;
  answer?: Exchange;
  introspectionBefore?: Exchange;
}

const state = new WeakMap<UmaWorld, ProbeState>();
const of = (w: UmaWorld): ProbeState => {
  let s = state.get(w);
  if (!s) state.set(w, (s = {}));
  return s;
};

function second(w: UmaWorld): RqpClient {
  const c = of(w).second;
  if (!c) throw new SetupError('suite defect: this step needs the second client from an earlier step');
  return c;
}

/** The second client's own UMA grant request, straight to the token endpoint. */
async function secondAsksAs(w: UmaWorld, form: Record<string, string | undefined>): Promise<Exchange> {
  const c = second(w);
  const x = await w.as.requestRpt({ clientId: c.clientId, clientSecret: c.clientSecret }, form);
  w.learnSecrets(x.response.json);
  of(w).answer = x;
  return x;
}

async function introspect(w: UmaWorld, rpt: string): Promise<Exchange> {
  const client = await w.rqp();
  const pat = await w.as.pat({ clientId: client.clientId, clientSecret: client.clientSecret });
  w.secrets.add(pat);
  return w.as.introspectRpt(rpt, pat);
}

function answer(w: UmaWorld): Exchange {
  const x = of(w).answer;
  if (!x) throw new SetupError('suite defect: no answer of the authorization server from an earlier step');
  return x;
}

Given("a second client of the requesting party, registered at the authorization server", async function (this: UmaWorld) {
  // No Kong consumer: the probes talk to the authorization server only. Registered through oxd and removed after the scenario.
  const c = await this.provisioner.requestingParty({ withConsumer: false });
  this.secrets.add(c.clientSecret);
  of(this).second = c;
});

Given('the first client holds an RPT and its PCT, for a claim token with country {string} and city {string}', async function (this: UmaWorld, country: string, city: string) {
  await flow.obtainTicket(this);
  flow.expectRpt(this, await flow.askOxdForRpt(this, flow.pushedClaims(this, { country, city })), `for a claim token with country ${country} and city ${city}`);
  if (!this.flow.pct) throw new SetupError('the RPT answer carried no PCT, so there is none to probe with');
  Object.assign(of(this), { firstRpt: this.flow.rpt, firstPct: this.flow.pct });
});

Given('the first client holds the ticket need_info handed it for a fresh permission ticket', async function (this: UmaWorld) {
  await flow.needInfoForFreshTicket(this);
  of(this).firstTicket = this.requireTicket();
});

When("the second client asks the authorization server for an RPT for a fresh ticket with the first client's PCT and no claims", async function (this: UmaWorld) {
  const ticket = await flow.obtainTicket(this);
  await secondAsksAs(this, { ticket, pct: of(this).firstPct });
});

When(
  "the second client asks the authorization server for an RPT for a fresh ticket with the first client's RPT and a claim token with country {string} and city {string}",
  async function (this: UmaWorld, country: string, city: string) {
    const ticket = await flow.obtainTicket(this);
    await secondAsksAs(this, { ticket, rpt: of(this).firstRpt, claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
  },
);

When("the second client asks the authorization server for an RPT with the first client's ticket and a claim token with country {string} and city {string}", async function (this: UmaWorld, country: string, city: string) {
  await secondAsksAs(this, { ticket: of(this).firstTicket, claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
});

When("the second client opens the claims-gathering endpoint with the first client's ticket", async function (this: UmaWorld) {
  const c = second(this);
  const endpoint = (await this.as.config()).claims_interaction_endpoint;
  if (!endpoint) throw new SetupError('the AS discovery document has no claims_interaction_endpoint');
  let url = withParam(endpoint, 'client_id', c.clientId);
  url = withParam(url, 'ticket', of(this).firstTicket ?? '');
  url = withParam(withParam(url, 'claims_redirect_uri', c.claimsRedirectUri), 'state', newState());
  of(this).answer = await this.as.openClaimsUrl(url);
});

Then("the authorization server refuses the PCT of another client", function (this: UmaWorld) {
  sec.pctOnlyForItsClient(this.checks, answer(this));
});

Then("the authorization server refuses to upgrade another client's RPT", function (this: UmaWorld) {
  sec.rptUpgradeOnlyByItsClient(this.checks, answer(this), of(this).firstRpt ?? '');
});

Then('the authorization server refuses the ticket of another client', function (this: UmaWorld) {
  sec.ticketOnlyForItsClientAtToken(this.checks, answer(this));
});

Then('the claims-gathering endpoint refuses the ticket of another client', function (this: UmaWorld) {
  sec.ticketOnlyForItsClientAtClaims(this.checks, answer(this), second(this).claimsRedirectUri);
});

Given('the client holds the RPT issued for the ticket of the claims redirect', async function (this: UmaWorld) {
  flow.expectRpt(this, await flow.askOxdForRpt(this), 'for the ticket from the claims redirect');
  of(this).introspectionBefore = await introspect(this, this.requireRpt());
});

When('the user is sent to gather claims again with that ticket and answers Country {string} and City {string}', async function (this: UmaWorld, country: string, city: string) {
  // The ticket of the claims redirect (T3), which the RPT was issued for, reaches gather_claims again.
  await flow.claimsUrlFromOxd(this);
  await flow.answerInBrowser(this, { country, city });
  // Only a completed gathering proves anything: the AS moves the ticket's permissions at its last step.
  await flow.expectRedirectBack(this);
});

Then('the RPT still carries the permission it was issued with', async function (this: UmaWorld) {
  const before = of(this).introspectionBefore;
  if (!before) throw new SetupError('suite defect: no introspection of the RPT from an earlier step');
  sec.rptKeepsPermissionsAfterRegathering(this.checks, before, await introspect(this, this.requireRpt()));
});
