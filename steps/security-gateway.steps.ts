// Security probes of the gateway (features/security/gateway.feature): what
// a client can make the gateway do that it must not.
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as flow from '../support/rqp-flow';
import * as gateway from '../support/checks/gateway';
import * as security from '../support/checks/security';
import { bodyObject } from '../support/http';
import { SetupError } from '../support/errors';
import type { Gateway } from '../support/provisioning';

/** The headers the client sent itself in this scenario, for the Then step. */
const SENT = Symbol('client-sent headers');
type WithSent = UmaWorld & { [SENT]?: { headers: Record<string, string>; request: 'anonymous' | 'authenticated' } };

async function sendWithHeaders(w: UmaWorld, path: string, headers: Record<string, string>, token?: string, host?: string): Promise<void> {
  const gw = await w.gateway();
  if (token) w.secrets.add(token);
  w.flow.proxied.push(await w.proxy.request({ method: 'GET', path, host: host ?? gw.host, token, headers }));
}

function headerTable(table: DataTable): Record<string, string> {
  return Object.fromEntries(table.hashes().map((r) => [r.header, r.value]));
}

Given('the client holds an RPT for the resource on the host without claims', async function (this: UmaWorld) {
  await flow.rptForResource(this, 'no-claims host');
});

Given('the client has opened the resource on the host without claims with the RPT', async function (this: UmaWorld) {
  await flow.requestResource(this, 'no-claims host', this.requireRpt());
  gateway.tutorialApiData(this.checks, this.lastProxied().exchange);
});

Given('the client has opened the protected resource with the RPT', async function (this: UmaWorld) {
  await flow.requestResource(this, 'protected', this.requireRpt());
  gateway.tutorialApiData(this.checks, this.lastProxied().exchange);
});

Then('the gateway refuses the RPT that was granted on the other host', function (this: UmaWorld) {
  security.rptOfAnotherRouteRefused(this.checks, this.lastProxied().exchange);
});

When('the client sends GET {word} without a token, with these headers of its own:', async function (this: WithSent, path: string, table: DataTable) {
  const headers = headerTable(table);
  this[SENT] = { headers, request: 'anonymous' };
  await sendWithHeaders(this, path, headers);
});

When('the client requests the protected resource with the RPT, with these headers of its own:', async function (this: WithSent, table: DataTable) {
  const headers = headerTable(table);
  this[SENT] = { headers, request: 'authenticated' };
  await sendWithHeaders(this, this.config.apiPath, headers, this.requireRpt());
});

async function upstreamSaw(w: UmaWorld) {
  if (!w.echo) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
  const last = w.lastProxied();
  const { request, exchange } = await w.echo.received(last.requestId);
  gateway.reachedUpstream(w.checks, request, true, 'The request', [exchange, last.exchange]);
  return { seen: request!, echo: exchange };
}

Then('the API does not receive the headers the client sent itself', async function (this: WithSent) {
  const sent = this[SENT];
  if (!sent) throw new SetupError('suite defect: no request with client-sent headers in this scenario');
  const { seen, echo } = await upstreamSaw(this);
  security.clientIdentityHeadersDropped(this.checks, seen, sent.headers, sent.request, echo);
});

/** A second API on its own route, plugins and anonymous consumer (the suite's own objects). */
const SECOND = Symbol('second gateway');
type WithSecond = UmaWorld & { [SECOND]?: Gateway };

Given('a second API behind the echo upstream, on its own route with its own anonymous consumer', async function (this: WithSecond) {
  await this.gateway();
  if (!this.plan) throw new SetupError('suite defect: the second API copies the scenario\'s gateway plan, and there is none');
  this[SECOND] = await this.provisioner.gateway({ ...this.plan, noPolicyHost: false });
});

When('a request without a token has passed through the second API', async function (this: WithSecond) {
  const second = this[SECOND];
  if (!second) throw new SetupError('suite defect: no second API in this scenario');
  await sendWithHeaders(this, '/health', {}, undefined, second.host);
  await upstreamSaw(this);
});

Then('the API receives this route\'s anonymous consumer in {string}', async function (this: UmaWorld, header: string) {
  const gw = await this.gateway();
  if (!gw.anonymousConsumerId) throw new SetupError("the route's anonymous consumer is only known when the suite created it (UMA_PROVISION=auto)");
  const { seen, echo } = await upstreamSaw(this);
  security.ownAnonymousConsumer(this.checks, seen, header, gw.anonymousConsumerId, echo);
});

When("the client's Kong consumer is deleted", async function (this: UmaWorld) {
  const client = await this.rqp();
  // Only a consumer the suite created for this scenario: never one of the deployment's own.
  if (this.config.client || !client.consumerId) throw new SetupError("the probe deletes the client's Kong consumer, so it needs a client and consumer of its own (unset CLIENT_ID)");
  const x = await this.kong.remove('consumers', client.consumerId);
  if (x.response.status !== 204) throw new SetupError(`Kong did not delete the consumer ${client.consumerId}: HTTP ${x.response.status}`, x);
});

Then('the gateway refuses the RPT of the deleted consumer', async function (this: UmaWorld) {
  const x = this.lastProxied().exchange;
  let remaining: number | undefined;
  if (x.response.status < 300) {
    // How long the access outlives the consumer: GG caches the token until exp - 5 s (gateway.md §8).
    const client = await this.rqp();
    const introspection = await this.oxd.introspectRpt(client.oxdId, this.requireRpt(), await this.rqpToken());
    const exp = bodyObject(introspection).exp;
    if (typeof exp === 'number') remaining = Math.max(0, Math.round(exp - Date.now() / 1000 - 5));
  }
  security.removedConsumerRefused(this.checks, x, remaining);
});

Then('the gateway protects the request as the pattern {string} says', function (this: UmaWorld, pattern: string) {
  security.hashElementProtected(this.checks, this.lastProxied().exchange, pattern);
});
