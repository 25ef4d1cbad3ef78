// Small pieces with their own rules: the bearer regex, nginx's $uri, the
// supported Lua expressions, Lua number printing, cjson bytes, Penlight's
// pretty printer, Kong's error-page negotiation (session-cookie hiding: resty-session.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cjsonEncode } from '../../../sandbox/kong/json';
import { evalLuaExp, parseLuaExp } from '../../../sandbox/kong/lua-exp';
import { luaNumber } from '../../../sandbox/kong/lua-values';
import { prettyWrite } from '../../../sandbox/kong/lua-pretty';
import { nginxUri } from '../../../sandbox/kong/nginx-uri';
import { kongErrorPage } from '../../../sandbox/kong/responses';
import { bearerToken } from '../../../sandbox/kong/uma-auth';
import { startHarness } from './harness';

test('§6.1 the token regex `\\s*[Bb]earer\\s+(.+)` is unanchored and keeps everything after the blanks', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer   abc def'), 'abc def');
  assert.equal(bearerToken('Token Bearer xyz'), 'xyz');
  assert.equal(bearerToken('BEARER abc'), undefined);
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken(''), undefined);
});

test('nginx $uri: decoded, slashes merged, dot segments resolved; bad escapes and escapes above root are errors', () => {
  assert.equal(nginxUri('/posts/1'), '/posts/1');
  assert.equal(nginxUri('/posts/'), '/posts/');
  assert.equal(nginxUri('/a%20b/%2Fc'), '/a b/c');
  assert.equal(nginxUri('/folder//file'), '/folder/file');
  assert.equal(nginxUri('/a/./b/../c'), '/a/c');
  assert.equal(nginxUri('/a/..'), '/');
  assert.equal(nginxUri('/%zz'), undefined);
  assert.equal(nginxUri('/..'), undefined);
});

test('a bad percent-escape is nginx\'s 400, rendered by Kong', async () => {
  const h = await startHarness();
  try {
    await h.tutorial();
    const r = await h.get('/posts/%zz', { Accept: 'application/json' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'Bad request' });
  } finally {
    await h.close();
  }
});

test('value_lua_exp subset: dotted paths, [n] (1-based) and ["k"] indexes, string literals; anything else refused', () => {
  const env = { introspect_data: { client_id: 'c', permissions: [{ resource_id: 'r' }], aud: null }, consumer: { id: 'u' } };
  const run = (s: string) => {
    const exp = parseLuaExp(s);
    assert.ok(exp, s);
    return evalLuaExp(exp, env);
  };
  assert.equal(run('introspect_data.client_id'), 'c');
  assert.equal(run(' consumer . id '), 'u');
  assert.equal(run('introspect_data.permissions[1].resource_id'), 'r');
  assert.equal(run('introspect_data["client_id"]'), 'c');
  assert.equal(run("'lit'"), 'lit');
  assert.equal(run('"a \\"q\\""'), 'a "q"');
  assert.equal(run('introspect_data.missing.deeper'), undefined);
  assert.equal(run('introspect_data.aud'), null, 'cjson.null stays a (truthy) value');
  assert.equal(run('userinfo.x'), undefined);
  for (const bad of ['os.time()', 'a.b', 'introspect_data.x or "y"', 'introspect_data.', '1 + 1', '']) assert.equal(parseLuaExp(bad), undefined, bad);
});

test('Lua prints numbers with %.14g', () => {
  assert.equal(luaNumber(1600000000), '1600000000');
  assert.equal(luaNumber(1.5), '1.5');
  assert.equal(luaNumber(1e15), '1e+15');
  assert.equal(luaNumber(123456789012346), '1.2345678901235e+14');
  assert.equal(luaNumber(0.00001), '1e-05');
});

test('cjson escapes "/"; Penlight pretty prints compact and indented forms with sorted keys', () => {
  assert.equal(cjsonEncode({ url: 'https://a/b' }), '{"url":"https:\\/\\/a\\/b"}');
  assert.equal(prettyWrite({ name: 'x', id: 'y' }, ''), '{id="y",name="x"}');
  assert.equal(prettyWrite({ consumer: null }, ''), '{consumer="userdata: NULL"}');
  assert.equal(prettyWrite([{ a: 'b' }]), '{\n  {\n    a = "b"\n  }\n}');
  assert.equal(prettyWrite({ '@entity': ['m'] }), '{\n  ["@entity"] = {\n    "m"\n  }\n}');
});

test('Kong error page: JSON for */* and axios, text/plain by default, HTML, XML', () => {
  assert.deepEqual(kongErrorPage(500, 'application/json, text/plain, */*', undefined), {
    contentType: 'application/json; charset=utf-8',
    body: '{\n  "message":"An unexpected error occurred"\n}',
  });
  assert.equal(kongErrorPage(500, '*/*', undefined).contentType, 'application/json; charset=utf-8');
  assert.deepEqual(kongErrorPage(502, undefined, undefined), {
    contentType: 'text/plain; charset=utf-8',
    body: 'An invalid response was received from the upstream server\n',
  });
  assert.equal(kongErrorPage(500, undefined, 'application/json').contentType, 'application/json; charset=utf-8');
  assert.match(kongErrorPage(504, 'text/html', undefined).body, /<p>The upstream server is timing out\.<\/p>/);
  assert.match(kongErrorPage(400, 'application/xml', undefined).body, /<message>Bad request<\/message>/);
  assert.equal(kongErrorPage(418, 'text/plain', undefined).body, 'The upstream server responded with 418\n');
});

