// The sandbox log's lines for error answers and error redirects (issue 14 item 13).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorRedirectSummary, errorSummary, maskedTarget, shortSecret, withAnswerLog } from '../../../sandbox/lib/answer-log';
import { bind, redirect, send, sendJson, type Listening, type Served } from '../../../sandbox/lib/http';

test('shortSecret: the first 4 characters, as the rest of the log', () => {
  assert.equal(shortSecret('0f9c4f5e-ticket'), '0f9c…');
  assert.equal(shortSecret('abc'), '****');
  assert.equal(shortSecret(undefined), '<none>');
});

test('maskedTarget: secret query values shortened, the others kept', () => {
  const q = new URLSearchParams('client_id=c1&ticket=0f9c4f5e-1&claims_redirect_uri=https://rqp.test/cb&state=s3cr3tstate&code=abcdefgh');
  assert.equal(maskedTarget('/oxauth/restv1/uma/gather_claims', q), '/oxauth/restv1/uma/gather_claims?client_id=c1&ticket=0f9c…&claims_redirect_uri=https://rqp.test/cb&state=s3cr…&code=abcd…');
  assert.equal(maskedTarget('/posts/1', new URLSearchParams()), '/posts/1');
});

test('errorSummary: need_info with claims and the new ticket shortened; oxd errors; Kong messages; plain text first line', () => {
  assert.equal(
    errorSummary('{"error":"need_info","ticket":"5e1b2c3d-new","required_claims":[{"name":"country"},{"name":"city"}],"redirect_user":"https://as/gather?ticket=5e1b2c3d-new"}'),
    'need_info claims country, city new ticket 5e1b…',
  );
  assert.equal(errorSummary('{"error":"forbidden_by_policy","error_description":"Forbidden by policy (policy returned false)."}'), 'forbidden_by_policy "Forbidden by policy (policy returned false)."');
  assert.equal(errorSummary('{"message":"Unauthorized"}'), '"Unauthorized"');
  assert.equal(
    errorSummary('Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token\n at [Source: (String)"{\\"client_secret\\":\\"S3CRET\\"}"; line: 1]'),
    'Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token',
  );
  assert.equal(errorSummary(''), '(empty body)');
});

test('errorRedirectSummary: only redirects with error=, the endpoint without its query, the state shortened', () => {
  assert.equal(
    errorRedirectSummary('https://evil.example/cb?error=invalid_claims_redirect_uri&error_description=x&state=abcdef123'),
    'error=invalid_claims_redirect_uri to https://evil.example/cb (state abcd…)',
  );
  assert.equal(errorRedirectSummary('?error=invalid_ticket&error_description=x'), 'error=invalid_ticket to /');
  assert.equal(errorRedirectSummary('https://rqp.test/cb?ticket=t&state=s'), undefined);
});

describe('withAnswerLog on a listener', () => {
  let listening: Listening;
  let url: string;
  const lines: string[] = [];
  before(async () => {
    listening = await bind('127.0.0.1', 0);
    url = `http://127.0.0.1:${listening.port}`;
    const served: Served = {
      bodyLimit: 1000,
      handler: (req, res) => {
        if (req.path === '/ok') return send(res, 200, 'fine');
        if (req.path === '/token') return sendJson(res, 403, { error: 'need_info', ticket: 'aaaabbbbcccc', required_claims: [{ name: 'country' }] });
        if (req.path === '/gather') return redirect(res, 'https://rqp.test/other?error=invalid_claims_redirect_uri&state=stst1234');
        if (req.path === '/back') return redirect(res, 'https://rqp.test/cb?ticket=t&state=s');
        if (req.path === '/boom') throw new Error('boom');
        return sendJson(res, 404, { message: 'Not found' });
      },
      onTooLarge: (res) => send(res, 413, 'too large'),
      onError: (res) => sendJson(res, 500, { code: 500, message: 'There was an error processing your request.' }),
    };
    listening.attach(withAnswerLog(served, 'oxauth', (c, m) => lines.push(`[${c}] ${m}`)));
  });
  after(() => listening.close());

  test('4xx/5xx and error redirects are logged once each; 2xx and plain redirects are not', async () => {
    const get = async (p: string) => (await fetch(`${url}${p}`, { redirect: 'manual' })).status;
    assert.equal(await get('/ok'), 200);
    assert.equal(await get('/token?ticket=1234567890'), 403);
    assert.equal(await get('/gather?client_id=c&ticket=9999888877'), 302);
    assert.equal(await get('/back'), 302);
    assert.equal(await get('/nowhere'), 404);
    assert.equal(await get('/boom'), 500);
    assert.equal((await fetch(`${url}/ok`, { method: 'POST', body: 'x'.repeat(2000) })).status, 413);
    // 'finish' comes after the client has the answer: wait for the lines, without a fixed sleep.
    for (let i = 0; i < 100 && lines.length < 5; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(lines, [
      '[oxauth] GET /token?ticket=1234… → 403 need_info claims country new ticket aaaa…',
      '[oxauth] GET /gather?client_id=c&ticket=9999… → 302 error=invalid_claims_redirect_uri to https://rqp.test/other (state stst…)',
      '[oxauth] GET /nowhere → 404 "Not found"',
      '[oxauth] GET /boom → 500 "There was an error processing your request."',
      '[oxauth] a request → 413 too large',
    ]);
  });
});
