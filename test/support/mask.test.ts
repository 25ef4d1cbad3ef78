import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Secrets, isSecretKey, maskError, maskHeaders, maskJson, maskParams, maskToken, fingerprint } from '../../support/mask';
import { bodyExcerpt } from '../../support/evidence';

test('known secrets are replaced in free text, also URL-encoded', () => {
  const s = new Secrets();
  s.add('s3cr3t/value+x');
  const text = s.maskText('a s3cr3t/value+x b s3cr3t%2Fvalue%2Bx');
  assert.ok(!text.includes('s3cr3t'));
  assert.match(text, /«masked:[0-9a-f]{6}»/);
});

test('short values are not treated as secrets (would mask ordinary words)', () => {
  const s = new Secrets();
  s.add('abc');
  assert.equal(s.maskText('abc'), 'abc');
});

test('secret-named JSON members are masked whatever their value; tickets are kept', () => {
  const out = maskJson({ access_token: 'AAAA', pct: 'PPPP', nested: [{ client_secret: 'CCCC' }], ticket: 'T1' }, new Secrets()) as Record<string, unknown>;
  assert.equal(out.access_token, `«masked:${fingerprint('AAAA')}»`);
  assert.equal(out.pct, `«masked:${fingerprint('PPPP')}»`);
  assert.deepEqual(out.nested, [{ client_secret: `«masked:${fingerprint('CCCC')}»` }]);
  assert.equal(out.ticket, 'T1');
});

test('credential headers keep their scheme or cookie names only', () => {
  const h = maskHeaders({ Authorization: 'Bearer xyz123', Cookie: 'uma_session_id=abc; opbs=def', 'set-cookie': 'uma_session_id=abc; Path=/; Secure', Host: 'h' }, new Secrets());
  assert.equal(h.Authorization, `Bearer «masked:${fingerprint('xyz123')}»`);
  assert.equal(h.Cookie, `uma_session_id=«masked:${fingerprint('abc')}»; opbs=«masked:${fingerprint('def')}»`);
  assert.equal(h['set-cookie'], `uma_session_id=«masked:${fingerprint('abc')}»; Path=/; Secure`);
  assert.equal(h.Host, 'h');
});

test('secret-named form and query parameters are masked', () => {
  assert.equal(maskParams('grant_type=x&rpt=R1&ticket=T', new Secrets()), `grant_type=x&rpt=«masked:${fingerprint('R1')}»&ticket=T`);
  assert.equal(maskParams('https://h/p?pct=P9&a=1', new Secrets()), `https://h/p?pct=«masked:${fingerprint('P9')}»&a=1`);
});

test('an error thrown by a step is masked in its message and stack: known secrets and secret-named parameters', () => {
  const secrets = new Secrets();
  secrets.add('s3cr3t-client-secret');
  const err = new Error('oxd refused get-client-token: HTTP 500 client_secret s3cr3t-client-secret rejected at https://as/x?access_token=abcdef123456&ticket=t-1');
  maskError(err, secrets);
  const masked = `«masked:${fingerprint('s3cr3t-client-secret')}»`;
  assert.equal(err.message, `oxd refused get-client-token: HTTP 500 client_secret ${masked} rejected at https://as/x?access_token=«masked:${fingerprint('abcdef123456')}»&ticket=t-1`);
  assert.ok(err.stack?.startsWith(`Error: ${err.message}`), err.stack);
  assert.doesNotMatch(err.stack ?? '', /s3cr3t-client-secret|abcdef123456/);
  maskError('not an error', secrets); // anything else is left alone, without throwing
});

// A Gluu code as the AS hands out RPTs and PCTs: 76 characters, a UUID first.
const PCT = '0b4a7c2e-1f3d-4e5a-9b8c-7d6e5f4a3b2c_1A2B.3C4D.5E6F.7A8B.9C0D.1E2F.3A4B.5C6D';

