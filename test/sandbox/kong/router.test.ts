// Kong 2.2.1 route matching (kong/router.lua): hosts (exact, with port,
// wildcards), path prefixes and regexes, methods, priorities, strip_path,
// path_handling and preserve_host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../sandbox/kong/json';
import { KongRouter, type RouterRequest } from '../../../sandbox/kong/router';

const SERVICE: JsonObject = { id: 's1', protocol: 'http', host: 'up', port: 3000, path: null };

let created = 0;
function route(id: string, fields: JsonObject): JsonObject {
  return { id, created_at: ++created, strip_path: true, preserve_host: false, path_handling: 'v0', regex_priority: 0, service: { id: 's1' }, ...fields };
}

function router(routes: JsonObject[], service: JsonObject = SERVICE): KongRouter {
  return new KongRouter(routes, (id) => (id === service.id ? service : undefined));
}

function req(method: string, uri: string, host: string): RouterRequest {
  return { method, uri, host, scheme: 'http', headers: {} };
}

test('exact host, with or without a port in the Host header, case-insensitive', () => {
  const r = router([route('r1', { hosts: ['gathering.example.com'] })]);
  assert.equal(r.find(req('GET', '/posts/1', 'gathering.example.com'))?.route.id, 'r1');
  assert.equal(r.find(req('GET', '/posts/1', 'gathering.example.com:8000'))?.route.id, 'r1');
  assert.equal(r.find(req('GET', '/posts/1', 'Gathering.Example.com'))?.route.id, 'r1');
  assert.equal(r.find(req('GET', '/posts/1', 'other.example.com')), undefined);
});

test('wildcard hosts: leftmost and rightmost', () => {
  const r = router([route('left', { hosts: ['*.example.com'] }), route('right', { hosts: ['api.*'] })]);
  assert.equal(r.find(req('GET', '/', 'a.example.com'))?.route.id, 'left');
  assert.equal(r.find(req('GET', '/', 'a.b.example.com:8000'))?.route.id, 'left');
  assert.equal(r.find(req('GET', '/', 'example.com')), undefined);
  assert.equal(r.find(req('GET', '/', 'api.test'))?.route.id, 'right');
});

test('plain path prefixes (no segment boundary) and the longest prefix first', () => {
  const r = router([route('short', { paths: ['/p'] }), route('long', { paths: ['/posts'] })]);
  assert.equal(r.find(req('GET', '/posts/1', 'x'))?.route.id, 'long');
  assert.equal(r.find(req('GET', '/postsX', 'x'))?.route.id, 'long');
  assert.equal(r.find(req('GET', '/pa', 'x'))?.route.id, 'short');
  assert.equal(r.find(req('GET', '/q', 'x')), undefined);
});

test('regex paths are anchored at the start and tried before plain ones', () => {
  const r = router([route('plain', { paths: ['/users'] }), route('regex', { paths: ['/users/\\d+$'] })]);
  assert.equal(r.find(req('GET', '/users/12', 'x'))?.route.id, 'regex');
  assert.equal(r.find(req('GET', '/users/ab', 'x'))?.route.id, 'plain');
  assert.equal(r.find(req('GET', '/v1/users/12', 'x')), undefined);
});

test('methods restrict a route; more matching attributes win', () => {
  const r = router([route('host-only', { hosts: ['h.example.com'] }), route('host-get', { hosts: ['h.example.com'], methods: ['GET'] })]);
  assert.equal(r.find(req('GET', '/', 'h.example.com'))?.route.id, 'host-get');
  assert.equal(r.find(req('POST', '/', 'h.example.com'))?.route.id, 'host-only');
  const onlyGet = router([route('g', { paths: ['/'], methods: ['GET'] })]);
  assert.equal(onlyGet.find(req('DELETE', '/', 'x')), undefined);
});

test('strip_path (v0): the matched prefix is removed and the service path prepended', () => {
  const svc = { ...SERVICE, path: '/base' };
  const r = router([route('r', { paths: ['/api'] })], svc);
  assert.equal(r.find(req('GET', '/api/posts/1', 'x'))?.upstreamUri, '/base/posts/1');
  assert.equal(r.find(req('GET', '/api', 'x'))?.upstreamUri, '/base');
  assert.equal(r.find(req('GET', '/api/', 'x'))?.upstreamUri, '/base/');
  assert.equal(r.find(req('GET', '/api/x', 'x'))?.prefix, '/api');
  const keep = router([route('r', { paths: ['/api'], strip_path: false })], svc);
  assert.equal(keep.find(req('GET', '/api/posts', 'x'))?.upstreamUri, '/base/api/posts');
  const hostOnly = router([route('r', { hosts: ['x'] })]);
  assert.equal(hostOnly.find(req('GET', '/posts/1', 'x'))?.upstreamUri, '/posts/1');
});

test('path_handling v1 joins without a double slash', () => {
  const r = router([route('r', { paths: ['/api'], path_handling: 'v1' })], { ...SERVICE, path: '/base/' });
  assert.equal(r.find(req('GET', '/api/posts', 'x'))?.upstreamUri, '/base/posts');
});

test('preserve_host keeps the client Host header', () => {
  const r = router([route('r', { hosts: ['gathering.example.com'], preserve_host: true })]);
  assert.equal(r.find(req('GET', '/', 'gathering.example.com:8000'))?.preservedHost, 'gathering.example.com:8000');
  const off = router([route('r', { hosts: ['gathering.example.com'] })]);
  assert.equal(off.find(req('GET', '/', 'gathering.example.com'))?.preservedHost, undefined);
});

test('a route without a service still matches (the proxy answers 503)', () => {
  const r = router([{ ...route('r', { hosts: ['lonely'] }), service: null }]);
  const m = r.find(req('GET', '/', 'lonely'));
  assert.equal(m?.route.id, 'r');
  assert.equal(m?.service, undefined);
});
