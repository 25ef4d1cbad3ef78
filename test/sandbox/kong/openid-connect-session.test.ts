// openid_connect_session_data.lua as the sandbox reads it: which token is
// valid, expired ("token") or auth-expired ("auth"), the acr helpers and
// their quirks (get_token_acrs always nil, acrs joined without separator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acrAlreadyRequested,
  findIdTokenWithEnoughAcrs,
  getAcrs,
  getAnyIdToken,
  getAnyNotExpiredIdToken,
  getTokenAcrs,
  removeToken,
  setRequestedAcrs,
  type OidcSessionData,
} from '../../../sandbox/kong/openid-connect-session';
import { LuaError } from '../../../sandbox/kong/lua-values';

const NOW = 1_700_000_000;
const CONF = { max_id_token_age: 100, max_id_token_auth_age: 1000 };

function data(): OidcSessionData {
  return {
    id_tokens: {
      expired: { iat: NOW - 100, exp: NOW + 10, auth_time: NOW - 100, acr: 'basic' },
      authGone: { iat: NOW - 50, exp: NOW + 10, auth_time: NOW - 1000, acr: 'otp' },
      valid: { iat: NOW - 99, exp: NOW + 1, auth_time: NOW - 999, acr: 'otp auth_ldap_server', requested_acrs: { otp: true } },
    },
    access_tokens: { expired: 'a', authGone: 'b', valid: 'c' },
  };
}

test('get_any_id_token: a fully valid token first; else token-expired with live auth; else auth-expired', () => {
  const d = data();
  assert.deepEqual(getAnyIdToken(d, CONF, NOW), { idToken: 'valid' });
  removeToken(d, 'valid');
  assert.deepEqual(getAnyIdToken(d, CONF, NOW), { idToken: 'expired', expiration: 'token' });
  removeToken(d, 'expired');
  assert.deepEqual(getAnyIdToken(d, CONF, NOW), { idToken: 'authGone', expiration: 'auth' });
  removeToken(d, 'authGone');
  assert.equal(d.id_tokens, undefined, 'the last removal drops the table');
  assert.deepEqual(Object.keys(d.access_tokens ?? {}), ['expired', 'authGone', 'valid'], 'access_tokens stay');
  assert.equal(getAnyIdToken(d, CONF, NOW), undefined);
});

test('the age limits: iat + max_id_token_age <= now and exp <= now expire; auth_time absent never auth-expires', () => {
  const d: OidcSessionData = { id_tokens: { a: { iat: NOW - 100, exp: NOW + 50 } } };
  assert.equal(getAnyIdToken(d, CONF, NOW)?.expiration, 'token');
  assert.equal(getAnyNotExpiredIdToken(d, CONF, NOW), undefined);
  assert.equal(getAnyNotExpiredIdToken(d, CONF, NOW - 1), 'a');
  const noAuthTime: OidcSessionData = { id_tokens: { b: { iat: NOW, exp: NOW + 5 } } };
  assert.deepEqual(getAnyIdToken(noAuthTime, CONF, NOW + 4), { idToken: 'b' });
  assert.throws(() => getAnyIdToken({ id_tokens: { c: { exp: NOW + 5 } } }, CONF, NOW), LuaError, 'nil iat: Lua arithmetic error');
  assert.deepEqual(getAnyIdToken({ id_tokens: { s: { iat: String(NOW), exp: NOW + 5 } } }, CONF, NOW), { idToken: 's' }, 'numeric string coerced');
});

test('find_id_token_with_enough_acrs: space-separated acr contains a required one; none fits → nothing', () => {
  const d = data();
  assert.deepEqual(findIdTokenWithEnoughAcrs(d, CONF, ['auth_ldap_server'], NOW), { idToken: 'valid' });
  assert.deepEqual(findIdTokenWithEnoughAcrs(d, CONF, ['basic'], NOW), { idToken: 'expired', expiration: 'token' });
  removeToken(d, 'valid');
  assert.deepEqual(findIdTokenWithEnoughAcrs(d, CONF, ['otp'], NOW), { idToken: 'authGone', expiration: 'auth' });
  assert.equal(findIdTokenWithEnoughAcrs(d, CONF, ['superhero'], NOW), undefined);
});

test('W19: get_token_acrs reads `acrs` (never set) → nil; get_acrs lists every acr (GG concatenates them without a separator)', () => {
  const d = data();
  assert.equal(getTokenAcrs(d, 'valid'), undefined);
  assert.throws(() => getTokenAcrs(d, 'unknown'), LuaError);
  assert.deepEqual(getAcrs(d), ['basic', 'otp', 'otp auth_ldap_server']);
});

test('requested acrs: set as a set, cleared for none; the loop guard needs all required acrs requested by one token', () => {
  const d: OidcSessionData = {};
  setRequestedAcrs(d, ['otp', 'u2f']);
  assert.deepEqual(d.requested_acrs, { otp: true, u2f: true });
  setRequestedAcrs(d, []);
  assert.equal(d.requested_acrs, undefined);
  const withTokens = data();
  assert.equal(acrAlreadyRequested(withTokens, ['otp']), true);
  assert.equal(acrAlreadyRequested(withTokens, ['otp', 'u2f']), false);
  assert.equal(acrAlreadyRequested({}, ['otp']), false);
});
