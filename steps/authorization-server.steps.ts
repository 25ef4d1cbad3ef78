// Direct calls to the authorization server, for UMA 2.0's normative rules
// (uma2-requirements.md). The client uses its own credentials, as oxd would.
import * as crypto from 'node:crypto';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/rqp-flow';
import * as as from '../support/checks/authorization-server';
import * as discovery from '../support/checks/discovery';
import * as rpt from '../support/checks/rpt';
import * as gateway from '../support/checks/gateway';
import { ID_TOKEN_CLAIM_FORMAT } from '../support/clients/oxd';
import { SetupError } from '../support/errors';

const USNY = { country: 'US', city: 'NY' };

When('the client reads the authorization server\'s UMA discovery document', async function (this: UmaWorld) {
  this.flow.discovery = await this.as.discover();
});

Then('it is a JSON object whose issuer is the authorization server', function (this: UmaWorld) {
  discovery.discoveryDocument(this.checks, this.flow.discovery!, this.config.ceUrl, `the authorization server's own URL (CE_URL ${this.config.ceUrl})`);
});

Then('it lists these members, the endpoints as absolute https URLs:', function (this: UmaWorld, table: DataTable) {
  discovery.members(this.checks, this.flow.discovery!, table.hashes().map((r) => r.member));
});

Then('its supported grant types include the UMA ticket grant', function (this: UmaWorld) {
  discovery.umaGrantAdvertised(this.checks, this.flow.discovery!);
});

Then("the challenge's as_uri is the issuer of the authorization server, whose discovery document names it", async function (this: UmaWorld) {
  const c = gateway.refusedWithTicket(this.checks, this.lastProxied().exchange, 'a request without a token');
  const configured = await this.as.discover(this.config.ceUrl);
  discovery.asUriIsIssuer(this.checks, c.asUri, configured, this.lastProxied().exchange);
  // Usually the same document: fetched again only when as_uri names another URL.
  const x = c.asUri === this.config.ceUrl ? configured : await this.as.discover(c.asUri);
  discovery.discoveryDocument(this.checks, x, c.asUri, "the as_uri of the gateway's challenge");
});

When('the client asks the authorization server for an RPT with the ticket that need_info replaced', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.flow.replacedTicket });
  this.flow.situation = 'replaced by need_info';
});

When('the client asks the authorization server for an RPT with a ticket it never issued', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: crypto.randomUUID() });
  this.flow.situation = 'never issued';
});

When('the user opens the claims-gathering URL and leaves without answering', async function (this: UmaWorld) {
  const url = await flow.claimsUrlFromOxd(this);
  this.flow.presentedTicket = this.requireTicket();
  // The ticket reaches the claims interaction endpoint; no page is answered.
  const x = await this.as.openClaimsUrl(url);
  // Only a page (or the redirect to it) means the endpoint took the ticket; an error would prove nothing.
  if (x.response.status >= 400) throw new SetupError(`the claims interaction endpoint refused the claims-gathering URL (HTTP ${x.response.status}), so the ticket was never presented`, x);
  this.flow.lastAs = x;
});

When('the client asks the authorization server for an RPT with the ticket presented there', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.flow.presentedTicket });
  this.flow.situation = 'presented at the claims endpoint';
});

When('the client asks the authorization server for an RPT with the ticket claims were gathered for', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.flow.gatheredTicket });
  this.flow.situation = 'claims were gathered for';
});

Given(
  'the client has exchanged it for an RPT at the authorization server, pushing a claim token with country {string} and city {string}',
  async function (this: UmaWorld, country: string, city: string) {
    const x = await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
    flow.expectRpt(this, x, 'for a claim token with country US and city NY');
  },
);

When('the client asks the authorization server for an RPT with the same ticket and claim token again', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: this.flow.claimToken, claim_token_format: ID_TOKEN_CLAIM_FORMAT });
  this.flow.situation = 'already exchanged for an RPT';
});

Given('the authorization server has refused it by policy, for a claim token with country {string} and city {string}', async function (this: UmaWorld, country: string, city: string) {
  const x = await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
  as.policyRefused(this.checks, x);
});

When('the client asks the authorization server for an RPT with the same ticket, pushing a claim token with country {string} and city {string}', async function (this: UmaWorld, country: string, city: string) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
  this.flow.situation = 'refused by the policy';
});

Then('the authorization server refuses the ticket with 400 invalid_grant', function (this: UmaWorld) {
  if (!this.flow.situation) throw new SetupError('suite defect: no ticket situation from an earlier step');
  as.ticketRefused(this.checks, this.flow.lastAs!, this.flow.situation);
});

When('the client asks the authorization server for an RPT pushing a claim token with country {string} and city {string}', async function (this: UmaWorld, country: string, city: string) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
});

When('the client asks the authorization server for an RPT with the permission ticket', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket() });
});

When('the client asks the authorization server for an RPT without a ticket', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, {});
});

When('the client sends the permission ticket to the token endpoint with the client credentials grant type', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { grant_type: 'client_credentials', ticket: this.requireTicket() });
});

When('the client asks the authorization server for an RPT pushing a claim token without its format', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket(), claim_token: flow.claimToken(this, USNY) });
});

