// The tutorial's demo API (gg-demo/node-api/index.js): its two routes with
// Express 4's routing rules (issue 14 item 3: `/Posts/1` answers 200), its
// headers in wire order, and the 404 and 400 pages of finalhandler.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { startStack, type Stack } from '../../../sandbox/stack';
import { defaultSettings } from '../../../sandbox/settings';
import { POSTS } from '../../../sandbox/upstream/demo-api';
import { RawClient } from './raw-http';

let stack: Stack;
let base: string;
const client = new RawClient();

before(async () => {
  const settings = defaultSettings();
  settings.ports.upstream = 0;
  stack = await startStack(settings, { only: ['upstream'] });
  base = stack.urls.upstream;
});

after(async () => {
  client.close();
  await stack.close();
});

function jsonHeaders(body: string): Array<[string, string]> {
  const hash = crypto.createHash('sha1').update(body).digest('base64').slice(0, 27);
  return [
    ['X-Powered-By', 'Express'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(body))],
    ['ETag', `W/"${Buffer.byteLength(body).toString(16)}-${hash}"`],
    ['Connection', 'keep-alive'],
    ['Keep-Alive', 'timeout=5'],
  ];
}

test('/posts/1 and every other /posts/* path answer post 1 (app.get("/posts/*"))', async () => {
  const one = JSON.stringify(POSTS[0]);
  for (const path of ['/posts/1', '/posts/2', '/posts/1/comments', '/posts//', '/posts/1?x=y']) {
    const r = await client.get(`${base}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.text, one, path);
    assert.deepEqual(r.headers, jsonHeaders(one), path);
  }
});

test('/posts and /posts/ answer both posts (non-strict routing)', async () => {
  const all = JSON.stringify(POSTS);
  for (const path of ['/posts', '/posts/']) {
    const r = await client.get(`${base}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.text, all);
    assert.deepEqual(r.headers, jsonHeaders(all));
  }
});

test('routing is case-insensitive: /Posts/1, /POSTS/1, /POSTS answer 200', async () => {
  assert.equal((await client.get(`${base}/Posts/1`)).text, JSON.stringify(POSTS[0]));
  assert.equal((await client.get(`${base}/POSTS/1`)).text, JSON.stringify(POSTS[0]));
  assert.equal((await client.get(`${base}/POSTS`)).text, JSON.stringify(POSTS));
});

test('other paths and methods: finalhandler\'s 404', async () => {
  for (const [method, path] of [['GET', '/'], ['GET', '/post'], ['GET', '/%70osts/1'], ['POST', '/posts/1'], ['DELETE', '/posts']]) {
    const r = await client.request(method, `${base}${path}`);
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.match(r.text, new RegExp(`<pre>Cannot ${method} ${path.replace(/[/.]/g, '\\$&')}</pre>`));
    assert.equal(r.header('content-security-policy'), "default-src 'none'");
    assert.equal(r.header('x-content-type-options'), 'nosniff');
    assert.equal(r.header('keep-alive'), 'timeout=5');
  }
});

test('a malformed escape in the * parameter: decode_param\'s 400 URIError (first line of the development page)', async () => {
  const r = await client.get(`${base}/posts/%E0`);
  assert.equal(r.status, 400);
  assert.match(r.text, /<pre>URIError: Failed to decode param &#39;%E0&#39;<\/pre>/);
  assert.equal(r.header('content-type'), 'text/html; charset=utf-8');
});

test('If-None-Match with the ETag → 304', async () => {
  const etag = (await client.get(`${base}/posts/1`)).header('etag') as string;
  const r = await client.get(`${base}/Posts/1`, { 'If-None-Match': etag });
  assert.equal(r.status, 304);
  assert.equal(r.text, '');
  assert.equal(r.header('etag'), etag);
  assert.equal(r.header('content-length'), undefined);
});
