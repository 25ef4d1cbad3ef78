import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Secrets, maskError, maskHeaders, maskJson, maskParams, fingerprint } from '../../support/mask';

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
