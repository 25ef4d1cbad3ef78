// Issue 14 item 11: when, seen from the suite's clock, a request falls inside
// or after the gateway's protection-token window. GG 4.2 stores its token
// with `expire = ngx.time() + expires_in` and reuses it while
// `expire > ngx.time() - 5` (kong-common.lua get_protection_token lines 104,
// 113 @ version_4.2.2), while the AS stops honouring it at issue + lifetime.
// The token is fetched during the first request the gateway serves for the
// plugin client; only durations on the suite's own clock are used, so the
// gateway's and the AS's clocks may differ from it.

/** kong-common.lua EXPIRE_DELTA_SECONDS. */
export const WINDOW_SECONDS = 5;
/** Margin kept from every edge of the window (ms): clock rounding and request time. */
const MARGIN_MS = 300;

export interface WindowSchedule {
  /** The token has expired at the AS by then (ms since the epoch). */
  expiry: number;
  /** Inside the window: the AS refuses the token, the gateway still sends it (ms since the epoch). */
  insideFrom: number;
  insideUntil: number;
  /** After the window: the gateway has renewed it. */
  afterFrom: number;
  /** Until then a request may still meet another Kong worker's window (each worker has its own token). */
  afterUntil: number;
}

/**
 * `sentAt`/`answeredAt`: the first request the gateway served with the new
 * plugin client (ms). The token arrived at Tg in between; it is reused while
 * floor(now) < floor(Tg) + lifetime + 5, i.e. at least until Tg + lifetime + 4.
 */
export function windowSchedule(lifetimeSeconds: number, sentAt: number, answeredAt: number): WindowSchedule {
  const lifetime = lifetimeSeconds * 1000;
  const afterFrom = answeredAt + lifetime + WINDOW_SECONDS * 1000 + MARGIN_MS;
  return {
    expiry: answeredAt + lifetime,
    insideFrom: answeredAt + lifetime + MARGIN_MS,
    insideUntil: sentAt + lifetime + (WINDOW_SECONDS - 1) * 1000 - MARGIN_MS,
    afterFrom,
    afterUntil: afterFrom + lifetime + WINDOW_SECONDS * 1000,
  };
}

/** Waits until the suite's clock reaches `at` (ms), in steps of at most `stepMs`; bounded by `at` itself. */
export async function untilClock(at: number, stepMs = 100, now: () => number = Date.now): Promise<void> {
  for (let left = at - now(); left > 0; left = at - now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, stepMs)));
  }
}
