// The JDK behaviours oxd leaks onto the wire (HashMap order, URLEncoder,
// BigInteger state) and the scope-expression check, against known values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaListToString, javaRandomState, javaStringHash, javaStringSetOrder, javaUrlEncode } from '../../../sandbox/oxd/java-compat';
import { isValidNode, parseJsonLogicNode, scopeExpressionYieldsDataScope } from '../../../sandbox/oxd/json-logic';
import { oxdConfigFromSettings } from '../../../sandbox/oxd/config';
import { defaultSettings } from '../../../sandbox/settings';

test('String.hashCode known values', () => {
  assert.equal(javaStringHash('hello'), 99162322);
  assert.equal(javaStringHash('Aa'), 2112);
  assert.equal(javaStringHash('BB'), 2112);
  assert.equal(javaStringHash(''), 0);
});

test('HashSet/HashMap iteration order', () => {
  // oxauth.md §3.5: "Java hash order puts param 2 first".
  assert.deepEqual(javaStringSetOrder(['customUserParam1', 'customUserParam2']), ['customUserParam2', 'customUserParam1']);
  assert.deepEqual(javaStringSetOrder(['openid', 'oxd', 'uma_protection']), ['openid', 'uma_protection', 'oxd']);
  assert.deepEqual(javaStringSetOrder(['BB', 'Aa']), ['BB', 'Aa'], 'same bucket: insertion order');
  assert.deepEqual(javaStringSetOrder(['b', 'a', 'b']), ['a', 'b'], 'duplicates collapse');
  // 13 keys resize the table to 32 buckets: "q" (113) moves from bucket 1 to 17, after "a".."p".
  const keys = 'qabcdefghijkl'.split('');
  assert.deepEqual(javaStringSetOrder(keys), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'q']);
});

test('URLEncoder.encode(s, UTF-8)', () => {
  assert.equal(javaUrlEncode("a b!'()~*._-ä@/:#&="), 'a+b%21%27%28%29%7E*._-%C3%A4%40%2F%3A%23%26%3D');
});

test('BigInteger(130, random).toString(32): at most 26 base-32 digits', () => {
  for (let i = 0; i < 200; i++) {
    const s = javaRandomState();
    assert.match(s, /^[0-9a-v]{1,26}$/);
    const value = [...s].reduce((acc, ch) => acc * 32n + BigInt(parseInt(ch, 32)), 0n);
    assert.ok(value < 1n << 130n);
  }
});

test('List.toString', () => {
  assert.equal(javaListToString(['GET', 'POST']), '[GET, POST]');
});

test('scope expressions: valid node and the rule must yield a data scope', () => {
  const node = parseJsonLogicNode({ rule: { and: [{ var: 0 }, { var: 1 }] }, data: ['a', 'b'] });
  assert.ok(isValidNode(node));
  assert.equal(scopeExpressionYieldsDataScope(node), true);
  const not = parseJsonLogicNode({ rule: { '!': [{ var: 0 }] }, data: ['a'] });
  assert.ok(isValidNode(not));
  assert.equal(scopeExpressionYieldsDataScope(not), false, '"false" is not a data scope');
  assert.equal(isValidNode(parseJsonLogicNode({ rule: { var: 0 }, data: [] })), false);
  assert.equal(parseJsonLogicNode(['a']), null);
  const ifNode = parseJsonLogicNode({ rule: { if: [{ var: 9 }, { var: 0 }, { var: 1 }] }, data: ['a', 'b'] });
  assert.ok(isValidNode(ifNode));
  assert.equal(scopeExpressionYieldsDataScope(ifNode), true);
});

test("createOxd reads bind_ip_addresses from the sandbox settings and keeps the shipped yml defaults, with GG's uma2 auto-registration on", () => {
  const settings = defaultSettings();
  settings.oxd.bindIpAddresses = ['10.0.0.1', '*'];
  const config = oxdConfigFromSettings(settings);
  assert.deepEqual(config.bindIpAddresses, ['10.0.0.1', '*']);
  assert.equal(config.protectCommandsWithAccessToken, true);
  assert.deepEqual(config.protectCommandsWithOxdId, []);
  assert.deepEqual(config.defaultSiteConfig.scope, ['openid', 'profile', 'email']);
  assert.equal(config.version, '4.2.2');
  assert.equal(config.uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient, true, 'gluu-gateway-setup templates/oxd-server.yml');
  assert.equal(config.stateExpirationInMinutes, 5);
  assert.equal(config.acceptIdTokenWithoutSignature, false);
});
