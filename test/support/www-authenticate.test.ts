import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gluuChallengeFormat, parseChallenges, umaChallenge } from '../../support/www-authenticate';

test('parses Gluu Gateway’s exact challenge', () => {
  const c = umaChallenge('UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope",ticket="e986fd2b-de83"');
  assert.deepEqual(c, { scheme: 'UMA', params: { realm: 'rs', as_uri: 'https://as.example.org', error: 'insufficient_scope', ticket: 'e986fd2b-de83' } });
});

test('parses auth-params in any order, with spaces and token values (RFC 7235)', () => {
  const c = umaChallenge('uma  ticket=abc ,  as_uri = "https://as" , realm=rs');
  assert.deepEqual(c?.params, { ticket: 'abc', as_uri: 'https://as', realm: 'rs' });
});

test('finds the UMA challenge among several and unescapes quoted pairs', () => {
  const all = parseChallenges('Basic realm="x", UMA realm="r\\"s",ticket="t1"');
  assert.equal(all.length, 2);
  assert.deepEqual(all[1], { scheme: 'UMA', params: { realm: 'r"s', ticket: 't1' } });
});

test('returns undefined for no header, another scheme, or a malformed header', () => {
  assert.equal(umaChallenge(undefined), undefined);
  assert.equal(umaChallenge('Bearer realm="x"'), undefined);
  assert.equal(umaChallenge('UMA realm="unterminated'), undefined);
});

test('builds the exact Gluu format: no spaces, fixed order', () => {
  assert.equal(gluuChallengeFormat('https://as', 'T'), 'UMA realm="rs",as_uri="https://as",error="insufficient_scope",ticket="T"');
});
