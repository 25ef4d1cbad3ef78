// Requests through the gateway and what it answers (gateway.md §6).
import * as crypto from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import { requestResource, obtainTicket } from '../support/rqp-flow';
import * as gateway from '../support/checks/gateway';
import { SetupError } from '../support/errors';

When('the client requests the protected resource without a token', async function (this: UmaWorld) {
  await requestResource(this, 'protected');
});

When('the client requests the protected resource without a token {int} times', async function (this: UmaWorld, times: number) {
  for (let i = 0; i < times; i++) await requestResource(this, 'protected');
});

When('the client requests the protected resource with the RPT', async function (this: UmaWorld) {
  await requestResource(this, 'protected', this.requireRpt());
});

When('the client requests the second protected path with the RPT', async function (this: UmaWorld) {
  await requestResource(this, 'second path', this.requireRpt());
});

When('the client requests the resource on the host without claims with the RPT', async function (this: UmaWorld) {
  await requestResource(this, 'no-claims host', this.requireRpt());
});

When('the client requests the protected resource with a made-up token', async function (this: UmaWorld) {
  await requestResource(this, 'protected', `made-up-${crypto.randomUUID()}`);
});

When('the client requests the protected resource with its own access token \\(not an RPT\\)', async function (this: UmaWorld) {
  await requestResource(this, 'protected', await this.rqpToken());
});

When('that client requests the protected resource with its RPT', async function (this: UmaWorld) {
  if (!this.flow.otherRpt) throw new SetupError('suite defect: no RPT of another client from an earlier step');
  await requestResource(this, 'protected', this.flow.otherRpt);
});

When('the client requests the protected resource on a host the gateway has no route for', async function (this: UmaWorld) {
  const host = `no-route-${crypto.randomBytes(4).toString('hex')}.conformance.invalid`;
  this.flow.proxied.push(await this.proxy.request({ method: 'GET', path: this.config.apiPath, host }));
});

Then('Kong answers 404 {string} without a challenge', function (this: UmaWorld, message: string) {
  const x = this.lastProxied().exchange;
  gateway.refusedWithMessage(this.checks, x, 404, message, 'a request for a host no route serves');
  gateway.noChallenge(this.checks, x, 'a request for a host no route serves');
});

When(/^the client sends (GET|POST|PUT|DELETE|PATCH) (\/\S*) (without a token|with the RPT)$/, async function (this: UmaWorld, method: string, path: string, how: string) {
  await requestResource(this, 'protected', how === 'with the RPT' ? this.requireRpt() : undefined, method, path);
});

Given('the client holds a permission ticket for the protected resource', async function (this: UmaWorld) {
  await obtainTicket(this, 'protected');
});

Given('the client holds a permission ticket for the resource on the host without claims', async function (this: UmaWorld) {
  await obtainTicket(this, 'no-claims host');
});

Given('the client holds a permission ticket for the second protected path', async function (this: UmaWorld) {
  await obtainTicket(this, 'second path');
});

Then('the gateway refuses with 401 and a permission ticket', function (this: UmaWorld) {
  const c = gateway.refusedWithTicket(this.checks, this.lastProxied().exchange, 'a request without a valid RPT');
  this.setTicket(c.ticket);
});

Then('the challenge reads exactly: realm "rs", as_uri, error "insufficient_scope", ticket; comma-separated without spaces', function (this: UmaWorld) {
  const x = this.lastProxied().exchange;
  gateway.exactGluuChallenge(this.checks, x, gateway.refusedWithTicket(this.checks, x, 'a request without a token'));
});

Then('the refusal body is the message {string}', function (this: UmaWorld, message: string) {
  gateway.bodyMessage(this.checks, this.lastProxied().exchange, message);
});

Then('every refusal carries a different permission ticket', function (this: UmaWorld) {
  const exchanges = this.flow.proxied.map((p) => p.exchange);
  const tickets = exchanges.map((x) => gateway.refusedWithTicket(this.checks, x, 'a request without a token').ticket);
  gateway.ticketsAllDifferent(this.checks, tickets, exchanges);
});

Then('the gateway refuses with 401 {string} and no challenge', function (this: UmaWorld, message: string) {
  const x = this.lastProxied().exchange;
  gateway.refusedWithMessage(this.checks, x, 401, message, 'the RPT of a client without a Kong consumer');
  gateway.noChallenge(this.checks, x, 'the RPT of a client without a Kong consumer');
});

Then('the gateway refuses with 403 {string}', function (this: UmaWorld, message: string) {
  gateway.refusedWithMessage(this.checks, this.lastProxied().exchange, 403, message, 'the request');
});

// Only "refused" here: which status and body is the next step's strict check (Gluu's
// 403 "You are not authorized to access this resource" is DIV-RS-01), so a fixed
// gateway reaches that step and the ledger can tell the divergence is gone.
Then('the gateway refuses the request', function (this: UmaWorld) {
  gateway.refused(this.checks, this.lastProxied().exchange, 'an RPT without the permission for this path');
});

Then('the refusal carries a UMA challenge with a new ticket, as for a request without a token', function (this: UmaWorld) {
  gateway.insufficientRptChallenged(this.checks, this.lastProxied().exchange, this.flow.tickets);
});

Then(/^the gateway treats the request as (protected|outside the expression, refused|outside the expression, passed on)$/, function (this: UmaWorld, outcome: gateway.PathOutcome) {
  const x = this.lastProxied().exchange;
  gateway.pathOutcome(this.checks, x, outcome, `${x.request.method} ${new URL(x.request.url).pathname}`);
});

Then("the protected resource answers with the tutorial API's data", function (this: UmaWorld) {
  gateway.tutorialApiData(this.checks, this.lastProxied().exchange);
});
