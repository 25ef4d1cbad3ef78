// Every Kong fault profile (sandbox/faults.ts) against the clean behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultName } from '../../../sandbox/faults';
import { request } from '../../../sandbox/lib/http-client';
import { FakeOxd } from '../doubles/fake-oxd';
import { C_ID, echoed, startHarness, type Harness, type TutorialOptions } from './harness';

async function both(
  fault: FaultName,
  options: TutorialOptions,
  run: (h: Harness) => Promise<void>,
  checkClean: (h: Harness) => Promise<void>,
  checkFaulty: (h: Harness) => Promise<void>,
): Promise<void> {
  for (const [faults, check] of [[[], checkClean], [[fault], checkFaulty]] as const) {
    const h = await startHarness({ faults: [...faults] });
    try {
      await h.tutorial(options);
      await run(h);
      await check(h);
    } finally {
      await h.close();
    }
  }
}

const noop = async () => undefined;
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

test('fault pep-lets-tokenless-through: a token-less request on a protected path reaches the upstream', async () => {
  await both(
    'pep-lets-tokenless-through',
    {},
    noop,
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], h.oxd.challenge(FakeOxd.ticket(1)));
    },
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.status, 200);
      assert.equal(echoed(r).path, '/posts/1');
      assert.equal(r.headers['www-authenticate'], undefined);
    },
  );
});

test('fault no-anonymous-consumer: token-less requests get R2 instead of the ticket', async () => {
  await both(
    'no-anonymous-consumer',
    {},
    noop,
    async (h) => {
      const r = await h.get('/posts/1');
      assert.deepEqual([r.status, r.json], [401, { message: 'Unauthorized' }]);
      assert.match(String(r.headers['www-authenticate']), /^UMA realm="rs"/);
    },
    async (h) => {
      const r = await h.get('/posts/1');
      assert.deepEqual([r.status, r.json], [401, { message: 'Failed to get bearer token from Authorization header' }]);
      assert.equal(r.headers['www-authenticate'], undefined);
    },
  );
});

test('fault www-authenticate-reformatted: spaces after commas, ticket first', async () => {
  await both(
    'www-authenticate-reformatted',
    {},
    noop,
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.headers['www-authenticate'], `UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope",ticket="${FakeOxd.ticket(1)}"`);
    },
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], `UMA ticket="${FakeOxd.ticket(1)}", realm="rs", as_uri="https://as.example.org", error="insufficient_scope"`);
    },
  );
});

test('fault www-authenticate-without-ticket: the challenge has no ticket parameter', async () => {
  await both(
    'www-authenticate-without-ticket',
    {},
    noop,
    async (h) => {
      assert.match(String((await h.get('/posts/1')).headers['www-authenticate']), /,ticket="[^"]+"$/);
    },
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], 'UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope"');
    },
  );
});

test('fault challenge-names-another-as: the challenge names an AS that is not the configured one', async () => {
  await both(
    'challenge-names-another-as',
    {},
    noop,
    async (h) => {
      assert.equal((await h.get('/posts/1')).headers['www-authenticate'], h.oxd.challenge(FakeOxd.ticket(1)));
    },
    async (h) => {
      const r = await h.get('/posts/1');
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], `UMA realm="rs",as_uri="https://staging-idp.conformance.invalid",error="insufficient_scope",ticket="${FakeOxd.ticket(1)}"`);
    },
  );
});

test('fault same-ticket-every-denial: every challenge for the path replays the first ticket', async () => {
  await both(
    'same-ticket-every-denial',
    {},
    noop,
    async (h) => {
      const a = (await h.get('/posts/1')).headers['www-authenticate'];
      const b = (await h.get('/posts/1')).headers['www-authenticate'];
      assert.equal(a, h.oxd.challenge(FakeOxd.ticket(1)));
      assert.equal(b, h.oxd.challenge(FakeOxd.ticket(2)));
    },
    async (h) => {
      const a = (await h.get('/posts/1')).headers['www-authenticate'];
      const b = (await h.get('/posts/2')).headers['www-authenticate'];
      assert.equal(a, h.oxd.challenge(FakeOxd.ticket(1)));
      assert.equal(b, a);
    },
  );
});

test('fault invalid-rpt-accepted: an inactive RPT reaches the upstream', async () => {
  await both(
    'invalid-rpt-accepted',
    { auth: { anonymous: ' ' } },
    noop,
    async (h) => {
      const r = await h.get('/posts/1', bearer('not-a-valid-rpt'));
      assert.deepEqual([r.status, r.json], [401, { message: 'Invalid access token provided in Authorization header' }]);
    },
    async (h) => {
      const r = await h.get('/posts/1', bearer('not-a-valid-rpt'));
      assert.equal(r.status, 200);
      assert.equal(echoed(r).headers.authorization, 'Bearer not-a-valid-rpt');
    },
  );
});

