// The oidc-uma tutorial's demo website (gg-demo/node-ejs, oidc-uma.md §5) on
// its own listener: each route, Express's routing rules, its headers in wire
// order, the weak ETag and 304, the default 404 page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { startStack, type Stack } from '../../../sandbox/stack';
import { defaultSettings } from '../../../sandbox/settings';
import { RawClient, type RawReply } from './raw-http';

let stack: Stack;
let base: string;
const client = new RawClient();

before(async () => {
  const settings = defaultSettings();
  settings.ports.website = 0;
  stack = await startStack(settings, { only: ['website'] });
  base = stack.urls.website;
});

after(async () => {
  client.close();
  await stack.close();
});

function etagOf(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return `W/"${body.length.toString(16)}-${crypto.createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** Express's header order for a rendered view; Node adds Date, Connection, Keep-Alive. */
function assertPage(r: RawReply): void {
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.headers, [
    ['X-Powered-By', 'Express'],
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(r.text))],
    ['ETag', etagOf(r.text)],
    ['Connection', 'keep-alive'],
    ['Keep-Alive', 'timeout=5'],
  ]);
  assert.ok(r.date && !Number.isNaN(Date.parse(r.date)));
  assert.match(r.text, /^<html>\n<head>\n {2}<title>Demo<\/title>\n<\/head>\n<body>\n/);
  assert.match(r.text, /<\/body>\n<\/html>\n$/);
}

const NAV_LINKS = ['/home', '/home/', '/flights/', '/payments/', '/settings/', '/logout'];

function links(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
}

test('/settings/ renders the settings view: heading, the form ids, the nav bar, no user data', async () => {
  const r = await client.get(`${base}/settings/`);
  assertPage(r);
  assert.match(r.text, /<h1>Profile settings<\/h1>/);
  for (const id of ['inputEmail4', 'inputPassword4', 'inputAddress', 'inputAddress2', 'inputCity', 'inputState', 'inputZip', 'gridCheck', 'navbarColor01']) {
    assert.match(r.text, new RegExp(`id="${id}"`), id);
  }
  assert.match(r.text, /<select id="inputState" class="form-control"><option selected>Choose\.\.\.<\/option><option>\.\.\.<\/option><\/select>/);
  assert.match(r.text, /<button type="submit" class="btn btn-primary">Sign in<\/button>/);
  assert.match(r.text, /<form>/);
  assert.doesNotMatch(r.text, /action=/);
  assert.deepEqual(links(r.text), NAV_LINKS);
  assert.match(r.text, /<a class="navbar-brand" href="\/home">Gluu Security<\/a>/);
});

test('/home/ and / render the home view', async () => {
  const home = await client.get(`${base}/home/`);
  const root = await client.get(`${base}/`);
  for (const r of [home, root]) {
    assertPage(r);
    assert.match(r.text, /<h1>Gluu Security<\/h1>\n {2}<h2>Welcome to Gluu Security !!!<\/h2>/);
    assert.deepEqual(links(r.text), NAV_LINKS);
  }
  assert.equal(home.text, root.text);
});

test('/flights/ renders the static table of six rows', async () => {
  const r = await client.get(`${base}/flights/`);
  assertPage(r);
  assert.match(r.text, /<h1>Flights Available<\/h1>/);
  assert.match(r.text, /<table class="table table-hover">/);
  assert.deepEqual(
    [...r.text.matchAll(/<th scope="row">(\w+)<\/th>/g)].map((m) => m[1]),
    ['Active', 'Default', 'Primary', 'Info', 'Light', 'Dark'],
  );
  assert.equal([...r.text.matchAll(/<td>Column content<\/td>/g)].length, 18);
});

test('/payments/ renders the payment status', async () => {
  const r = await client.get(`${base}/payments/`);
  assertPage(r);
  assert.match(r.text, /<h1>Payment Status<\/h1>\n {2}<h2>Wow Great!!! Your payment has been done successfully\.<\/h2>/);
});

test('/logout_redirect_uri renders the logout view: no nav bar, a Login button to /home', async () => {
  const r = await client.get(`${base}/logout_redirect_uri`);
  assertPage(r);
  assert.match(r.text, /<h1>Successfully logout!!!<\/h1>\n {2}<a href="\/home" class="btn btn-success">Login<\/a>/);
  assert.doesNotMatch(r.text, /<nav/);
  assert.deepEqual(links(r.text), ['/home']);
});

test('no page references a CDN asset (offline, the real pages render the same HTML)', async () => {
  for (const path of ['/', '/settings/', '/flights/', '/payments/', '/logout_redirect_uri']) {
    const r = await client.get(`${base}${path}`);
    assert.doesNotMatch(r.text, /<script|<link|https?:\/\//, path);
  }
});

test('routing is not strict and not case-sensitive, as Express 4 (W11)', async () => {
  const settings = await client.get(`${base}/settings/`);
  for (const path of ['/settings', '/Settings/', '/SETTINGS', '/SeTtInGs/', '/settings/?a=1']) {
    const r = await client.get(`${base}${path}`);
    assert.equal(r.status, 200, path);
    assert.equal(r.text, settings.text, path);
  }
  assert.equal((await client.get(`${base}/HOME`)).status, 200);
  assert.equal((await client.get(`${base}/Logout_Redirect_Uri/`)).status, 200);
  assert.equal((await client.get(`${base}/FLIGHTS`)).status, 200);
});

test('paths the routes do not match: one extra segment, a doubled slash, an encoded letter → 404', async () => {
  for (const path of ['/settings/a', '/settings//', '/%73ettings/', '/home/x', '/logout', '/callback']) {
    const r = await client.get(`${base}${path}`);
    assert.equal(r.status, 404, path);
    assert.match(r.text, new RegExp(`<pre>Cannot GET ${path.replace(/[/.]/g, '\\$&')}</pre>`), path);
  }
});

test('404: finalhandler\'s page and headers', async () => {
  const r = await client.get(`${base}/nope?x=1`);
  const page = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /nope</pre>\n</body>\n</html>\n';
  assert.equal(r.status, 404);
  assert.equal(r.text, page);
  assert.deepEqual(r.headers, [
    ['X-Powered-By', 'Express'],
    ['Content-Security-Policy', "default-src 'none'"],
    ['X-Content-Type-Options', 'nosniff'],
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(page.length)],
    ['Connection', 'keep-alive'],
    ['Keep-Alive', 'timeout=5'],
  ]);
});

test('404 of other methods, and of paths with characters encodeurl and escape-html change', async () => {
  const post = await client.request('POST', `${base}/settings/`);
  assert.equal(post.status, 404);
  assert.match(post.text, /<pre>Cannot POST \/settings\/<\/pre>/);
  const odd = await client.get(`${base}/a&b'c%zz"d`);
  assert.equal(odd.status, 404);
  assert.match(odd.text, /<pre>Cannot GET \/a&amp;b&#39;c%25zz%22d<\/pre>/);
});

