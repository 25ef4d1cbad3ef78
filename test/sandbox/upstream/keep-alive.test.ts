// Issue 14 item 2: which component announces a Keep-Alive timeout. Kong 2.2's
// nginx and oxd's Jetty send no Keep-Alive header; Node's http server under
// the Express demos sends `timeout=5`. The idle timeout itself stays 60 s on
// every listener (sandbox/lib/http.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../../sandbox/stack';
import { defaultSettings } from '../../../sandbox/settings';
import { RawClient } from './raw-http';

let stack: Stack;
const client = new RawClient();

before(async () => {
  const settings = defaultSettings();
  for (const name of Object.keys(settings.ports) as Array<keyof typeof settings.ports>) settings.ports[name] = 0;
  stack = await startStack(settings, { only: ['kongAdmin', 'kongProxy', 'oxd', 'upstream', 'website'] });
});

after(async () => {
  client.close();
  await stack.close();
});

test('Kong Admin API: Connection keep-alive, no Keep-Alive header', async () => {
  const r = await client.get(`${stack.urls.kongAdmin}/`);
  assert.equal(r.status, 200);
  assert.equal(r.header('connection'), 'keep-alive');
  assert.equal(r.header('keep-alive'), undefined);
});

test('Kong proxy: no Keep-Alive header on its own answers nor on proxied ones (the upstream\'s timeout=5 is hidden)', async () => {
  const miss = await client.get(`${stack.urls.kongProxy}/`);
  assert.equal(miss.status, 404);
  assert.equal(miss.header('connection'), 'keep-alive');
  assert.equal(miss.header('keep-alive'), undefined);

  const service = JSON.stringify({ name: 'ka', url: stack.urls.upstream });
  const admin = (path: string, body: string) =>
    fetch(`${stack.urls.kongAdmin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then((x) => x.json() as Promise<{ id: string }>);
  const s = await admin('/services', service);
  await admin('/routes', JSON.stringify({ paths: ['/ka'], service: { id: s.id } }));
  const proxied = await client.get(`${stack.urls.kongProxy}/ka/posts/1`);
  assert.equal(proxied.status, 200, proxied.text);
  assert.equal(proxied.header('x-powered-by'), 'Express');
  assert.equal(proxied.header('connection'), 'keep-alive');
  assert.equal(proxied.header('keep-alive'), undefined);
});

test('oxd: no Keep-Alive header', async () => {
  const r = await client.get(`${stack.urls.oxd}/health-check`);
  assert.equal(r.status, 200);
  assert.equal(r.header('keep-alive'), undefined);
});

test('the demo API and the demo website: Keep-Alive timeout=5 as Node under Express', async () => {
  for (const url of [`${stack.urls.upstream}/posts/1`, `${stack.urls.website}/settings/`, `${stack.urls.website}/nope`]) {
    const r = await client.get(url);
    assert.equal(r.header('connection'), 'keep-alive', url);
    assert.equal(r.header('keep-alive'), 'timeout=5', url);
  }
});
