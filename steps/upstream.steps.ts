// What the API behind the gateway received, read from the echo upstream.
import { Then, type DataTable } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import * as gateway from '../support/checks/gateway';
import type { EchoedRequest } from '../support/clients/echo-upstream';
import { bodyObject, type Exchange } from '../support/http';
import { SetupError } from '../support/errors';

/**
 * What the upstream received for the last proxied request. Evidence: the echo
 * lookup, then the gateway's answer last (a failure shows the last in full).
 */
async function upstreamView(w: UmaWorld): Promise<{ seen?: EchoedRequest; evidence: Exchange[]; echo: Exchange }> {
  if (!w.echo) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
  const last = w.lastProxied();
  const { request, exchange } = await w.echo.received(last.requestId);
  return { seen: request, evidence: [exchange, last.exchange], echo: exchange };
}

Then('the request did not reach the upstream API', async function (this: UmaWorld) {
  const { seen, evidence } = await upstreamView(this);
  gateway.reachedUpstream(this.checks, seen, false, 'The refused request', evidence);
});

Then('the request reaches the upstream API with the RPT passed on', async function (this: UmaWorld) {
  const { seen, evidence, echo } = await upstreamView(this);
  gateway.reachedUpstream(this.checks, seen, true, 'The request with a valid RPT', evidence);
  // gluu-uma-auth pass_credentials "pass" forwards the Authorization header (gateway.md §9).
  gateway.upstreamHeader(this.checks, seen!, 'authorization', `Bearer ${this.requireRpt()}`, echo);
});

Then('the upstream API receives these headers:', async function (this: UmaWorld, table: DataTable) {
  const { seen, evidence, echo } = await upstreamView(this);
  gateway.reachedUpstream(this.checks, seen, true, 'The request with a valid RPT', evidence);
  const client = await this.rqp();
  const introspection = await this.oxd.introspectRpt(client.oxdId, this.requireRpt(), await this.rqpToken());
  const exp = bodyObject(introspection).exp;
  // Without a known expiry the expected header would be "absent", and a gateway that drops it would pass.
  if (typeof exp !== 'number') throw new SetupError(`oxd's introspection of the RPT gave no numeric exp (status ${introspection.response.status}), so the expected x-oauth-expiration is unknown`, introspection);
  const values: Record<string, string | undefined> = {
    "the client's Kong consumer id": client.consumerId,
    'the client id': client.clientId,
    "the RPT's expiry": String(exp),
  };
  for (const row of table.hashes()) {
    if (!(row.value in values)) throw new SetupError(`suite defect: no value known for "${row.value}"`);
    gateway.upstreamHeader(this.checks, seen!, row.header, values[row.value], echo);
  }
});

Then('the upstream API does not receive the header {string}', async function (this: UmaWorld, name: string) {
  const { seen, evidence, echo } = await upstreamView(this);
  gateway.reachedUpstream(this.checks, seen, true, 'The request', evidence);
  gateway.upstreamHeader(this.checks, seen!, name, undefined, echo);
});

Then('the upstream API receives the header {string} with the value {string}', async function (this: UmaWorld, name: string, value: string) {
  const { seen, evidence, echo } = await upstreamView(this);
  gateway.reachedUpstream(this.checks, seen, true, 'The request', evidence);
  gateway.upstreamHeader(this.checks, seen!, name, value, echo);
});
