// Kong 2.x with the Gluu Gateway 4.2 plugins (gluu-uma-auth, gluu-openid-connect, gluu-uma-pep): the Admin API and the
// proxy, sharing one in-memory database and one set of plugin caches
// (gateway.md). `options.now` lets tests move the clock (seconds).
import * as crypto from 'node:crypto';
import type { Component, ComponentContext } from '../component';
import { createAdminApi } from './admin-api';
import { createCaches } from './caches';
import { JwksCache } from './jwt';
import { OxdClient } from './oxd-client';
import type { PluginDeps } from './plugin-context';
import { createProxy } from './proxy';
import { RestySessions } from './resty-session';
import { KongStore } from './store';

export interface KongOptions {
  /** Seconds since the epoch, with fractions (ngx.now()); defaults to the wall clock. */
  now?: () => number;
  /** `set $session_secret …;` (KONG_NGINX_PROXY_INCLUDE); unset: 32 random bytes per start, as lua-resty-session draws them. */
  sessionSecret?: string;
}

export function createKong(ctx: ComponentContext, options: KongOptions = {}): { admin: Component; proxy: Component } {
  const now = options.now ?? (() => Date.now() / 1000);
  const log = (msg: string) => ctx.log('kong', msg);
  const store = new KongStore(ctx.settings.kong.version, () => Math.floor(now()));
  const deps: PluginDeps = {
    store,
    // kong-common EXPIRE_DELTA_SECONDS = 5; the fault's gateway never finds its token stale.
    oxd: new OxdClient(now, log, () => (ctx.settings.faults.on('protection-token-never-renewed') ? Infinity : 5)),
    caches: createCaches(now),
    jwks: new JwksCache(now),
    sessions: new RestySessions(
      {
        secret: options.sessionSecret !== undefined ? Buffer.from(options.sessionSecret) : crypto.randomBytes(32),
        httpOnly: !ctx.settings.faults.on('session-cookie-script-readable'),
      },
      now,
    ),
    faults: ctx.settings.faults,
    now,
    log,
  };
  return { admin: createAdminApi(ctx, store), proxy: createProxy(ctx, deps) };
}