When(
  'the client asks the authorization server for an RPT with that ticket, its RPT and a claim token with country {string} and city {string}',
  async function (this: UmaWorld, country: string, city: string) {
    await flow.askAsForRpt(this, { ticket: this.requireTicket(), rpt: this.requireRpt(), claim_token: flow.claimToken(this, { country, city }), claim_token_format: ID_TOKEN_CLAIM_FORMAT });
  },
);

When('the RPT is introspected at the authorization server', async function (this: UmaWorld) {
  const client = await this.rqp();
  const pat = await this.as.pat({ clientId: client.clientId, clientSecret: client.clientSecret });
  this.secrets.add(pat);
  this.flow.introspection = await this.as.introspectRpt(this.requireRpt(), pat);
});

Then('the introspection says the RPT is active, for the client, with a permission for the claims-gathering scope', async function (this: UmaWorld) {
  const client = await this.rqp();
  rpt.introspectionActive(this.checks, this.flow.introspection!, client.clientId, this.config.claimsScope);
});

Then('the introspection has no scope member', function (this: UmaWorld) {
  rpt.introspectionWithoutScope(this.checks, this.flow.introspection!);
});

Then('the authorization server answers 200 with a bearer access token and no scope', function (this: UmaWorld) {
  rpt.tokenSuccessForm(this.checks, this.flow.lastAs!);
});

Then('the answer forbids caching', function (this: UmaWorld) {
  rpt.noStore(this.checks, this.flow.lastAs!);
});

Then('the authorization server answers that the RPT was upgraded', function (this: UmaWorld) {
  this.flow.rpt = rpt.upgraded(this.checks, this.flow.lastAs!, this.requireRpt());
  this.secrets.add(this.flow.rpt);
});

Then('the upgraded RPT opens both protected paths', async function (this: UmaWorld) {
  if (!this.echo) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
  for (const resource of ['protected', 'second path'] as const) {
    const sent = await flow.requestResource(this, resource, this.requireRpt());
    const { request, exchange } = await this.echo.received(sent.requestId);
    gateway.reachedUpstream(this.checks, request, true, `The request for the ${resource === 'protected' ? 'first' : 'second'} path with the upgraded RPT`, [exchange, sent.exchange]);
  }
});

Then('the PCT is an opaque, unguessable string that does not carry the claims', function (this: UmaWorld) {
  rpt.opaquePct(this.checks, this.flow.lastAs!, Object.values(USNY));
});

Then(
  "the authorization server answers 403 need_info with required claims in UMA's shape and a redirect_user at its claims interaction endpoint",
  async function (this: UmaWorld) {
    const x = this.flow.lastAs!;
    const info = as.needInfo(this.checks, x, this.requireTicket(), ['country', 'city']);
    const cfg = await this.as.config();
    as.needInfoShape(this.checks, x, info, cfg.claims_interaction_endpoint);
  },
);

Then('the authorization server refuses with 403 request_denied', function (this: UmaWorld) {
  as.refusedWith(this.checks, this.flow.lastAs!, {
    status: 403,
    error: 'request_denied',
    requirement: 'UMA-GRANT-3.3.6-REQUEST-DENIED',
    aspect: 'refusal error code',
    failure: 'The authorization server did not refuse claims its policy rejects with UMA 2.0\'s 403 request_denied.',
  });
});

When('the client asks the authorization server for an RPT with the permission ticket and a scope the authorization server does not know', async function (this: UmaWorld) {
  await flow.askAsForRpt(this, { ticket: this.requireTicket(), scope: `conformance-no-such-scope-${crypto.randomBytes(4).toString('hex')}` });
});

Then('the authorization server refuses with 400 invalid_scope', function (this: UmaWorld) {
  as.refusedWith(this.checks, this.flow.lastAs!, {
    status: 400,
    error: 'invalid_scope',
    requirement: 'UMA-GRANT-3.3.6-INVALID-SCOPE',
    aspect: 'unknown scope error code',
    failure: 'The authorization server did not refuse a requested scope it does not know with 400 invalid_scope.',
  });
});

Then('the authorization server refuses with 400 invalid_request', function (this: UmaWorld) {
  as.refusedWith(this.checks, this.flow.lastAs!, {
    status: 400,
    error: 'invalid_request',
    requirement: 'UMA-GRANT-3.3.1-TICKET-REQUIRED',
    aspect: 'missing ticket error code',
    failure: 'The authorization server did not refuse a UMA grant request without a ticket as a malformed request (400 invalid_request).',
  });
});

Then('the authorization server refuses with 400 unsupported_grant_type', function (this: UmaWorld) {
  as.refusedWith(this.checks, this.flow.lastAs!, {
    status: 400,
    error: 'unsupported_grant_type',
    requirement: 'UMA-GRANT-3.3.1-GRANT-TYPE',
    aspect: 'grant type error code',
    failure: 'The authorization server did not refuse a permission ticket sent with another grant type as unsupported_grant_type.',
  });
});

Then("the authorization server refuses with 400 and one of OAuth 2.0's token error codes", function (this: UmaWorld) {
  as.refusedWithOAuthCode(this.checks, this.flow.lastAs!, 'UMA-GRANT-3.3.1-CLAIM-TOKEN-PAIR', 'The authorization server did not refuse a claim token sent without its format with an OAuth 2.0 error.');
});