test('fault consumer-mapping-off: the RPT of a client without a Kong consumer is accepted', async () => {
  await both(
    'consumer-mapping-off',
    {},
    async (h) => h.oxd.activeRpt('RPT', { client_id: '@!no-consumer' }),
    async (h) => {
      const r = await h.get('/posts/1', bearer('RPT'));
      assert.deepEqual([r.status, r.json], [401, { message: 'Unknown consumer' }]);
    },
    async (h) => {
      const r = await h.get('/posts/1', bearer('RPT'));
      assert.equal(r.status, 200);
      assert.equal(echoed(r).headers['x-consumer-id'], undefined);
    },
  );
});

test('fault upstream-on-deny: the denied request reaches the upstream before the 403', async () => {
  const seenByUpstream = async (h: Harness, id: string) => (await request('GET', `${h.echoUrl}/__echo/requests/${id}`)).status === 200;
  await both(
    'upstream-on-deny',
    {},
    async (h) => h.oxd.activeRpt('RPT', { client_id: C_ID, grants: [] }),
    async (h) => {
      const r = await h.get('/posts/1', { ...bearer('RPT'), 'x-conformance-request-id': 'clean-1' });
      assert.deepEqual([r.status, r.json], [403, { message: 'You are not authorized to access this resource' }]);
      assert.equal(await seenByUpstream(h, 'clean-1'), false);
    },
    async (h) => {
      const r = await h.get('/posts/1', { ...bearer('RPT'), 'x-conformance-request-id': 'faulty-1' });
      assert.deepEqual([r.status, r.json], [403, { message: 'You are not authorized to access this resource' }]);
      assert.equal(await seenByUpstream(h, 'faulty-1'), true);
    },
  );
});

test('fault deny-by-default-ignored: unprotected paths are proxied although deny_by_default is true', async () => {
  await both(
    'deny-by-default-ignored',
    {},
    async (h) => h.oxd.activeRpt('RPT', { client_id: C_ID }),
    async (h) => {
      assert.deepEqual((await h.get('/todos', bearer('RPT'))).json, { message: 'Unprotected path/method are not allowed' });
      assert.deepEqual((await h.get('/todos')).json, { message: 'Invalid request, no token and no protected path' });
    },
    async (h) => {
      const withToken = await h.get('/todos', bearer('RPT'));
      assert.equal(withToken.status, 200);
      assert.equal(echoed(withToken).path, '/todos');
      assert.equal((await h.get('/todos')).status, 200);
    },
  );
});

test('fault method-ignored: a method the expression does not cover is treated as protected', async () => {
  await both(
    'method-ignored',
    {},
    async (h) => h.oxd.activeRpt('RPT', { client_id: C_ID }),
    async (h) => {
      const r = await h.proxy('POST', '/posts/1', { Host: 'gathering.example.com', ...bearer('RPT') }, '');
      assert.deepEqual([r.status, r.json], [403, { message: 'Unprotected path/method are not allowed' }]);
      assert.equal(h.oxd.calls.filter((c) => c.command === 'uma-rs-check-access').length, 0);
    },
    async (h) => {
      const r = await h.proxy('POST', '/posts/1', { Host: 'gathering.example.com', ...bearer('RPT') }, '');
      // oxd has no [POST] /posts/?? resource: 400 → GG's 502
      assert.deepEqual([r.status, r.json], [502, { message: 'An unexpected error ocurred' }]);
      const check = h.oxd.calls.find((c) => c.command === 'uma-rs-check-access');
      assert.deepEqual(check?.body, { oxd_id: check?.body.oxd_id, rpt: 'RPT', path: '/posts/??', http_method: 'POST' });
    },
  );
});

test('fault anonymous-header-on-authenticated: X-Anonymous-Consumer: true on a request with a valid RPT', async () => {
  await both(
    'anonymous-header-on-authenticated',
    {},
    async (h) => h.oxd.activeRpt('RPT', { client_id: C_ID }),
    async (h) => {
      const r = await h.get('/posts/1', bearer('RPT'));
      assert.equal(r.status, 200);
      assert.equal(echoed(r).headers['x-anonymous-consumer'], undefined);
    },
    async (h) => {
      const r = await h.get('/posts/1', bearer('RPT'));
      assert.equal(r.status, 200);
      assert.equal(echoed(r).headers['x-anonymous-consumer'], 'true');
      assert.equal(echoed(r).headers['x-consumer-custom-id'], C_ID);
    },
  );
});