test('HEAD answers like GET without a body; OPTIONS answers Allow: GET,HEAD', async () => {
  const get = await client.get(`${base}/payments/`);
  const head = await client.request('HEAD', `${base}/payments/`);
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.deepEqual(head.headers, get.headers);
  const options = await client.request('OPTIONS', `${base}/Payments`);
  assert.equal(options.status, 200);
  assert.equal(options.text, 'GET,HEAD');
  assert.deepEqual(options.headers, [
    ['X-Powered-By', 'Express'],
    ['Allow', 'GET,HEAD'],
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', '8'],
    ['ETag', etagOf('GET,HEAD')],
    ['Connection', 'keep-alive'],
    ['Keep-Alive', 'timeout=5'],
  ]);
  assert.equal((await client.request('OPTIONS', `${base}/nope`)).status, 404);
});

test('If-None-Match with the ETag (strong or weak form, in a list, or *) → 304 without body or content headers', async () => {
  const first = await client.get(`${base}/settings/`);
  const etag = first.header('etag') as string;
  for (const inm of [etag, etag.slice(2), `"x", ${etag}`, '*']) {
    const r = await client.get(`${base}/settings/`, { 'If-None-Match': inm });
    assert.equal(r.status, 304, inm);
    assert.equal(r.text, '');
    assert.deepEqual(r.headers, [
      ['X-Powered-By', 'Express'],
      ['ETag', etag],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=5'],
    ]);
  }
});

test('not fresh: another ETag, Cache-Control no-cache, If-Modified-Since (Express sets no Last-Modified) → 200', async () => {
  const etag = (await client.get(`${base}/settings/`)).header('etag') as string;
  const cases: Array<Record<string, string>> = [
    { 'If-None-Match': 'W/"1-abc"' },
    { 'If-None-Match': etag, 'Cache-Control': 'no-cache' },
    { 'If-Modified-Since': new Date(Date.now() + 86_400_000).toUTCString() },
    { 'If-None-Match': etag, 'If-Modified-Since': new Date().toUTCString() },
  ];
  for (const headers of cases) {
    const r = await client.get(`${base}/settings/`, headers);
    assert.equal(r.status, 200, JSON.stringify(headers));
    assert.equal(r.header('etag'), etag);
  }
});
