// Kong 2.x with the Gluu Gateway 4.2 UMA plugins: the Admin API and the
// proxy, sharing one in-memory database and one set of plugin caches
// (gateway.md). `options.now` lets tests move the clock (seconds).
import type { Component, ComponentContext } from '../component';
import { createAdminApi } from './admin-api';
import { createCaches } from './caches';
import { JwksCache } from './jwt';
import { OxdClient } from './oxd-client';
import type { PluginDeps } from './plugin-context';
import { createProxy } from './proxy';
import { PepSessions } from './session';
import { KongStore } from './store';

export interface KongOptions {
  /** Seconds since the epoch, with fractions (ngx.now()); defaults to the wall clock. */
  now?: () => number;
}

export function createKong(ctx: ComponentContext, options: KongOptions = {}): { admin: Component; proxy: Component } {
  const now = options.now ?? (() => Date.now() / 1000);
  const log = (msg: string) => ctx.log('kong', msg);
  const store = new KongStore(ctx.settings.kong.version, () => Math.floor(now()));
  const deps: PluginDeps = {
    store,
    oxd: new OxdClient(now, log),
    caches: createCaches(now),
    jwks: new JwksCache(now),
    sessions: new PepSessions(now),
    faults: ctx.settings.faults,
    now,
    log,
  };
  return { admin: createAdminApi(ctx, store), proxy: createProxy(ctx, deps) };
}