test('a known secret cut short is masked too: at the end of the text, before an ellipsis, a quote or a space', () => {
  const s = new Secrets();
  s.add(PCT);
  const mask = `«masked:${fingerprint(PCT)}»`;
  assert.equal(s.maskText(`{"pct":"${PCT.slice(0, 36)}`), `{"pct":"${mask}`);
  assert.equal(s.maskText(`page text: ${PCT.slice(0, 20)}… more`), `page text: ${mask}… more`);
  assert.equal(s.maskText(`"${PCT.slice(0, 50)}" and ${PCT}`), `"${mask}" and ${mask}`);
  assert.equal(s.maskText(`a ${PCT.slice(0, 12)} b`), `a ${mask} b`);
});

test('another token that only shares the first characters of a known one is left alone; shorter cuts are too', () => {
  const s = new Secrets();
  s.add(PCT);
  const other = `${PCT.slice(0, 30)}ffff-rest-of-another-token`;
  assert.equal(s.maskText(`x ${other} y`), `x ${other} y`);
  assert.equal(s.maskText(`x ${PCT.slice(0, 7)}`), `x ${PCT.slice(0, 7)}`);
});

test('a body excerpt masks secret-named members before it cuts, known secrets after: no start of a token survives', () => {
  const secrets = new Secrets();
  secrets.add(PCT);
  const rpt = '9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4_0A1B.2C3D.4E5F.6A7B.8C9D.0E1F.2A3B.4C5D';
  const body = JSON.stringify({ access_token: rpt, token_type: 'Bearer', pct: PCT, updated: false });
  // The cut falls inside the PCT (the first 160 characters, as a check's "actual" shows).
  assert.ok(body.indexOf(PCT) < 160 && body.indexOf(PCT) + PCT.length > 160);
  for (const shown of [bodyExcerpt(body, 160), bodyExcerpt(body, 160, secrets)]) {
    for (const token of [rpt, PCT]) assert.ok(!shown.includes(token.slice(0, 12)), `${token.slice(0, 4)}… shown in ${shown}`);
  }
  // Without the names, the known PCT's cut-off start is still found.
  assert.ok(!secrets.maskText(body.slice(0, 160)).includes(PCT.slice(0, 12)));
  assert.equal(bodyExcerpt(body, 200), `{"access_token":"«masked:${fingerprint(rpt)}»","token_type":"Bearer","pct":"«masked:${fingerprint(PCT)}»","updated":false}`);
  // Unknown nested secrets too, by their names; a body without one is shown as sent.
  assert.equal(bodyExcerpt('{"config": {"client_secret": "nested-one"}}', 100), `{"config":{"client_secret":"«masked:${fingerprint('nested-one')}»"}}`);
  assert.equal(bodyExcerpt('{ "message": "no Route matched" }', 20), '{ "message": "no Rou');
  assert.equal(bodyExcerpt('<html>502</html>', 100), '<html>502</html>');
});

test("oxAuth's form fields and an echo's cookie header are secret by name; a password is masked in its form-encoded form too", () => {
  assert.equal(isSecretKey('loginForm:password'), true);
  assert.equal(isSecretKey('authorizeForm:session_id'), true);
  assert.equal(isSecretKey('session_id'), true);
  assert.equal(isSecretKey('cookie'), true);
  assert.equal(isSecretKey('loginForm:username'), false);
  assert.equal(isSecretKey('token_type'), false);
  const secrets = new Secrets();
  const echoed = maskJson({ headers: { cookie: 'gluu_openid_connect_session=abc|123|def|ghi', host: 'h' } }, secrets) as { headers: Record<string, string> };
  assert.equal(echoed.headers.cookie, maskToken('gluu_openid_connect_session=abc|123|def|ghi'));
  assert.equal(echoed.headers.host, 'h');
  secrets.add("pa ss'word!");
  const body = secrets.maskText(`loginForm:username=test_user&loginForm:password=${new URLSearchParams({ v: "pa ss'word!" }).toString().slice(2)}`);
  assert.ok(!body.includes('pa+ss'), body);
});
