// oxd's store of authorization states and nonces (StateService over the H2
// `expired_objects` table, oidc-uma.md §3.8, §3.10): one table for the whole
// server, not per RP and without the value's type in lookups, so a value put
// as a nonce (or a claims-gathering state) also passes as a state. Lookups do
// not look at `exp`: expired rows go only when the cleanup task runs, every
// `db_cleanup_interval_in_hours` after start (SchedulerService.dbCleanUpTask,
// scheduleWithFixedDelay), so a value is accepted for 5 to 65 minutes.
// Upstream: oxd @ version_4.2.3 StateService.java lines 35–75,
// SqlPersistenceServiceImpl.java lines 71–93 (insert, key trimmed), 176–213
// (select by key only), 307–350 (delete by key, delete exp < now).
import { javaRandomState, javaUrlEncode } from './java-compat';

export type ExpiredObjectType = 'state' | 'nonce';

interface ExpiredObject {
  key: string;
  type: ExpiredObjectType;
  /** ms since epoch. */
  exp: number;
}

export interface StateStoreConfig {
  stateExpirationInMinutes: number;
  nonceExpirationInMinutes: number;
  dbCleanupIntervalInHours: number;
}

/**
 * StateService.encodeExpiredObject: a caller-supplied state / nonce is
 * URL-encoded only with encode_state_from_request_parameter /
 * encode_nonce_from_request_parameter (both false by default).
 */
export function encodeExpiredObject(value: string, type: ExpiredObjectType, config: { encodeStateFromRequestParameter: boolean; encodeNonceFromRequestParameter: boolean }): string {
  if (type === 'state' && config.encodeStateFromRequestParameter) return javaUrlEncode(value);
  if (type === 'nonce' && config.encodeNonceFromRequestParameter) return javaUrlEncode(value);
  return value;
}

export class StateStore {
  // The table has no key constraint: the same value can be stored twice.
  private rows: ExpiredObject[] = [];
  private nextCleanupAt: number;

  constructor(
    private readonly config: StateStoreConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.nextCleanupAt = now() + this.cleanupIntervalMs();
  }

  private cleanupIntervalMs(): number {
    return this.config.dbCleanupIntervalInHours * 3600_000;
  }

  /** Runs every cleanup the scheduler would have run by now (`delete … where exp < CURRENT_TIMESTAMP()`). */
  private runDueCleanups(): void {
    const interval = this.cleanupIntervalMs();
    if (interval <= 0) return;
    while (this.nextCleanupAt <= this.now()) {
      const at = this.nextCleanupAt;
      this.rows = this.rows.filter((r) => r.exp >= at);
      this.nextCleanupAt += interval;
    }
  }

  private put(value: string, type: ExpiredObjectType, minutes: number): string {
    this.runDueCleanups();
    this.rows.push({ key: value.trim(), type, exp: this.now() + minutes * 60_000 });
    return value;
  }

  putState(state: string): string {
    return this.put(state, 'state', this.config.stateExpirationInMinutes);
  }

  putNonce(nonce: string): string {
    return this.put(nonce, 'nonce', this.config.nonceExpirationInMinutes);
  }

  /** generateState: 130 random bits in base 32, stored. */
  generateState(): string {
    return this.putState(javaRandomState());
  }

  generateNonce(): string {
    return this.putNonce(javaRandomState());
  }

  /** isExpiredObjectPresent: any row with that key, whatever its type or expiry; a null key is "not found". */
  isPresent(key: string | null | undefined): boolean {
    this.runDueCleanups();
    if (key === null || key === undefined) return false;
    const k = key.trim();
    return this.rows.some((r) => r.key === k);
  }

  /** deleteExpiredObjectsByKey: every row with exactly that key (not trimmed here, as upstream). */
  deleteByKey(key: string): void {
    this.rows = this.rows.filter((r) => r.key !== key);
  }

  /** For tests and logs: how many rows are stored. */
  size(): number {
    this.runDueCleanups();
    return this.rows.length;
  }
}
