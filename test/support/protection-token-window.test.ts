// The schedule of the protection-token scenario (issue 14 item 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untilClock, windowSchedule, WINDOW_SECONDS } from '../../support/protection-token-window';

test('inside: after the token expired at the AS, before the gateway can have dropped it; after: once it must have', () => {
  const s = windowSchedule(3, 10_000, 10_200);
  // The AS expires the token at most at 10 200 + 3 000; GG keeps it at least until 10 000 + 3 000 + 4 000.
  assert.deepEqual(s, { expiry: 13_200, insideFrom: 13_500, insideUntil: 16_700, afterFrom: 18_500, afterUntil: 26_500 });
  assert.equal(WINDOW_SECONDS, 5);
  assert.ok(s.insideFrom < s.insideUntil);
});

test('untilClock waits for the clock, not for a fixed time', async () => {
  let t = 0;
  const seen: number[] = [];
  await untilClock(250, 100, () => {
    seen.push(t);
    const now = t;
    t += 60;
    return now;
  });
  assert.ok(seen.length >= 5 && seen.length <= 6, String(seen));
  const started = Date.now();
  await untilClock(started - 1);
  assert.ok(Date.now() - started < 50, 'a time in the past: no wait');
});
