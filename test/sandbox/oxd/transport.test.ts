// oxd.md §1 / §2.2: what the container and RestResource answer before any
// operation runs — routing, media types, body binding, caller IP — and that
// the server keeps serving after bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OxdHarness, bearer } from './harness';
import { assertSwagger } from './swagger';

const JSON_TYPE = 'application/json';
const UNHANDLED = /^There was an error processing your request\. It has been logged \(ID [0-9a-f]{16}\)\.$/;
/**
 * No site saved yet when these errors are first written: oxd's shared mapper still writes nulls, and ErrorResponse's
 * serializer, built then, keeps writing them after the first register-site too (serialize.ts SharedMapper, oxd.md §2.4).
 */
const NULLS = { details: null, reason: null };

describe('oxd transport (oxd.md §1)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('GET /health-check: 200, 4.2.2 form pretty-printed with 3 spaces', async () => {
    const r = await h.send('GET', '/health-check', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], JSON_TYPE);
    assert.equal(r.text, '{\n   "application": "oxd",\n   "version": "4.2.2",\n   "status": "running"\n}');
    assertSwagger('/health-check', r.json);
  });

  test('HEAD /health-check: 200 without body; a trailing slash still matches', async () => {
    const head = await h.send('HEAD', '/health-check', {});
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const slash = await h.send('GET', '/health-check/', {});
    assert.equal(slash.status, 200);
    assert.deepEqual(slash.json, { application: 'oxd', version: '4.2.2', status: 'running' });
  });

  test('unknown path: 404 as Jersey answers', async () => {
    for (const [method, path] of [
      ['POST', '/no-such-command'],
      ['GET', '/'],
      ['POST', '/uma-rs-check-access/extra'],
    ]) {
      const r = await h.send(method, path, { 'Content-Type': JSON_TYPE }, '{}');
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.headers['content-type'], JSON_TYPE);
      assert.deepEqual(r.json, { code: 404, message: 'HTTP 404 Not Found' });
    }
  });

  test('wrong method: 405 with Allow', async () => {
    const get = await h.send('GET', '/register-site', {});
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST,OPTIONS');
    assert.deepEqual(get.json, { code: 405, message: 'HTTP 405 Method Not Allowed' });
    const post = await h.post('/health-check', {});
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'HEAD,GET,OPTIONS');
    assert.deepEqual(post.json, { code: 405, message: 'HTTP 405 Method Not Allowed' });
  });

  test('OPTIONS: 200 with Allow, no body', async () => {
    const r = await h.send('OPTIONS', '/uma-rp-get-rpt', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers.allow, 'POST,OPTIONS');
    assert.equal(r.text, '');
  });

  test('missing or wrong Content-Type: 415 {"code":415,…}', async () => {
    for (const headers of [{}, { 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/x-www-form-urlencoded' }] as Record<string, string>[]) {
      const r = await h.send('POST', '/register-site', headers, '{}');
      assert.equal(r.status, 415, JSON.stringify(headers));
      assert.equal(r.headers['content-type'], JSON_TYPE);
      assert.deepEqual(r.json, { code: 415, message: 'HTTP 415 Unsupported Media Type' });
    }
  });

  test('application/json with a charset parameter is accepted', async () => {
    const r = await h.send('POST', '/register-site', { 'Content-Type': 'application/json; charset=UTF-8' }, '{}');
    assert.equal(r.status, 400);
    assert.equal((r.json as { error: string }).error, 'invalid_op_host_and_configuration_endpoint');
  });

  test('an Accept header without application/json: 406', async () => {
    const r = await h.send('POST', '/register-site', { 'Content-Type': JSON_TYPE, Accept: 'text/html' }, '{}');
    assert.equal(r.status, 406);
    assert.deepEqual(r.json, { code: 406, message: 'HTTP 406 Not Acceptable' });
    const ok = await h.send('POST', '/register-site', { 'Content-Type': JSON_TYPE, Accept: 'application/json, text/plain, */*' }, '{}');
    assert.equal(ok.status, 400);
  });

  test('malformed JSON: 400 plain text "Invalid parameters. Message: <Jackson message>"', async () => {
    const cases: [string, string][] = [
      ['{bad}', `Unexpected character ('b' (code 98)): was expecting double-quote to start field name\n at [Source: (String)"{bad}"; line: 1, column: 3]`],
      ['{"op_host":', `Unexpected end-of-input: expected a value\n at [Source: (String)"{"op_host":"; line: 1, column: 12]`],
      ['{"a":1,}', `Unexpected character ('}' (code 125)): was expecting double-quote to start field name\n at [Source: (String)"{"a":1,}"; line: 1, column: 9]`],
      ['{"a" 1}', `Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value\n at [Source: (String)"{"a" 1}"; line: 1, column: 7]`],
      ['{"a":tru}', `Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"{"a":tru}"; line: 1, column: 9]`],
      ['{"a":1', `Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"a":1"; line: 1, column: 1])\n at [Source: (String)"{"a":1"; line: 1, column: 7]`],
      ['   ', `No content to map due to end-of-input\n at [Source: (String)"   "; line: 1, column: 4]`],
    ];
    for (const [body, message] of cases) {
      const r = await h.post('/uma-rp-get-rpt', body, bearer('whatever'));
      assert.equal(r.status, 400, body);
      assert.equal(r.text, `Invalid parameters. Message: ${message}`, body);
      assert.equal(r.json, undefined, 'not JSON');
    }
  });

  test('wrong field type: 400 plain text with the reference chain (update-site claims_redirect_uri as a string, oxd.md §4.3)', async () => {
    const body = '{"oxd_id":"x","claims_redirect_uri":"https://rqp.example.org/cb"}';
    const r = await h.post('/update-site', body);
    assert.equal(r.status, 400);
    assert.equal(
      r.text,
      'Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token\n' +
        ` at [Source: (String)"${body}"; line: 1, column: 37] (through reference chain: org.gluu.oxd.common.params.UpdateSiteParams["claims_redirect_uri"])`,
    );
  });

  test('more wrong types: nested list element, boolean from a word, object for a string, array for the whole body', async () => {
    const nested = await h.post('/uma-rs-protect', '{"resources":[{"path":"/a","conditions":[{"httpMethods":"GET"}]}]}', bearer('t'));
    assert.equal(nested.status, 400);
    assert.match(
      nested.text,
      /^Invalid parameters\. Message: Cannot deserialize instance of `java\.util\.ArrayList<java\.lang\.String>` out of VALUE_STRING token\n at \[Source: .*; line: 1, column: 57\] \(through reference chain: org\.gluu\.oxd\.common\.params\.RsProtectParams\["resources"\]->java\.util\.ArrayList\[0\]->org\.gluu\.oxd\.rs\.protect\.RsResource\["conditions"\]->java\.util\.ArrayList\[0\]->org\.gluu\.oxd\.rs\.protect\.Condition\["httpMethods"\]\)$/,
    );
    const word = await h.post('/uma-rs-protect', '{"overwrite":"yes"}', bearer('t'));
    assert.equal(word.status, 400);
    assert.match(word.text, /^Invalid parameters\. Message: Cannot deserialize value of type `java\.lang\.Boolean` from String "yes": only "true" or "false" recognized\n/);
    const object = await h.post('/get-client-token', '{"client_id":{"a":1}}');
    assert.equal(object.status, 400);
    assert.match(object.text, /^Invalid parameters\. Message: Cannot deserialize instance of `java\.lang\.String` out of START_OBJECT token\n/);
    const array = await h.post('/register-site', '[]');
    assert.equal(array.status, 400);
    assert.match(array.text, /^Invalid parameters\. Message: Cannot deserialize instance of `org\.gluu\.oxd\.common\.params\.RegisterSiteParams` out of START_ARRAY token\n/);
  });

  test('scalars are coerced where Jackson coerces: a number for a string field binds', async () => {
    const r = await h.post('/update-site', '{"oxd_id":12345}');
    assert.equal(r.status, 400);
    assert.equal((r.json as { error: string }).error, 'invalid_oxd_id');
  });

  test('empty body is {}: register-site → invalid_op_host…, a protected command → blank_access_token', async () => {
    const reg = await h.send('POST', '/register-site', { 'Content-Type': JSON_TYPE }, '');
    assert.equal(reg.status, 400);
    assert.deepEqual(reg.json, {
      error: 'invalid_op_host_and_configuration_endpoint',
      error_description: 'Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined.',
      ...NULLS,
    });
    const rpt = await h.send('POST', '/uma-rp-get-rpt', { 'Content-Type': JSON_TYPE });
    assert.equal(rpt.status, 403);
    assert.equal((rpt.json as { error: string }).error, 'blank_access_token');
  });

  test('a literal null body: bad_request on an open command, container 500 on a protected one', async () => {
    const open = await h.post('/register-site', 'null');
    assert.equal(open.status, 400);
    assert.deepEqual(open.json, { error: 'bad_request', error_description: 'Command parameters are not specified or otherwise malformed.', ...NULLS });
    const prot = await h.post('/uma-rs-check-access', 'null', bearer('t'));
    assert.equal(prot.status, 500);
    assert.equal((prot.json as { code: number }).code, 500);
    assert.match((prot.json as { message: string }).message, UNHANDLED);
  });

  test('unknown fields are ignored and content after the first JSON value is ignored (Jackson readValue)', async () => {
    const r = await h.post('/register-site', '{"no_such_field":{"x":[1,2]},"op_host":"","redirect_uris":[]} trailing garbage');
    assert.equal(r.status, 400);
    assert.equal((r.json as { error: string }).error, 'invalid_op_host_and_configuration_endpoint');
  });

  test('a large body under the limit is processed; an oversized one gets 413 and the server keeps serving', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(1024 * 1024), op_host: '' });
    const ok = await h.post('/register-site', big);
    assert.equal(ok.status, 400);
    assert.equal((ok.json as { error: string }).error, 'invalid_op_host_and_configuration_endpoint');
    const huge = JSON.stringify({ padding: 'x'.repeat(4 * 1024 * 1024 + 1) });
    const tooLarge = await h.post('/register-site', huge);
    assert.equal(tooLarge.status, 413);
    assert.deepEqual(tooLarge.json, { code: 413, message: 'HTTP 413 Request Entity Too Large' });
    const health = await h.send('GET', '/health-check', {});
    assert.equal(health.status, 200);
  });

  test('after malformed input the server keeps serving', async () => {
    for (const body of ['{', '}{', '\u0000', '{"a":"\u0001"}', '[[[[[[', '{"a":01}']) {
      const r = await h.post('/register-site', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(r.text.startsWith('Invalid parameters. Message: '), r.text);
    }
    const site = await h.registerSite();
    assert.match(site.oxd_id, /^[0-9a-f-]{36}$/);
  });

  test('endpoints oxd has but the sandbox does not emulate: 500 unsupported_operation after the usual checks', async () => {
    // A site was registered by the test before: still with nulls, ErrorResponse's serializer was built earlier.
    const body = { error: 'unsupported_operation', error_description: 'Operation is not supported by server error.', ...NULLS };
    const get = await h.send('GET', '/get-rp-jwks', {});
    assert.equal(get.status, 500);
    assert.deepEqual(get.json, body);
    const discovery = await h.post('/get-discovery', { op_host: h.fake.url });
    assert.equal(discovery.status, 500);
    assert.deepEqual(discovery.json, body);
    const modify = await h.post('/uma-rs-modify', {});
    assert.equal(modify.status, 403, 'uma-rs-modify needs a token first');
  });
});

