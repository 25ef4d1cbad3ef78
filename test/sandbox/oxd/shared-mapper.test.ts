// oxd.md §2.4 / Jackson2.java @ oxd 4.2.3: the shared mapper writes null
// members until the first RP save; response classes it wrote before keep
// doing so (their serializers are cached), the others leave nulls out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../../sandbox/lib/http-client';
import { OxdHarness } from './harness';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

test('before the first site save nulls are written; classes first written then keep them after register-site', async () => {
  const h = await OxdHarness.start();
  try {
    // Raw requests: the swagger check of OxdHarness.post would refuse the nulls the product writes.
    const post = (path: string, body: unknown) => request('POST', h.url + path, JSON_HEADERS, JSON.stringify(body));
    const client = h.fake.addClient(['openid', 'oxd']);
    const tokenBody = { client_id: client.clientId, client_secret: client.clientSecret, op_host: h.fake.url, scope: ['openid', 'oxd'] };

    const token = await post('/get-client-token', tokenBody);
    assert.equal(token.status, 200);
    assert.equal(token.headers['content-type'], 'application/json');
    assert.match(token.text, /^\{"access_token":"[^"]+","expires_in":299,"refresh_token":null,"scope":\["openid","oxd"\]\}$/);

    const error = await post('/register-site', { redirect_uris: ['https://c.example.com/cb'] });
    assert.equal(error.status, 400);
    assert.equal(
      error.text,
      '{"error":"invalid_op_host_and_configuration_endpoint","error_description":"Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined.","details":null,"reason":null}',
    );

    const jwksBefore = await post('/get-jwks', { op_host: h.fake.url });
    assert.equal(jwksBefore.status, 200);
    assert.match(jwksBefore.text, /"crv":null/);

    // register-site saves the RP before its answer is written: RegisterSiteResponse leaves nulls out.
    const site = await post('/register-site', { op_host: h.fake.url, redirect_uris: ['https://c.example.com/cb'] });
    assert.equal(site.status, 200);
    assert.ok(!site.text.includes('null'), site.text);
    assert.ok(!site.text.includes('"initiate_login_uri "'), 'a null initiate_login_uri is left out');

    const tokenAfter = await post('/get-client-token', tokenBody);
    assert.match(tokenAfter.text, /"refresh_token":null/, 'GetClientTokenResponse was written before the save');
    const errorAfter = await post('/register-site', {});
    assert.match(errorAfter.text, /"details":null,"reason":null\}$/, 'so was ErrorResponse');
    const jwksAfter = await post('/get-jwks', { op_host: h.fake.url });
    assert.match(jwksAfter.text, /"crv":null/, 'and GetJwksResponse');
  } finally {
    await h.close();
  }
});

test('after the first site save a class not written before leaves null members out, and keeps doing so', async () => {
  const h = await OxdHarness.start();
  try {
    const post = (path: string, body: unknown) => request('POST', h.url + path, JSON_HEADERS, JSON.stringify(body));
    await h.registerSite();
    const client = h.fake.addClient(['openid', 'oxd']);
    for (let i = 0; i < 2; i++) {
      const token = await post('/get-client-token', { client_id: client.clientId, client_secret: client.clientSecret, op_host: h.fake.url, scope: ['openid'] });
      assert.equal(token.status, 200);
      assert.match(token.text, /^\{"access_token":"[^"]+","expires_in":299,"scope":\["openid"\]\}$/);
    }
    const error = await post('/register-site', {});
    assert.equal(error.status, 400);
    assert.equal(
      error.text,
      '{"error":"invalid_op_host_and_configuration_endpoint","error_description":"Both op_host and op_configuration_endpoint are invalid (empty or blank). At least one parameter should be defined."}',
    );
    const jwks = await post('/get-jwks', { op_host: h.fake.url });
    assert.ok(!jwks.text.includes('null'), jwks.text);
  } finally {
    await h.close();
  }
});
