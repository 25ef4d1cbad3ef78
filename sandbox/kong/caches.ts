// The per-worker caches of GG's plugins (gateway.md §8; kong-common.lua,
// header-cache.lua, lua-resty-lrucache pureffi). The sandbox is one nginx
// worker, so one set of caches shared by every plugin instance, as in GG.
//   worker cache (10000 entries): raw token → introspection + consumer,
//       and "METHOD:pattern:token" → true for grants
//   header cache (1000 entries, 1 h): token (or "nil") → upstream headers
// The 0.2 s "pending" sentinel is not reproduced (no waits; DEVIATIONS).

/** resty.lrucache: LRU with an optional TTL in seconds; a negative TTL is already expired. */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; expire: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    if (e.expire >= 0 && e.expire < this.now()) return undefined;
    return e.value;
  }

  set(key: string, value: V, ttlSeconds?: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expire: ttlSeconds === undefined ? -1 : this.now() + ttlSeconds });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** What gluu-uma-auth caches per token: the introspection answer, with `consumer` when mapped. */
export type TokenData = Record<string, unknown> & { consumer?: Record<string, unknown> };

export interface PluginCaches {
  /** kong-common.lua worker_cache: tokens and grant keys share it. */
  worker: LruCache<TokenData | true>;
  /** header-cache.lua: keyed by token only (Q7), 1 h. */
  headers: LruCache<Record<string, string>>;
}

export const EXPIRE_DELTA_SECONDS = 5;
export const HEADER_CACHE_TTL = 60 * 60;

export function createCaches(now: () => number): PluginCaches {
  return { worker: new LruCache(10000, now), headers: new LruCache(1000, now) };
}

/** hooks.build_cache_key of gluu-uma-pep: `METHOD:pattern:token`. */
export function grantKey(method: string, pattern: string, token: string): string {
  return `${method}:${pattern}:${token}`;
}
