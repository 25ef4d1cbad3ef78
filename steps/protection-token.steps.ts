// The gateway's protection-token renewal (issue 14 item 11): requests before,
// inside and after the window in which GG 4.2 reuses its expired token.
import { Given, Then, When } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import { requestResource } from '../support/rqp-flow';
import * as gateway from '../support/checks/gateway';
import { untilClock, windowSchedule } from '../support/protection-token-window';
import { SetupError } from '../support/errors';

/** Between two tries inside or after the window (another Kong worker may answer). */
const RETRY_MS = 200;

function schedule(w: UmaWorld) {
  if (!w.flow.tokenWindow) throw new SetupError('suite defect: no first request with the new plugin client from an earlier step');
  return w.flow.tokenWindow;
}

Given("the tutorial's API protected by Gluu Gateway, its plugin client's access tokens living {int} seconds", function (this: UmaWorld, seconds: number) {
  this.changePlan((p) => {
    p.pluginTokenLifetime = seconds;
  });
});

When('the client requests the protected resource without a token, the gateway taking a new protection token for it', async function (this: UmaWorld) {
  const lifetime = this.plan?.pluginTokenLifetime;
  if (lifetime === undefined) throw new SetupError('suite defect: the plugin client has no access-token lifetime of its own');
  await this.gateway();
  const sentAt = Date.now();
  await requestResource(this, 'protected');
  this.flow.tokenWindow = { schedule: windowSchedule(lifetime, sentAt, Date.now()) };
});

// Until GG's 502 or the window's end: on a Kong with several workers, only the
// worker that served the first request holds the expiring token.
When("the client requests the protected resource without a token inside the gateway's protection-token window", async function (this: UmaWorld) {
  const tw = schedule(this);
  await untilClock(tw.schedule.insideFrom);
  do {
    tw.inside = (await requestResource(this, 'protected')).exchange;
    if (gateway.isGatewayUnexpectedError(tw.inside)) return;
    await untilClock(Math.min(Date.now() + RETRY_MS, tw.schedule.insideUntil));
  } while (Date.now() < tw.schedule.insideUntil);
});

// Until a request is not GG's 502, or the time any worker's window must be over.
When('the client requests the protected resource without a token once that window is over', async function (this: UmaWorld) {
  const tw = schedule(this);
  await untilClock(tw.schedule.afterFrom);
  for (;;) {
    const { exchange } = await requestResource(this, 'protected');
    if (!gateway.isGatewayUnexpectedError(exchange) || Date.now() >= tw.schedule.afterUntil) return;
    await untilClock(Date.now() + RETRY_MS);
  }
});

Then('the gateway, its protection token renewed, refuses with 401 and a permission ticket', function (this: UmaWorld) {
  const tw = schedule(this);
  const x = this.lastProxied().exchange;
  gateway.renewedAfterWindow(this.checks, x, Math.round((Date.now() - tw.schedule.expiry) / 1000));
  this.setTicket(gateway.refusedWithTicket(this.checks, x, 'a request without a token').ticket);
});

Then('the request inside the window was refused with 401 and a permission ticket as well, or told that no ticket could be had', function (this: UmaWorld) {
  const inside = schedule(this).inside;
  if (!inside) throw new SetupError('suite defect: no request inside the window from an earlier step');
  gateway.refusedInTokenWindow(this.checks, inside);
});
