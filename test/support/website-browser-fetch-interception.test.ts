// support/clients/fetch-interception.ts against a fake DevTools session: the
// answer sent for each decision, a failed answer kept for the step (not
// swallowed) with only the origin named, and Chromium's "request gone"
// refusals not counted as failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { CDPSession } from 'playwright';
import { FetchInterception, type Decision } from '../../support/clients/fetch-interception';

class FakeCdp extends EventEmitter {
  sent: Array<[string, unknown]> = [];
  refuseWith?: string;
  send(method: string, params?: unknown): Promise<unknown> {
    this.sent.push([method, params]);
    if (this.refuseWith && method !== 'Fetch.enable') return Promise.reject(new Error(`Protocol error (${method}): ${this.refuseWith}`));
    return Promise.resolve({});
  }
}

function paused(cdp: FakeCdp, url: string, resourceType = 'Document'): Promise<void> {
  cdp.emit('Fetch.requestPaused', { requestId: 'r1', request: { url, method: 'GET' }, resourceType });
  return new Promise((r) => setImmediate(r));
}

function setUp(decision: Decision): { cdp: FakeCdp; fi: FetchInterception } {
  const cdp = new FakeCdp();
  return { cdp, fi: new FetchInterception(cdp as unknown as CDPSession, () => decision) };
}

test('prefix patterns escape the DevTools wildcards', () => {
  assert.equal(FetchInterception.prefixPattern('https://rp.test/cb?x=*'), 'https://rp.test/cb\\?x=\\**');
});

test('pause() enables the Fetch domain for exactly the patterns, at the request stage, once per change; none disables it', async () => {
  const { cdp, fi } = setUp({ action: 'continue' });
  await fi.pause([{ urlPattern: '*', resourceType: 'Document' }]);
  await fi.pause([{ urlPattern: '*', resourceType: 'Document' }]);
  await fi.pause([]);
  assert.deepEqual(cdp.sent, [
    ['Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] }],
    ['Fetch.disable', undefined],
  ]);
});

test('each decision is answered with its Fetch command', async () => {
  for (const [decision, method] of [
    [{ action: 'continue' }, 'Fetch.continueRequest'],
    [{ action: 'fail' }, 'Fetch.failRequest'],
    [{ action: 'fulfill', body: '<p>held</p>' }, 'Fetch.fulfillRequest'],
  ] as Array<[Decision, string]>) {
    const { cdp, fi } = setUp(decision);
    await paused(cdp, 'https://gg.test/x');
    assert.equal(cdp.sent[0][0], method);
    fi.throwIfFailed();
  }
  const { cdp } = setUp({ action: 'fulfill', body: '<p>held</p>' });
  await paused(cdp, 'https://gg.test/x');
  const p = cdp.sent[0][1] as { responseCode: number; body: string; responseHeaders: unknown };
  assert.equal(p.responseCode, 200);
  assert.equal(Buffer.from(p.body, 'base64').toString(), '<p>held</p>');
});

test('a continueRequest the browser refuses is kept and thrown at the next step, naming only the origin', async () => {
  const { cdp, fi } = setUp({ action: 'continue' });
  cdp.refuseWith = 'Internal error';
  await paused(cdp, 'https://gg.test/callback?code=s3cret-code&state=s1');
  assert.throws(
    () => fi.throwIfFailed(),
    (err: Error) => {
      assert.equal(err.message, "the suite paused the browser's document request to https://gg.test and could not have it let through: Protocol error (Fetch.continueRequest): Internal error");
      return true;
    },
  );
  // Reported once.
  fi.throwIfFailed();
});

test('a request Chromium already cancelled, or a closing page, is no failure', async () => {
  for (const why of ['Invalid InterceptionId.', 'Target page, context or browser has been closed', 'Session closed. Most likely the page has been closed.']) {
    const { cdp, fi } = setUp({ action: 'continue' });
    cdp.refuseWith = why;
    await paused(cdp, 'https://gg.test/x');
    fi.throwIfFailed();
  }
});

test('a decision that throws fails the request and is reported', async () => {
  const cdp = new FakeCdp();
  const fi = new FetchInterception(cdp as unknown as CDPSession, () => {
    throw new Error('bad URL');
  });
  await paused(cdp, 'https://gg.test/x');
  assert.equal(cdp.sent[0][0], 'Fetch.failRequest');
  assert.throws(() => fi.throwIfFailed(), /could not have it answered: bad URL/);
});
