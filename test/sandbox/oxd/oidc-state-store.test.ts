// The server-wide state / nonce store (oidc-uma.md §3.8; StateService,
// SqlPersistenceServiceImpl, SchedulerService.dbCleanUpTask).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeExpiredObject, StateStore } from '../../../sandbox/oxd/state-store';

const CONFIG = { stateExpirationInMinutes: 5, nonceExpirationInMinutes: 5, dbCleanupIntervalInHours: 1 };

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('generated values are 130-bit base-32 strings, stored; a lookup ignores the type', () => {
  const store = new StateStore(CONFIG);
  const state = store.generateState();
  const nonce = store.generateNonce();
  assert.match(state, /^[0-9a-v]{20,26}$/);
  assert.ok(store.isPresent(state));
  assert.ok(store.isPresent(nonce), 'a nonce passes a state lookup too');
  assert.equal(store.isPresent('other'), false);
  assert.equal(store.isPresent(null), false);
});

test('keys are trimmed on insert and lookup; delete removes every row of that key', () => {
  const store = new StateStore(CONFIG);
  store.putState(' s1 ');
  store.putState('s1');
  assert.ok(store.isPresent('s1 '));
  store.deleteByKey('s1');
  assert.equal(store.isPresent('s1'), false);
  assert.equal(store.size(), 0);
});

test('expiry is only applied by the hourly cleanup: a 5-minute state is still accepted until the next run after it expired', () => {
  const c = clock();
  const store = new StateStore(CONFIG, c.now);
  c.advance(50 * 60_000); // 50 min after start
  const s = store.putState('late'); // expires at 55 min
  c.advance(9 * 60_000); // 59 min: expired, no cleanup yet
  assert.ok(store.isPresent(s), 'accepted after its expiry');
  c.advance(60_000); // 60 min: the first cleanup runs
  assert.equal(store.isPresent(s), false);
  const early = store.putState('early'); // at 60 min, expires at 65 min
  c.advance(64 * 60_000); // 124 min: cleanup at 120 min removed it
  assert.equal(store.isPresent(early), false);
  const young = store.putState('young'); // at 124 min, expires 129 min
  c.advance(60_000 * 5); // 129 min: the 120-min cleanup is past, the next is at 180
  assert.ok(store.isPresent(young));
});

test('encodeExpiredObject: URL-encoded only when the yml flag for that type is on', () => {
  const off = { encodeStateFromRequestParameter: false, encodeNonceFromRequestParameter: false };
  assert.equal(encodeExpiredObject('a b', 'state', off), 'a b');
  assert.equal(encodeExpiredObject('a b', 'state', { ...off, encodeStateFromRequestParameter: true }), 'a+b');
  assert.equal(encodeExpiredObject('a b', 'nonce', { ...off, encodeStateFromRequestParameter: true }), 'a b');
  assert.equal(encodeExpiredObject('a/b', 'nonce', { ...off, encodeNonceFromRequestParameter: true }), 'a%2Fb');
});