describe('bind_ip_addresses (oxd.md §1)', () => {
  const DENIED = {
    error: 'oxd_access_denied',
    error_description: 'The caller is not allowed to make request to oxd. To allow add ip_address of caller in `bind_ip_addresses` field of `oxd-server.yml`.',
    ...NULLS,
  };

  test('empty: only 127.0.0.1; others get 403 oxd_access_denied on every endpoint, before parsing', async () => {
    const h = await OxdHarness.start({ config: { bindIpAddresses: [] } });
    try {
      assert.equal((await h.send('GET', '/health-check', {})).status, 200);
      const health = await h.fromAddress('127.0.0.2', 'GET', '/health-check');
      assert.equal(health.status, 403);
      assert.equal(health.headers['content-type'], JSON_TYPE);
      assert.deepEqual(health.json, DENIED);
      const malformed = await h.fromAddress('127.0.0.2', 'POST', '/register-site', '{bad');
      assert.equal(malformed.status, 403);
      assert.deepEqual(malformed.json, DENIED);
    } finally {
      await h.close();
    }
  });

  test('"*" allows everyone; a list allows exactly its members', async () => {
    const star = await OxdHarness.start({ config: { bindIpAddresses: ['*'] } });
    try {
      assert.equal((await star.fromAddress('127.0.0.2', 'GET', '/health-check')).status, 200);
    } finally {
      await star.close();
    }
    const listed = await OxdHarness.start({ config: { bindIpAddresses: ['127.0.0.2'] } });
    try {
      assert.equal((await listed.fromAddress('127.0.0.2', 'GET', '/health-check')).status, 200);
      const local = await listed.send('GET', '/health-check', {});
      assert.equal(local.status, 403);
      assert.deepEqual(local.json, DENIED);
    } finally {
      await listed.close();
    }
  });
});
